/**
 * Reports for CI: JUnit XML (names and messages escaped, characters XML cannot hold replaced) and
 * the JSON report; `--junit FILE` writes the file next to the usual output.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { testCommand } from "../../src/cli/test.js";
import { formatJunit } from "../../src/detections/report.js";
import type { TestReport } from "../../src/detections/runner.js";

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

const nasty: TestReport = {
  passed: 1,
  failed: 1,
  skipped: 1,
  timeMs: 1234.5,
  warnings: [],
  detections: [
    {
      file: 'searches/a&b "quoted".spl',
      name: "Detect <script> & 'friends'",
      tests: [
        { name: "passes", status: "pass", reasons: [], warnings: [], timeMs: 12.3, rows: 1, riskEvents: [] },
        {
          name: 'fails with "quotes"\tand a tab',
          status: "fail",
          reasons: ["expected a row matching {dest_ip: \"1.2.3.4\"}; nearest <row> & more\nsecond line", "bell \u0007 and nul \u0000 and lone \ud800 surrogate"],
          warnings: ["macro `x` & <y>"],
          timeMs: 45.6,
          expandedSearch: '| search a<b AND c>"d" ]]> end',
          riskEvents: [],
        },
        { name: "skipped", status: "skip", reasons: ["is attack data; give --attack-data DIR"], warnings: [], timeMs: 0, riskEvents: [] },
      ],
    },
  ],
};

describe("JUnit XML", () => {
  const xml = formatJunit(nasty);

  it("counts tests, failures and skips per suite and overall", () => {
    expect(xml).toContain('<testsuites name="spelunk test" tests="3" failures="1" errors="0" skipped="1" time="1.234">');
    expect(xml).toContain('tests="3" failures="1" errors="0" skipped="1" time="0.058">');
    expect(xml).toContain('<testcase classname="searches/a&amp;b &quot;quoted&quot;.spl" name="passes" time="0.012"/>');
  });

  it("escapes names, messages and text, and keeps no character XML 1.0 cannot hold", () => {
    expect(xml).toContain('<testsuite name="Detect &lt;script&gt; &amp; &apos;friends&apos;"');
    expect(xml).toContain('name="fails with &quot;quotes&quot;&#9;and a tab"');
    expect(xml).toContain('<failure message="expected a row matching {dest_ip: &quot;1.2.3.4&quot;}; nearest &lt;row&gt; &amp; more" type="failure">');
    expect(xml).toContain("nearest &lt;row&gt; &amp; more\nsecond line\nbell \ufffd and nul \ufffd and lone \ufffd surrogate\nexpanded search:\n| search a&lt;b AND c&gt;\"d\" ]]&gt; end</failure>");
    expect(xml).toContain("<system-err>warning: macro `x` &amp; &lt;y&gt;</system-err>");
    expect(xml).toContain('<skipped message="is attack data; give --attack-data DIR"/>');
    // eslint-disable-next-line no-control-regex
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    // Every < starts a tag, every & an entity.
    expect(xml.replace(/<\/?[a-z?][^<>]*>/g, "")).not.toContain("<");
    expect(xml).not.toMatch(/&(?!(amp|lt|gt|quot|apos|#\d+);)/);
  });
});

describe("--junit and --format json over the shipped searches", () => {
  it("writes the JUnit file and prints a JSON report with a result per test", async () => {
    const dir = mkdtempSync(join(tmpdir(), "spelunk-junit-"));
    made.push(dir);
    let out = "";
    const code = await testCommand(
      ["searches/detect_outbound_smb_traffic.spl"],
      { attackData: ["fixtures"], format: "json", junit: join(dir, "junit.xml") },
      { out: (t) => (out += t), err: () => {} },
    );
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report).toMatchObject({ passed: 4, failed: 0, skipped: 0 });
    expect(report.detections[0].tests.map((t: { name: string; status: string; rows: number }) => [t.status, t.rows])).toEqual([
      ["pass", 3],
      ["pass", 2],
      ["pass", 0],
      ["pass", 2],
    ]);
    const xml = readFileSync(join(dir, "junit.xml"), "utf8");
    expect(xml).toContain('<testsuite name="Detect Outbound SMB Traffic" file="searches/detect_outbound_smb_traffic.spl" tests="4" failures="0"');
  });
});

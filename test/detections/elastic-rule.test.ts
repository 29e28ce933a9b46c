/**
 * `spelunk test` over Elastic's rule file as it is (issue 7): a `.toml` rule with a sidecar
 * `<stem>.test.yml` beside it, or a test file naming it with `rule:` inside its folder. Expectations
 * apply to the alert rows `spelunk run RULE.toml` prints; without `expect:`, the rule must alert.
 *
 * The rule (../shared/reference, Elastic License v2) is not kept in the repository: each test copies
 * it into a temporary folder, beside the sidecar test/detections/elastic/ ships. The datasets are
 * named with `attack_data:` and found under `--attack-data fixtures` (the 8-day Sysmon scenario of
 * fixtures/generators/sysmon-smb.ts: one alert, for 175.16.199.10, at the 2024-03-08T13:40:00Z run)
 * and `--attack-data ../shared/data` (the OTRF sample, whose SMB is all internal: no alert).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { testCommand, type TestCliOptions } from "../../src/cli/test.js";
import { loadDetections } from "../../src/detections/load.js";

const RULE_FILE = fileURLToPath(new URL("../../../shared/reference/exfiltration_smb_rare_destination.toml", import.meta.url));
const SHARED_DATA = fileURLToPath(new URL("../../../shared/data", import.meta.url));
const SIDECAR = fileURLToPath(new URL("./elastic/exfiltration_smb_rare_destination.test.yml", import.meta.url));
const RULE = "exfiltration_smb_rare_destination";

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A temporary folder holding the given files (name: text); `rule` copies Elastic's rule in as that name. */
function folder(files: Record<string, string>, rule?: string): string {
  const dir = mkdtempSync(join(tmpdir(), "spelunk-elastic-test-"));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  if (rule !== undefined) {
    mkdirSync(join(dir, rule, ".."), { recursive: true });
    copyFileSync(RULE_FILE, join(dir, rule));
  }
  return dir;
}

async function spelunkTest(paths: string[], options: TestCliOptions = {}) {
  let out = "";
  let err = "";
  const code = await testCommand(paths, { attackData: ["fixtures", SHARED_DATA], ...options }, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

const SCENARIO = `
      - attack_data: elastic/sysmon_smb_8days.json
        sourcetype: nxlog:sysmon:json`;

describe("the shipped sidecar of Elastic's Rare SMB Connection rule", () => {
  const shipped = () => folder({ [`${RULE}.test.yml`]: readFileSync(SIDECAR, "utf8") }, `${RULE}.toml`);

  it("passes: one alert for 175.16.199.10 at the 13:40 run, the same at one run at 13:40, none on the OTRF sample", async () => {
    const dir = shipped();
    const { code, out } = await spelunkTest([dir]);
    expect(out).toContain(`${join(dir, `${RULE}.toml`)} — Rare SMB Connection to the Internet\n`);
    expect(out).toMatch(/^ {2}PASS {2}alerts once, for the new public address, at the 13:40 run {2}\(1 row, 1 of 116 scheduled runs fired, \d+ ms\)$/m);
    expect(out).toMatch(/^ {2}PASS {2}one run at 13:40 raises the same alert {2}\(1 row, \d+ ms\)$/m);
    expect(out).toMatch(/^ {2}PASS {2}no alert on the OTRF sample \(its SMB is all internal\) {2}\(0 rows, 0 of \d+ scheduled runs fired, \d+ ms\)$/m);
    expect(out).toMatch(/^3 passed, 0 failed \(\d+\.\d\d s\)$/m);
    expect(code).toBe(0);
  });

  it("--schedule lists the run that fired and its window", async () => {
    const { out } = await spelunkTest([shipped()], { schedule: true });
    expect(out).toContain("        fired at 2024-03-08T13:40:00Z over 2024-03-08T13:31:00Z to 2024-03-08T13:40:00Z: 1 row\n");
  });

  it("is in the JSON report and the JUnit XML like any other test", async () => {
    const dir = shipped();
    const junit = join(dir, "junit.xml");
    const { code, out } = await spelunkTest([dir], { format: "json", junit });
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report).toMatchObject({ passed: 3, failed: 0, skipped: 0 });
    expect(report.detections).toHaveLength(1);
    const d = report.detections[0];
    expect(d).toMatchObject({ file: join(dir, `${RULE}.toml`), test_file: join(dir, `${RULE}.test.yml`), name: "Rare SMB Connection to the Internet" });
    expect(d.tests[0]).toMatchObject({
      status: "pass",
      rows: 1,
      scheduled_runs: 116,
      fired: [{ time: "2024-03-08T13:40:00Z", earliest: "2024-03-08T13:31:00Z", latest: "2024-03-08T13:40:00Z", rows: 1 }],
      risk_events: [],
    });
    expect(d.tests[2]).toMatchObject({ status: "pass", rows: 0, fired: [] });
    const xml = readFileSync(junit, "utf8");
    expect(xml).toMatch(/<testsuites name="spelunk test" tests="3" failures="0" errors="0" skipped="0"/);
    expect(xml).toContain(`<testsuite name="Rare SMB Connection to the Internet" file="${join(dir, `${RULE}.toml`)}" tests="3" failures="0"`);
    expect(xml).toContain(`<testcase classname="${join(dir, `${RULE}.toml`)}" name="alerts once, for the new public address, at the 13:40 run"`);
  });
});

describe("expectations over the alert rows", () => {
  it("a failing expectation says why: the count, the nearest row, the row that should not be there, and the rule's query", async () => {
    const dir = folder(
      {
        [`${RULE}.test.yml`]: `tests:
  - name: wrong on purpose
    data:${SCENARIO}
    expect:
      rows: 2
      present:
        - { "kibana.alert.new_terms": "81.2.69.142" }
      absent:
        - { destination.ip: "175.16.199.*" }
`,
      },
      `${RULE}.toml`,
    );
    const junit = join(dir, "junit.xml");
    const { code, out } = await spelunkTest([dir], { junit });
    expect(code).toBe(1);
    expect(out).toMatch(/^ {2}FAIL {2}wrong on purpose {2}\(1 row, 1 of 116 scheduled runs fired, \d+ ms\)$/m);
    expect(out).toContain('        expected 2 rows, got 1:\n          row 1: {_time: "2024-03-08T13:40:00", kibana.alert.rule.name: "Rare SMB Connection to the Internet"');
    expect(out).toContain(
      '        expected a row matching {kibana.alert.new_terms: "81.2.69.142"}; nearest is row 1 of 1, where kibana.alert.new_terms is "175.16.199.10", not "81.2.69.142":',
    );
    expect(out).toContain('        row 1 should not be there: it matches {destination.ip: "175.16.199.*"}:');
    expect(out).toContain("        rule query:\n          event.category:network and host.os.type:windows and process.pid:4 and\n");
    expect(out).not.toContain("expanded search:");
    expect(out).toMatch(/^0 passed, 1 failed/m);
    const xml = readFileSync(junit, "utf8");
    expect(xml).toContain('<failure message="expected 2 rows, got 1:" type="failure">');
    expect(xml).toContain("rule query:");
  });

  it("without expect:, the rule must alert; when it does not, the run says how far the data got", async () => {
    const dir = folder(
      {
        [`${RULE}.test.yml`]: `tests:
  - name: the OTRF sample, with the default rule
    data:
      - attack_data: sysmon_eid3_otrf.jsonl
        sourcetype: nxlog:sysmon:json
  - name: the OTRF sample, with a row it does not have
    data:
      - attack_data: sysmon_eid3_otrf.jsonl
        sourcetype: nxlog:sysmon:json
    expect:
      present: [{ destination.ip: 172.18.39.6 }]
`,
      },
      `${RULE}.toml`,
    );
    const { code, out } = await spelunkTest([dir]);
    expect(code).toBe(1);
    const noAlert = /^ {8}the rule raised no alert \(the default: at least one\): no alert in \d+ runs \(150 document\(s\) in the rule's indices, 0 matching its query\)$/gm;
    expect(out.match(noAlert)).toHaveLength(2);
    expect(out).toContain('        expected a row matching {destination.ip: "172.18.39.6"}, but there are no rows\n');
    expect(out).toMatch(/^0 passed, 2 failed/m);
  });

  it("now: with earliest/latest bounds the schedule instead; a run before the new address raises nothing", async () => {
    const dir = folder(
      {
        [`${RULE}.test.yml`]: `data:${SCENARIO}
tests:
  - name: the runs of the morning
    now: "2024-03-08T12:00:00Z"
    earliest: -3h
    latest: "@m"
    expect: { none: true }
  - name: one run at 13:30, before 175.16.199.10 is first seen
    now: "2024-03-08T13:30:00Z"
    expect: { none: true }
  - name: the default alert rule, at one run
    now: "2024-03-08T13:45:00Z"
`,
      },
      `${RULE}.toml`,
    );
    const { code, out } = await spelunkTest([dir]);
    expect(out).toMatch(/^ {2}PASS {2}the runs of the morning {2}\(0 rows, 0 of 37 scheduled runs fired, \d+ ms\)$/m);
    expect(out).toMatch(/^ {2}PASS {2}one run at 13:30, before 175\.16\.199\.10 is first seen {2}\(0 rows, \d+ ms\)$/m);
    // The 13:45 run still searches [13:36, 13:45), where the first connection (13:37:21) is.
    expect(out).toMatch(/^ {2}PASS {2}the default alert rule, at one run {2}\(1 row, \d+ ms\)$/m);
    expect(code).toBe(0);
  });
});

describe("where the rule file may be", () => {
  it("a test file may name its rule with rule: inside its folder; the rule is then not listed again as untested", async () => {
    const dir = folder(
      {
        "smb.test.yml": `rule: rules/${RULE}.toml
name: Rare SMB (named rule)
tests:
  - name: alerts for the new address
    data:${SCENARIO}
    expect:
      present: [{ "kibana.alert.new_terms": "175.16.199.10" }]
`,
      },
      `rules/${RULE}.toml`,
    );
    const { code, out } = await spelunkTest([dir]);
    expect(out).toContain(`${join(dir, "rules", `${RULE}.toml`)} — Rare SMB (named rule)\n`);
    expect(out).toMatch(/^ {2}PASS {2}alerts for the new address {2}\(1 row/m);
    expect(out).not.toContain("no tests");
    expect(out).toMatch(/^1 passed, 0 failed \(/m);
    expect(code).toBe(0);
  });

  it("rule: may not leave the test file's folder", async () => {
    const outer = folder({}, `${RULE}.toml`);
    const dir = join(outer, "tests");
    mkdirSync(dir);
    writeFileSync(join(dir, "smb.test.yml"), `rule: ../${RULE}.toml\ntests:\n  - name: t\n    data:${SCENARIO}\n`);
    const { code, out } = await spelunkTest([dir]);
    expect(code).toBe(1);
    expect(out).toContain(`smb.test.yml: rule ../${RULE}.toml is outside the test file's folder (${dir})`);
  });

  it("a rule without a test file is listed as skipped; a .toml that is not a rule is passed over", async () => {
    const dir = folder({ "pyproject.toml": '[project]\nname = "x"\n' }, `${RULE}.toml`);
    const { code, out } = await spelunkTest([dir]);
    expect(out).toContain(`  SKIP  (no tests)\n        no tests (add ${RULE}.test.yml beside it)\n`);
    expect(out).not.toContain("pyproject");
    expect(out).toMatch(/^0 passed, 0 failed, 1 skipped/m);
    expect(code).toBe(0);
  });
});

describe("test files of Elastic rules are checked strictly", () => {
  it("keys that only mean something for SPL are problems, and say why", () => {
    const dir = folder(
      {
        [`${RULE}.test.yml`]: `rba: { message: x, risk_objects: [], threat_objects: [] }
schedule: { cron: "*/5 * * * *" }
tests:
  - name: t
    macros: { x: "search *" }
    expects: { rows: 1 }
    data:${SCENARIO}
`,
      },
      `${RULE}.toml`,
    );
    const [d] = loadDetections([dir]);
    const sidecar = join(dir, `${RULE}.test.yml`);
    expect(d!.problems).toEqual([
      `${sidecar}: rba does not apply to an Elastic rule (an Elastic rule's alerts carry its own risk_score and severity)`,
      `${sidecar}: schedule does not apply to an Elastic rule (the rule's own interval and from are its schedule; bound its runs with earliest and latest)`,
      `${sidecar}: test "t": macros does not apply to an Elastic rule (an Elastic rule has no macros)`,
      `${sidecar}: test "t": unknown key expects (expected one of name, data, expect, now, earliest, latest, tz, skip)`,
    ]);
  });

  it("a rule that cannot run fails its tests with the error located in the rule file", async () => {
    const dir = folder({
      "broken.toml": `[rule]
name = "Broken"
type = "query"
language = "kuery"
index = ["logs-windows.sysmon_operational-*"]
query = "destination.port : (445"
`,
      "broken.test.yml": `tests:\n  - name: t\n    data:${SCENARIO}\n`,
    });
    const { code, out } = await spelunkTest([dir]);
    expect(code).toBe(1);
    expect(out).toContain(`${join(dir, "broken.toml")} — Broken\n`);
    expect(out).toContain("        the rule cannot run:\n");
    expect(out).toContain(`${join(dir, "broken.toml")} (query):1:24: error: expected ')' but found the end of the query\n`);
  });

  it("mappings: adds ECS mapping files from the test file's folder; a missing one is a problem", () => {
    const dir = folder({ [`${RULE}.test.yml`]: `mappings: [my_mappings]\ntests:\n  - name: t\n    data:${SCENARIO}\n` }, `${RULE}.toml`);
    const [missing] = loadDetections([dir]);
    expect(missing!.problems).toEqual([`${join(dir, `${RULE}.test.yml`)}: mappings my_mappings: no such file or folder (no ${join(dir, "my_mappings")})`]);
    mkdirSync(join(dir, "my_mappings"));
    const [found] = loadDetections([dir]);
    expect(found!.problems).toEqual([]);
    expect(found!.elastic).toEqual({ rule: join(dir, `${RULE}.toml`), mappings: [join(dir, "my_mappings")] });
  });
});

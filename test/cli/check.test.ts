/**
 * `spelunk check` and `spelunk expand` as a user meets them: located messages with a caret, a
 * non-zero exit, never a stack trace.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";

async function run(...argv: string[]) {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

const macroDir = mkdtempSync(join(tmpdir(), "spelunk-macros-"));
writeFileSync(join(macroDir, "loop_a.yml"), "name: loop_a\ndefinition: search `loop_b`\n");
writeFileSync(join(macroDir, "loop_b.yml"), "name: loop_b\ndefinition: search `loop_a`\n");
writeFileSync(join(macroDir, "bad_tail.yml"), "name: bad_tail\ndefinition: eval x=1+\n");

describe("spelunk expand", () => {
  it("expands the first seed to the search Splunk runs", async () => {
    const { code, out } = await run("expand", "searches/detect_outbound_smb_traffic.spl");
    expect(code).toBe(0);
    expect(out.startsWith("| tstats summariesonly=false allow_old_summaries=true fillnull_value=null earliest(_time) as start_time ")).toBe(true);
    const lines = out.trimEnd().split("\n");
    expect(lines.slice(1)).toEqual([
      '| rename "All_Traffic".* AS *',
      '| convert timeformat="%Y-%m-%dT%H:%M:%S" ctime(start_time)',
      '| convert timeformat="%Y-%m-%dT%H:%M:%S" ctime(end_time)',
      "| iplocation dest_ip",
      "| search *",
    ]);
  });

  it("gives a detection's own _filter macro the contentctl default `search *`", async () => {
    const dir = mkdtempSync(join(tmpdir(), "spelunk-det-"));
    writeFileSync(join(dir, "my_detection.spl"), "| tstats count from datamodel=Network_Traffic | `my_detection_filter`\n");
    const { code, out } = await run("expand", join(dir, "my_detection.spl"));
    expect(code).toBe(0);
    expect(out).toBe("| tstats count from datamodel=Network_Traffic | search *\n");
  });
});

describe("spelunk check", () => {
  it("says ok for each shipped seed search", async () => {
    const { code, out, err } = await run("check", "searches/");
    expect(err).toBe("");
    expect(out).toBe(
      ["searches/baseline_of_smb_traffic___mltk.spl: ok", "searches/detect_outbound_smb_traffic.spl: ok", "searches/smb_traffic_spike___mltk.spl: ok", ""].join("\n"),
    );
    expect(code).toBe(0);
  });

  const cases: Array<[string, string, RegExp]> = [
    ["an unbalanced double quote", 'index=main user="bob | stats count', /<search>:1:17: error: unbalanced double quote/],
    ["an unclosed bracket", "index=main [ search x | stats count", /<search>:1:12: error: unbalanced bracket: '\[' is never closed/],
    ["a stray closing bracket", "index=main ] x", /<search>:1:12: error: unbalanced bracket: '\]' has no matching '\['/],
    ["an unbalanced backtick", "index=main `security_content_ctime(x) | stats count", /<search>:1:12: error: .*backtick/],
    ["an unknown macro", "index=main | `no_such_macro` | stats count", /<search>:1:14: error: unknown macro `no_such_macro`/],
    ["a macro called with the wrong number of arguments", "| tstats count | `security_content_ctime`", /<search>:1:18: error: macro `security_content_ctime` takes 1 argument/],
    ["an empty pipeline stage", "index=main | | stats count", /<search>:1:14: error: empty command between two '\|'/],
    ["a search ending with a pipe", "index=main | stats count |", /<search>:1:26: error: empty command: the search ends with '\|'/],
    ["tstats not first", "index=main | tstats count", /<search>:1:14: error: tstats is a generating command: it must be the first command/],
    ["an eval with a trailing operator", "| makeresults | eval x=1+", /<search>:1:26: error: expected an expression but found the end of the input/],
    ["an unsupported command", "index=main | transaction user maxspan=5m", /<search>:1:14: error: command 'transaction' is not supported yet/],
  ];
  for (const [what, search, message] of cases) {
    it(`reports ${what} with its place and exits 1`, async () => {
      const { code, err, out } = await run("check", "-e", search);
      expect(out).toBe("");
      expect(err).toMatch(message);
      expect(err).toContain("^");
      expect(err).not.toMatch(/\bat .*\.(ts|js):\d+/);
      expect(code).toBe(1);
    });
  }

  it("names the macro chain of a recursive macro", async () => {
    const { code, err } = await run("--macros", macroDir, "check", "-e", "index=main | `loop_a`");
    expect(code).toBe(1);
    expect(err).toMatch(/loop_a → loop_b → loop_a|loop_a.*loop_b.*loop_a/);
  });

  it("points into the macro definition and at its call site when the error is inside a macro", async () => {
    const { code, err } = await run("--macros", macroDir, "check", "-e", "index=main\n| `bad_tail`");
    expect(code).toBe(1);
    expect(err).toMatch(/macro `bad_tail` \(.*bad_tail\.yml\):1:\d+: error: expected an expression/);
    expect(err).toMatch(/in expansion of `bad_tail` called at <search>:2:3/);
  });

  it("refuses a missing file with a one-line message", async () => {
    const { code, err } = await run("check", "no/such/file.spl");
    expect(code).toBe(1);
    expect(err).toBe("spelunk: cannot read no/such/file.spl: no such file or folder\n");
  });
});

/**
 * Broken detection content fails clearly: the failure names the test, says why, and shows the
 * expanded search; mistakes in the test file itself are reported, not ignored.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { testCommand, type TestCliOptions } from "../../src/cli/test.js";
import { CliError } from "../../src/cli/errors.js";

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A folder with these files (and the seed's Zeek data as data.json). */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "spelunk-broken-"));
  made.push(dir);
  copyFileSync("fixtures/zeek/outbound_smb_conn.json", join(dir, "data.json"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

async function spelunkTest(paths: string[], options: TestCliOptions = {}) {
  let out = "";
  let err = "";
  const code = await testCommand(paths, options, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

const seed = `| tstats count from datamodel=Network_Traffic where All_Traffic.dest_port=445 by All_Traffic.src_ip All_Traffic.dest_ip
| \`drop_dm_object_name("All_Traffic")\`
| \`smb_445_filter\``;

const oneTest = (extra = "") => `tests:
  - name: true positive
    data:
      - path: data.json
        sourcetype: bro:conn:json
${extra}`;

describe("broken content fails clearly", () => {
  it("a search that no longer parses: the test fails with the located error", async () => {
    const dir = folder({ "smb_445.spl": "| tstats count from datamodel=Network_Traffic by All_Traffic.src_ip | eval x=1+", "smb_445.test.yml": oneTest() });
    const { code, out } = await spelunkTest([dir]);
    expect(code).toBe(1);
    expect(out).toContain("  FAIL  true positive");
    expect(out).toContain("the search does not parse (nothing was run):");
    expect(out).toContain("smb_445.spl:1:");
    expect(out).toContain("expected an expression but found the end of the input");
    expect(out).toMatch(/^0 passed, 1 failed/m);
  });

  it("a test whose dataset file is missing fails and names the file", async () => {
    const dir = folder({ "smb_445.spl": seed, "smb_445.test.yml": oneTest().replace("data.json", "missing/conn.json") });
    const { code, out } = await spelunkTest([dir]);
    expect(code).toBe(1);
    expect(out).toContain("  FAIL  true positive");
    expect(out).toContain(`test "true positive": dataset file missing/conn.json not found (no ${join(dir, "missing/conn.json")})`);
  });

  it("a risk object field the search does not produce fails, listing the fields it does produce", async () => {
    const rba = `rba:
  message: SMB from $src_ip$
  risk_objects:
    - { field: user, type: user, score: 40 }
  threat_objects:
    - { field: dest_ip, type: ip_address }
`;
    const dir = folder({ "smb_445.spl": seed, "smb_445.test.yml": rba + oneTest() });
    const { code, out } = await spelunkTest([dir]);
    expect(code).toBe(1);
    expect(out).toContain("risk object field user is not a field of the results; the search does not produce it (result fields: src_ip, dest_ip, count)");
    // The expanded search is shown under a failure, every macro expanded.
    expect(out).toContain("expanded search:");
    expect(out).toContain('| rename "All_Traffic".* AS *');
    expect(out).toContain("| search *");
  });

  it("a risk object field that is null in some rows fails with the row numbers", async () => {
    const search = `${seed}\n| eval user=if(src_ip="10.0.1.23", null(), "alice")`;
    const rba = `rba:
  message: SMB by $user$
  risk_objects:
    - { field: user, type: user, score: 40 }
  threat_objects: []
`;
    const dir = folder({ "smb_445.spl": search, "smb_445.test.yml": rba + oneTest() });
    const { code, out } = await spelunkTest([dir]);
    expect(code).toBe(1);
    expect(out).toMatch(/risk object field user is null in row \d+ of 25 \(every row needs it\)/);
  });

  it("a macro override the search does not use is a warning, and the test still passes", async () => {
    const dir = folder({
      "smb_445.spl": seed,
      "smb_445.test.yml": oneTest(`    macros:
      smb_445_filtr: search NOT dest_ip=10.0.0.8
`),
    });
    const { code, out } = await spelunkTest([dir]);
    expect(code).toBe(0);
    expect(out).toContain("  PASS  true positive");
    expect(out).toContain("warning: the test sets macro `smb_445_filtr`, which the search does not use");
  });

  it("--macro for a macro no search uses is a warning; one that is used changes the results", async () => {
    const dir = folder({ "smb_445.spl": seed, "smb_445.test.yml": oneTest("    expect:\n      none: true\n") });
    const unused = await spelunkTest([dir], { macro: ["no_such_macro=search *"] });
    expect(unused.out).toContain("warning: --macro no_such_macro: no search uses this macro");
    expect(unused.code).toBe(1); // the filter is still `search *`, so rows come back
    const used = await spelunkTest([dir], { macro: ["smb_445_filter=search count>1000000"] });
    expect(used.out).toContain("  PASS  true positive  (0 rows");
    expect(used.out).not.toContain("warning");
    expect(used.code).toBe(0);
  });

  it("--macro without NAME=DEFINITION is a usage error", async () => {
    await expect(spelunkTest(["searches"], { macro: ["justaname"] })).rejects.toThrow(CliError);
    await expect(spelunkTest(["searches"], { macro: ["justaname"] })).rejects.toThrow("--macro justaname: write NAME=DEFINITION");
  });

  it("a dataset path that leaves the test file's folder is refused", async () => {
    const dir = folder({ "smb_445.spl": seed, "smb_445.test.yml": oneTest().replace("path: data.json", "path: ../../etc/passwd") });
    const { code, out } = await spelunkTest([dir]);
    expect(code).toBe(1);
    expect(out).toContain("dataset ../../etc/passwd is outside the test file's folder");
    const abs = folder({ "smb_445.spl": seed, "smb_445.test.yml": oneTest().replace("path: data.json", "path: /etc/hostname") });
    expect((await spelunkTest([abs])).out).toContain("dataset /etc/hostname is an absolute path");
  });

  it("a symbolic link out of the test file's folder is refused", async () => {
    const dir = folder({ "smb_445.spl": seed, "smb_445.test.yml": oneTest().replace("path: data.json", "path: linked.json") });
    symlinkSync(join(process.cwd(), "fixtures/zeek/outbound_smb_conn.json"), join(dir, "linked.json"));
    const { out } = await spelunkTest([dir]);
    expect(out).toContain("dataset linked.json is a link to");
    expect(out).toContain("outside the test file's folder");
  });

  it("mistakes in the test file are problems of the detection, not silently ignored", async () => {
    const dir = folder({
      "smb_445.spl": seed,
      "smb_445.test.yml": oneTest("    expects:\n      rows: 2\n"),
      "orphan.test.yml": oneTest(),
    });
    const { code, out } = await spelunkTest([dir]);
    expect(code).toBe(1);
    expect(out).toContain(`test "true positive": unknown key expects (expected one of name, data, expect`);
    expect(out).toContain("orphan.test.yml: no search file beside it (expected orphan.spl, orphan.yml or orphan.toml in ");
    expect(out).toContain(", or rule: naming an Elastic rule file)");
  });

  it("a .spl without a sidecar is reported as skipped: no tests", async () => {
    const dir = folder({ "smb_445.spl": seed });
    const { code, out } = await spelunkTest([dir]);
    expect(code).toBe(0);
    expect(out).toContain("  SKIP  (no tests)");
    expect(out).toContain("no tests (add smb_445.test.yml beside it)");
    expect(out).toMatch(/^0 passed, 0 failed, 1 skipped/m);
  });

  it("a baseline that fails makes the detection's tests fail with the baseline's error", async () => {
    const dir = folder({
      "smb_445.spl": seed,
      "broken_baseline.spl": "| tstats count from datamodel=Network_Traffic by _time span=1h | fit DensityFunction count into",
      "smb_445.test.yml": `needs: [broken_baseline.spl]\n${oneTest()}`,
    });
    const { code, out } = await spelunkTest([join(dir, "smb_445.spl")]);
    expect(code).toBe(1);
    expect(out).toContain("baseline broken_baseline (");
    expect(out).toContain("failed:");
  });

  it("a PATH that does not exist is a usage error", async () => {
    await expect(spelunkTest(["no/such/folder"])).rejects.toThrow("cannot read no/such/folder: no such file or folder");
  });
});

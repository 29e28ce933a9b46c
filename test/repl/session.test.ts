/**
 * The REPL's session over the shipped Zeek dataset: searches, what the status line counts, the
 * carets of errors (also inside macros), and the meta commands.
 */
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ReplSession } from "../../src/repl/session.js";
import { errorView } from "../../src/repl/errors.js";
import { runMeta } from "../../src/repl/meta.js";
import { complete } from "../../src/repl/completion.js";
import { META_COMMANDS } from "../../src/repl/meta.js";
import { CliError } from "../../src/cli/errors.js";

const fixture = "fixtures/zeek/outbound_smb_conn.json";
const conns = readFileSync(fixture, "utf8").trim().split("\n").length;
const seed = "| tstats count from datamodel=Network_Traffic by All_Traffic.app";

function macroDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "spelunk-macros-"));
  writeFileSync(join(dir, "bad_tail.yml"), "name: bad_tail\ndefinition: eval x=1+\ndescription: broken on purpose\n");
  writeFileSync(join(dir, "wrap_bad.yml"), "name: wrap_bad\ndefinition: '`bad_tail`'\ndescription: calls a broken macro\n");
  return dir;
}

let session: ReplSession;
beforeAll(async () => {
  session = ReplSession.create({ data: [{ path: fixture, sourcetype: "bro:conn:json", host: "zeek01" }], apps: [], macros: [macroDir()], tz: "UTC", now: "2024-03-02T00:00:00Z" }, () => {});
  await session.load();
});

describe("searches in the REPL session", () => {
  it("runs the seed tstats and counts the summary rows it scanned", async () => {
    const outcome = await session.run(seed);
    expect(outcome.kind).toBe("ok");
    if (outcome.kind !== "ok") return;
    expect(outcome.table.rows()).toEqual([
      { "All_Traffic.app": "dns", count: 157 },
      { "All_Traffic.app": "smb", count: 84 },
      { "All_Traffic.app": "ssl", count: 169 },
    ]);
    expect(outcome.scanned).toBe(conns);
    expect(outcome.ms).toBeGreaterThanOrEqual(0);
    expect(session.lastTable).toBe(outcome.table);
  });

  it("counts raw events scanned by a leading search", async () => {
    const outcome = await session.run("index=main | stats count");
    expect(outcome.kind === "ok" && outcome.scanned).toBe(conns);
    const gen = await session.run("| makeresults count=3");
    expect(gen.kind === "ok" && gen.scanned).toBe(0);
  });

  it("reports a cancelled search as cancelled, not as an error", async () => {
    const controller = new AbortController();
    controller.abort();
    expect((await session.run(seed, controller.signal)).kind).toBe("cancelled");
  });

  it("puts the caret under what the user typed", async () => {
    const text = "| tstats count frm datamodel=Network_Traffic";
    const outcome = await session.run(text);
    expect(outcome.kind).toBe("error");
    if (outcome.kind !== "error") return;
    const view = errorView(outcome.error, text);
    expect(view.marks).toEqual([{ from: 15, to: 18 }]);
    expect(view.lines[0]).toBe("1:16: error: tstats: expected FROM, WHERE or BY but found 'frm'");
  });

  it("marks the call of the macro an error is inside, and shows the definition and the chain", async () => {
    const text = "| makeresults\n| `wrap_bad`";
    const outcome = await session.run(text);
    if (outcome.kind !== "error") throw new Error("expected an error");
    const view = errorView(outcome.error, text);
    expect(view.marks).toEqual([{ from: 16, to: 26 }]);
    expect(view.lines[0]).toMatch(/^macro `bad_tail` \(.*bad_tail\.yml\):1:10: error: expected an expression but found the end of the input$/);
    expect(view.lines.some((l) => l.startsWith("  in expansion of `wrap_bad` called at <search>:2:3"))).toBe(true);
  });

  it("marks an unknown macro where it is called", async () => {
    const text = "| makeresults | `nope`";
    const outcome = await session.run(text);
    if (outcome.kind !== "error") throw new Error("expected an error");
    expect(errorView(outcome.error, text).marks[0]).toEqual({ from: 16, to: 22 });
  });

  it("completes from the loaded data, the macros and the data models", () => {
    const sources = session.completionSources(META_COMMANDS);
    expect(complete("index=main id.resp", 18, sources).candidates.map((c) => c.insert)).toEqual(["id.resp_h", "id.resp_p"]);
    expect(complete("| `drop_dm", 10, sources).candidates.map((c) => c.insert)).toEqual(["drop_dm_object_name("]);
    expect(complete("| tstats count from datamodel=Net", 33, sources).candidates.map((c) => c.insert)).toEqual(["Network_Traffic"]);
    const fields = complete("| tstats count from datamodel=Network_Traffic by All_Traffic.src_", 66, sources).candidates.map((c) => c.insert);
    expect(fields).toContain("All_Traffic.src_ip");
    expect(complete("| eval x=cidr", 13, sources).candidates.map((c) => c.insert)).toEqual(["cidrmatch("]);
    expect(complete("| iploc", 7, sources).candidates.map((c) => c.insert)).toEqual(["iplocation "]);
  });
});

describe("meta commands", () => {
  it(".help, and an unknown command says where to look", async () => {
    expect((await runMeta(session, ".help")).lines.join("\n")).toMatch(/\.export FILE/);
    expect(await runMeta(session, ".frobnicate")).toEqual({ lines: ["error: unknown command .frobnicate: .help lists the commands"], error: true });
  });

  it(".datasets lists each dataset with its events", async () => {
    const { lines } = await runMeta(session, ".datasets");
    expect(lines).toEqual([`${fixture}  sourcetype=bro:conn:json index=main host=zeek01  ${conns} events`, `${conns} events in all`]);
  });

  it(".macros filters by substring or wildcard", async () => {
    const { lines } = await runMeta(session, ".macros drop_dm");
    expect(lines).toEqual(["`drop_dm_object_name(object)`  rename $object$.* AS *", "1 macro"]);
    expect((await runMeta(session, ".macros security_*_ctime")).lines[0]).toMatch(/^`security_content_ctime\(field\)`/);
    expect((await runMeta(session, ".macros zzz")).lines).toEqual(["no macros match zzz"]);
  });

  it(".expand shows the last search, or the one given, expanded", async () => {
    await session.run("| makeresults | `security_content_ctime(_time)`");
    expect((await runMeta(session, ".expand")).lines.join("\n")).toMatch(/^\| makeresults \| convert timeformat=/);
    expect((await runMeta(session, ".expand | `drop_dm_object_name(All_Traffic)`")).lines).toEqual(["| rename All_Traffic.* AS *"]);
    const bad = await runMeta(session, ".expand | `nope`");
    expect(bad.error).toBe(true);
  });

  it(".fields lists the loaded fields, or a data model's", async () => {
    const loaded = (await runMeta(session, ".fields")).lines;
    expect(loaded.some((l) => /^id\.resp_p\s+\d+$/.test(l))).toBe(true);
    const dm = (await runMeta(session, ".fields Network_Traffic")).lines;
    expect(dm[0]).toBe("Network_Traffic (Network Traffic)");
    expect(dm).toContain("  All_Traffic.src_ip  string");
    expect((await runMeta(session, ".fields Nope")).error).toBe(true);
  });

  it(".tz and .now show and set the clock", async () => {
    expect((await runMeta(session, ".tz")).lines).toEqual(["time zone UTC"]);
    expect((await runMeta(session, ".now")).lines[0]).toBe("now() = 1709337600 (2024-03-02T00:00:00+00:00), pinned (.now reset to unpin)");
    const bad = await runMeta(session, ".tz Mars/Olympus");
    expect(bad.error).toBe(true);
    expect(session.tz).toBe("UTC");
    const set = await runMeta(session, ".now 2024-03-03T00:00:00Z");
    expect(set.lines).toEqual(["now() = 1709424000 (2024-03-03T00:00:00+00:00), pinned", `reloaded ${conns} events`]);
  });

  it(".export writes the last results as CSV or JSON lines, by extension", async () => {
    const dir = mkdtempSync(join(tmpdir(), "spelunk-export-"));
    await session.run(seed);
    expect((await runMeta(session, `.export ${join(dir, "out.csv")}`)).lines).toEqual([`wrote 3 rows to ${join(dir, "out.csv")}`]);
    expect(readFileSync(join(dir, "out.csv"), "utf8")).toBe("All_Traffic.app,count\ndns,157\nsmb,84\nssl,169\n");
    await runMeta(session, `.export "${join(dir, "with space.json")}"`);
    expect(readFileSync(join(dir, "with space.json"), "utf8").split("\n")[0]).toBe('{"All_Traffic.app":"dns","count":"157"}');
    expect((await runMeta(session, `.export ${join(dir, "out.txt")}`)).error).toBe(true);
  });

  it(".models lists the model directory, or says there are none", async () => {
    const dir = mkdtempSync(join(tmpdir(), "spelunk-models-"));
    const withDir = ReplSession.of({ data: [], apps: [], macros: [], modelsDir: dir }, session.macros, session.knowledge);
    expect((await runMeta(withDir, ".models")).lines).toEqual([`no models in ${dir}`]);
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "smb_spike.model.json"), "{}");
    expect((await runMeta(withDir, ".models")).lines).toEqual(["smb_spike", `1 model in ${dir}`]);
    // fit saves into the same folder.
    const fitted = await withDir.run("| makeresults count=20 | eval x=random() % 7 | fit DensityFunction x into from_repl");
    expect(fitted.kind).toBe("ok");
    expect((await runMeta(withDir, ".models")).lines).toEqual(["from_repl", "smb_spike", `2 models in ${dir}`]);
  });

  it(".load adds a dataset and says what went wrong when it cannot", async () => {
    const fresh = ReplSession.of({ data: [], apps: [], macros: [], tz: "UTC" }, session.macros, session.knowledge);
    expect((await runMeta(fresh, ".datasets")).lines).toEqual(["no datasets loaded (.load PATH SOURCETYPE)"]);
    const progress: number[] = [];
    const loaded = await runMeta(fresh, `.load ${fixture} bro:conn:json`, { onProgress: (p) => progress.push(p.fraction) });
    expect(loaded.lines).toEqual([`loaded ${fixture}: ${conns} events in all`]);
    expect(progress.at(-1)).toBe(1);
    expect((await fresh.run("index=main | stats count")).kind).toBe("ok");
    expect((await runMeta(fresh, ".load missing.json bro:conn:json")).error).toBe(true);
    expect((await runMeta(fresh, `.load ${fixture}`)).lines[0]).toMatch(/give its --sourcetype/);
    expect((await runMeta(fresh, ".load")).lines).toEqual(["error: usage: .load PATH [SOURCETYPE]"]);
    // A failed load leaves what was loaded.
    expect(fresh.datasets).toHaveLength(1);
  });

  it("refuses bad options up front", () => {
    expect(() => ReplSession.create({ data: [], apps: [], macros: [], tz: "Nowhere/Land" }, () => {})).toThrow(CliError);
    expect(() => ReplSession.create({ data: [{ path: fixture }], apps: [], macros: [] }, () => {})).toThrow(/give its --sourcetype/);
  });
});

describe("wildcards in .macros", () => {
  it("match without regular expressions, in time linear in practice", async () => {
    const { globMatch } = await import("../../src/repl/meta.js");
    expect(globMatch("security_*_ctime", "security_content_ctime")).toBe(true);
    expect(globMatch("*ctime", "security_content_ctime")).toBe(true);
    expect(globMatch("s*x", "security_content_ctime")).toBe(false);
    expect(globMatch("*", "")).toBe(true);
    const started = performance.now();
    expect(globMatch(`${"*a".repeat(30)}b`, "a".repeat(60))).toBe(false);
    expect(performance.now() - started).toBeLessThan(100);
  });
});

import { afterAll, describe, expect, it } from "vitest";
import { loadApp } from "../../src/knowledge/apps.js";
import { compileStanzaPattern, Knowledge } from "../../src/knowledge/knowledge.js";
import { Table } from "../../src/table/table.js";
import { CTX, knowledgeOf, scratch, writeApp } from "./helpers.js";

const { root, cleanup } = scratch();
afterAll(cleanup);
let n = 0;
const kb = (files: Record<string, string>) => knowledgeOf(root, files, `app${++n}`);
const META = { sourcetype: "st", source: "/var/log/st.log", host: "web01" };

describe("props.conf stanza patterns", () => {
  const test = (pattern: string, value: string, ignoreCase = false) => (compileStanzaPattern(pattern, ignoreCase) as RegExp).test(value);

  it("* matches anything but a path separator, ... anything", () => {
    expect(test("/var/log/*.log", "/var/log/a.log")).toBe(true);
    expect(test("/var/log/*.log", "/var/log/x/a.log")).toBe(false);
    expect(test("/var/.../a.log", "/var/log/x/a.log")).toBe(true);
  });

  it(". is a literal dot and the whole value must match", () => {
    expect(test("a.log", "a.log")).toBe(true);
    expect(test("a.log", "axlog")).toBe(false);
    expect(test("a.log", "data.log.1")).toBe(false);
  });

  it("the (?::){0} prefix matches nothing, leaving a sourcetype wildcard", () => {
    expect(test("(?::){0}bro:*:json", "bro:conn:json")).toBe(true);
    expect(test("(?::){0}bro:*:json", "bro:dns:json")).toBe(true);
    expect(test("(?::){0}bro:*:json", "bro:conn")).toBe(false);
    expect(test("(?::){0}bro(_|:)*", "bro_conn")).toBe(true);
  });

  it("host patterns ignore case unless they start with (?-i)", () => {
    expect(test("WEB*", "web01", true)).toBe(true);
    expect(test("(?-i)WEB*", "web01", true)).toBe(false);
  });

  it("a pattern that is not a regular expression is reported", () => {
    expect(compileStanzaPattern("(unclosed", false)).toMatch(/^the stanza pattern does not compile/);
  });
});

describe("which stanzas apply", () => {
  it("source:: overrides host::, which overrides the sourcetype; all three add their settings", () => {
    const k = kb({
      "default/props.conf": [
        "[st]",
        "EVAL-a = \"sourcetype\"",
        "EVAL-b = \"sourcetype\"",
        "EVAL-c = \"sourcetype\"",
        "[host::WEB*]",
        "EVAL-a = \"host\"",
        "EVAL-b = \"host\"",
        "[source::/var/log/*.log]",
        "EVAL-a = \"source\"",
      ].join("\n"),
    });
    expect(k.problems).toEqual([]);
    expect(k.applySearchTime(Table.fromRows([{ x: 1 }]), META, CTX).row(0)).toMatchObject({ a: "source", b: "host", c: "sourcetype" });
  });

  it("a literal sourcetype stanza overrides a pattern one, unless the pattern has a higher priority", () => {
    const files = (priority: string) => ({
      "default/props.conf": `[(?::){0}s*]\n${priority}EVAL-v = "pattern"\nEVAL-w = "pattern"\n[st]\nEVAL-v = "literal"\n`,
    });
    const row = (k: Knowledge) => k.applySearchTime(Table.fromRows([{ x: 1 }]), META, CTX).row(0);
    expect(row(kb(files("")))).toMatchObject({ v: "literal", w: "pattern" });
    expect(row(kb(files("priority = 101\n")))).toMatchObject({ v: "pattern" });
  });

  it("two matching patterns: the one first in ASCII order wins", () => {
    const k = kb({ "default/props.conf": '[source::...z...]\nEVAL-v = "z"\n[source::...a...]\nEVAL-v = "a"\n' });
    const r = k.applySearchTime(Table.fromRows([{ x: 1 }]), { ...META, source: "az" }, CTX).row(0);
    expect(r.v).toBe("a");
  });

  it("local/ overrides default/, key by key", () => {
    const k = kb({
      "default/props.conf": '[st]\nEVAL-v = "default"\nEVAL-w = "default"\n',
      "local/props.conf": '[st]\nEVAL-v = "local"\n',
    });
    expect(k.applySearchTime(Table.fromRows([{ x: 1 }]), META, CTX).row(0)).toMatchObject({ v: "local", w: "default" });
  });

  it("a later app overrides an earlier one (user apps over the shipped ones)", () => {
    const a = loadApp(writeApp(root, "first", { "default/props.conf": '[st]\nKV_MODE = json\nTIME_FORMAT = %s\n' }), "first");
    const b = loadApp(writeApp(root, "second", { "default/props.conf": "[st]\nTIME_FORMAT = %s.%3N\n" }), "second");
    const k = Knowledge.fromApps({ apps: [...a.apps, ...b.apps], problems: [] });
    expect(k.formatFor("st")).toEqual({ kind: "json", timeFormat: "%s.%3N" });
  });

  it("a source:: stanza can give the format of files whose sourcetype has none", () => {
    const k = kb({ "default/props.conf": "[st]\nTIME_FORMAT = %s\n[source::....csv]\nINDEXED_EXTRACTIONS = csv\n" });
    expect(k.formatFor("st", "/data/x.csv")).toEqual({ kind: "csv", timeFormat: "%s" });
    expect(k.formatFor("st", "/data/x.json")).toBeUndefined();
    expect(k.formatProblem("st", "/data/x.json")).toBe(
      "sourcetype st has no structured format: its props.conf stanza sets neither KV_MODE = json nor INDEXED_EXTRACTIONS = json|csv|tsv",
    );
  });
});

describe("field aliases", () => {
  const k = kb({
    "default/props.conf": [
      "[st]",
      "FIELDALIAS-a = orig AS over orig ASNEW keep",
      "FIELDALIAS-b = missing AS gone missing ASNEW stays",
      "FIELDALIAS-c = \"id.orig_h\" AS src",
    ].join("\n"),
  });
  const events = Table.fromRows([
    { orig: "o1", over: "old", keep: "old", gone: "old", stays: "old", "id.orig_h": "10.0.0.1" },
    { orig: null, over: "old", keep: "old" },
    { orig: "o3" },
  ]);
  const out = k.applySearchTime(events, META, CTX);

  it("AS replaces an existing field with the original's value", () => {
    expect(out.row(0).over).toBe("o1");
  });

  it("AS removes the alias where the original has no value", () => {
    expect(out.row(1).over).toBeUndefined();
  });

  it("ASNEW keeps an existing value and fills only where the alias is absent", () => {
    expect([out.row(0).keep, out.row(1).keep, out.row(2).keep]).toEqual(["old", "old", "o3"]);
  });

  it("with an original no event has, AS removes the alias and ASNEW keeps it", () => {
    expect(out.has("gone")).toBe(false);
    expect(out.row(0).stays).toBe("old");
  });

  it("the original field stays, and quoted names may hold dots", () => {
    expect(out.row(0)).toMatchObject({ orig: "o1", src: "10.0.0.1" });
  });
});

describe("calculated fields (EVAL-)", () => {
  it("every EVAL- sees the fields as they were before any of them ran", () => {
    const k = kb({ "default/props.conf": "[st]\nEVAL-x = y * 2\nEVAL-y = 100\n" });
    expect(k.applySearchTime(Table.fromRows([{ y: 3 }]), META, CTX).row(0)).toMatchObject({ x: 6, y: 100 });
  });

  it("EVAL- sees field aliases, and an alias does not see calculated fields", () => {
    const k = kb({ "default/props.conf": "[st]\nFIELDALIAS-a = calc AS aliased\nEVAL-calc = base + 1\nFIELDALIAS-b = base AS b2\nEVAL-twice = b2 * 2\n" });
    const r = k.applySearchTime(Table.fromRows([{ base: 5 }]), META, CTX).row(0);
    expect(r).toMatchObject({ calc: 6, twice: 10 });
    expect(r.aliased).toBeUndefined();
  });

  it("a bad expression is reported at load, naming the file and line", () => {
    const k = kb({ "default/props.conf": "[st]\nEVAL-ok = 1\nEVAL-bad = 1 +\n" });
    expect(k.problems).toHaveLength(1);
    expect(k.problems[0]).toMatchObject({ line: 3 });
    expect(k.problems[0]!.message).toMatch(/^EVAL-bad: .*; skipped$/);
    expect(k.applySearchTime(Table.fromRows([{ y: 3 }]), META, CTX).row(0).ok).toBe(1);
  });
});

describe("field extractions (EXTRACT-, REPORT-)", () => {
  const k = kb({
    "default/props.conf": [
      "[st]",
      "EXTRACT-user = user=(?<user>\\w+)",
      "EXTRACT-port = (?<port>\\d+)/tcp in service",
      "REPORT-kv = kv_pairs, action_word",
      "REPORT-bad = split_fields",
    ].join("\n"),
    "default/transforms.conf": [
      "[kv_pairs]",
      "REGEX = (\\w+)::(\\w+)",
      "FORMAT = $1::$2",
      "[action_word]",
      "SOURCE_KEY = msg",
      "REGEX = (?i)^(ALLOW|DENY)",
      "FORMAT = verdict::$1 checked::yes",
      "[split_fields]",
      "DELIMS = \",\"",
      "FIELDS = a, b",
    ].join("\n"),
  });
  const events = Table.fromRows([
    { _raw: "login user=alice color::blue", service: "445/tcp", msg: "allow all" },
    { _raw: "no user here", service: "dns", msg: "other" },
  ]);
  const out = k.applySearchTime(events, META, CTX);

  it("EXTRACT- named groups become fields, from _raw or from the field after 'in'", () => {
    expect(out.row(0)).toMatchObject({ user: "alice", port: "445" });
    expect(out.row(1).user).toBeUndefined();
    expect(out.row(1).port).toBeUndefined();
  });

  it("REPORT- transforms apply in list order, with SOURCE_KEY and FORMAT", () => {
    expect(out.row(0)).toMatchObject({ color: "blue", verdict: "allow", checked: "yes" });
    expect(out.row(1).verdict).toBeUndefined();
  });

  it("DELIMS/FIELDS transforms are reported as not supported", () => {
    expect(k.problems.map((p) => p.message)).toEqual(["REPORT-bad: [split_fields]: DELIMS/FIELDS extractions are not supported; skipped"]);
  });
});

describe("automatic lookups (LOOKUP-)", () => {
  const files = (line: string) => ({
    "default/props.conf": `[st]\n${line}\n`,
    "default/transforms.conf": "[states]\nfilename = states.csv\n",
    "lookups/states.csv": "state,action,meaning\nSF,allowed,normal\nREJ,blocked,rejected\n",
  });
  const events = Table.fromRows([
    { conn_state: "SF", action: "old" },
    { conn_state: "XX", action: "old" },
    { action: "old" },
    { conn_state: "REJ" },
  ]);
  const col = (k: Knowledge, f: string) => k.applySearchTime(events, META, CTX).rows().map((r) => r[f] ?? null);

  it("OUTPUT overwrites, and clears the outputs of events with no matching entry", () => {
    const k = kb(files("LOOKUP-s = states state AS conn_state OUTPUT action"));
    expect(col(k, "action")).toEqual(["allowed", null, "old", "blocked"]);
  });

  it("OUTPUTNEW writes only where the event has no value", () => {
    const k = kb(files("LOOKUP-s = states state AS conn_state OUTPUTNEW action AS action, meaning"));
    expect(col(k, "action")).toEqual(["old", "old", "old", "blocked"]);
    expect(col(k, "meaning")).toEqual(["normal", null, null, "rejected"]);
  });

  it("without OUTPUT every other lookup field is written; output names can be renamed with AS", () => {
    const k = kb(files("lookup_s = states state AS conn_state"));
    expect(col(k, "meaning")).toEqual(["normal", null, null, "rejected"]);
    const renamed = kb(files("LOOKUP-s = states state AS conn_state OUTPUT meaning AS why"));
    expect(col(renamed, "why")).toEqual(["normal", null, null, "rejected"]);
  });

  it("an undefined lookup is reported when used", () => {
    const k = kb({ "default/props.conf": "[st]\nLOOKUP-x = nowhere a OUTPUT b\n" });
    k.applySearchTime(Table.fromRows([{ a: 1 }]), META, CTX);
    expect(k.problems.map((p) => p.message)).toEqual(["lookup nowhere is not defined (no transforms.conf stanza and no lookups/nowhere); skipped"]);
  });
});

describe("event types and tags", () => {
  const k = kb({
    "default/eventtypes.conf": [
      "[web_traffic]",
      "search = sourcetype=st dest_port=80 OR dest_port=443",
      "[failures]",
      "search = action=fail*",
      "[off]",
      "search = *",
      "disabled = 1",
    ].join("\n"),
    "default/tags.conf": [
      "[eventtype=web_traffic]",
      "web = enabled",
      "network = enabled",
      "[eventtype=failures]",
      "error = enabled",
      "network = disabled",
      "[host=WEB01]",
      "webserver = enabled",
      "[dest=10.0.0.1%2F32]",
      "odd = enabled",
    ].join("\n"),
  });
  const events = Table.fromRows([
    { dest_port: 443, action: "failed" },
    { dest_port: 22, action: "ok", dest: "10.0.0.1/32" },
  ]);
  const out = k.applySearchTime(events, META, CTX);

  it("eventtype lists every event type whose search matches, sorted", () => {
    expect(out.row(0).eventtype).toEqual(["failures", "web_traffic"]);
    expect(out.row(1).eventtype).toBeUndefined();
  });

  it("tags come from event types and from field=value stanzas (values URL-decoded, any case)", () => {
    expect(out.row(0).tag).toEqual(["error", "network", "web", "webserver"]);
    expect(out.row(1).tag).toEqual(["odd", "webserver"]);
  });

  it("tag and eventtype can be searched like any multivalue field", async () => {
    const { compileSearchExpr } = await import("../../src/search/match.js");
    const { parseSearch } = await import("../../src/parse/pipeline.js");
    const expr = (parseSearch("tag=web tag=network").stages[0]!.args as { expr: import("../../src/parse/ast.js").SearchExpr }).expr;
    const test = compileSearchExpr(expr, out, CTX);
    expect([test(0), test(1)]).toEqual([true, false]);
  });
});

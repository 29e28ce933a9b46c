import { afterAll, describe, expect, it } from "vitest";
import { CsvLookupTable, LOOKUP_DEFAULTS, type LookupDefinition, parseCsv, parseMatchType } from "../../src/knowledge/lookup.js";
import { knowledgeOf, scratch } from "./helpers.js";

function table(csv: string, over: Partial<LookupDefinition> = {}): CsvLookupTable {
  const { header, rows } = parseCsv(csv);
  return new CsvLookupTable({ name: "t", filename: "t.csv", matchTypes: new Map(), ...LOOKUP_DEFAULTS, ...over }, header, rows);
}

describe("lookup files", () => {
  it("reads CSV with quotes, doubled quotes, commas and line breaks inside quotes", () => {
    const text = '\ufeffa,b\r\n1,"x, ""y"""\n2,"two\nlines"\n\n3,\n';
    expect(parseCsv(text)).toEqual({ header: ["a", "b"], rows: [["1", 'x, "y"'], ["2", "two\nlines"], ["3", ""]] });
  });

  it("matches exactly and case-sensitively by default", () => {
    const t = table("conn_state,action\nSF,allowed\nREJ,blocked\n");
    expect(t.match(new Map([["conn_state", "SF"]]), ["action"])).toEqual(new Map([["action", "allowed"]]));
    expect(t.match(new Map([["conn_state", "sf"]]), ["action"])).toBeUndefined();
    expect(t.match(new Map([["conn_state", null]]), ["action"])).toBeUndefined();
  });

  it("case_sensitive_match = false matches in any case", () => {
    const t = table("user,dept\nAlice,sales\n", { caseSensitive: false });
    expect(t.match(new Map([["user", "ALICE"]]), ["dept"])?.get("dept")).toBe("sales");
  });

  it("several matching rows give a multivalue output, in file order, up to max_matches", () => {
    const csv = "host,owner\nweb,ann\ndb,bob\nweb,cid\nweb,dan\n";
    expect(table(csv).match(new Map([["host", "web"]]), ["owner"])?.get("owner")).toEqual(["ann", "cid", "dan"]);
    expect(table(csv, { maxMatches: 2 }).match(new Map([["host", "web"]]), ["owner"])?.get("owner")).toEqual(["ann", "cid"]);
  });

  it("a number in the event matches its text in the file", () => {
    const t = table("port,service\n445,smb\n");
    expect(t.match(new Map([["port", 445]]), ["service"])?.get("service")).toBe("smb");
  });

  it("without outputs, every field that is not an input is returned", () => {
    const t = table("ip,name,site\n10.0.0.1,fw1,hq\n");
    expect(t.match(new Map([["ip", "10.0.0.1"]]), [])).toEqual(new Map([["name", "fw1"], ["site", "hq"]]));
  });

  it("CIDR(field): an address matches the ranges holding it, the most specific first", () => {
    const t = table("range,zone\n10.0.0.0/8,corp\n10.1.0.0/16,lab\n0.0.0.0/0,any\n10.1.2.3,host\n", { matchTypes: new Map([["range", "CIDR"]]) });
    expect(t.match(new Map([["range", "10.1.2.3"]]), ["zone"])?.get("zone")).toEqual(["host", "lab", "corp", "any"]);
    expect(t.match(new Map([["range", "10.9.9.9"]]), ["zone"])?.get("zone")).toEqual(["corp", "any"]);
    expect(t.match(new Map([["range", "192.168.1.1"]]), ["zone"])?.get("zone")).toBe("any");
    expect(t.match(new Map([["range", "not-an-ip"]]), ["zone"])).toBeUndefined();
  });

  it("CIDR with max_matches = 1 gives the most specific range", () => {
    const t = table("range,zone\n10.0.0.0/8,corp\n10.1.0.0/16,lab\n", { matchTypes: new Map([["range", "CIDR"]]), maxMatches: 1 });
    expect(t.match(new Map([["range", "10.1.2.3"]]), ["zone"])?.get("zone")).toBe("lab");
  });

  it("CIDR works for IPv6 and together with an exact field", () => {
    const t = table("site,net,label\nhq,2001:db8::/32,doc\nlab,2001:db8::/32,other\n", { matchTypes: new Map([["net", "CIDR"]]) });
    const out = t.match(
      new Map([
        ["site", "hq"],
        ["net", "2001:db8::1"],
      ]),
      ["label"],
    );
    expect(out?.get("label")).toBe("doc");
  });

  it("WILDCARD(field): * in the file matches any characters", () => {
    const t = table("process,category\n*\\powershell.exe,shell\nC:\\Windows\\*,system\n", { matchTypes: new Map([["process", "WILDCARD"]]) });
    expect(t.match(new Map([["process", "C:\\Windows\\System32\\powershell.exe"]]), ["category"])?.get("category")).toEqual(["shell", "system"]);
    expect(t.match(new Map([["process", "D:\\tools\\x.exe"]]), ["category"])).toBeUndefined();
  });

  it("min_matches with default_match fills the outputs when nothing matches", () => {
    const t = table("code,meaning\n1,one\n", { minMatches: 1, defaultMatch: "unknown" });
    expect(t.match(new Map([["code", "7"]]), ["meaning"])?.get("meaning")).toBe("unknown");
    expect(t.match(new Map([["code", "1"]]), ["meaning"])?.get("meaning")).toBe("one");
  });

  it("each value of a multivalue input is looked up", () => {
    const t = table("port,service\n80,http\n443,https\n");
    expect(t.match(new Map([["port", ["443", "80", "22"]]]), ["service"])?.get("service")).toEqual(["https", "http"]);
  });

  it("asking for a field the lookup lacks is an error naming it", () => {
    const t = table("a,b\n1,2\n");
    expect(() => t.matcher(["c"], ["b"])).toThrow("lookup t has no field 'c' (its fields: a, b)");
  });

  it("reads match_type lists", () => {
    expect([...parseMatchType("WILDCARD(url), CIDR(ip)").types]).toEqual([
      ["url", "WILDCARD"],
      ["ip", "CIDR"],
    ]);
    expect(parseMatchType("FUZZY(x)").problems).toEqual(["match_type: unknown match type FUZZY (expected WILDCARD, CIDR or EXACT)"]);
  });
});

describe("lookups defined in transforms.conf", () => {
  const { root, cleanup } = scratch();
  afterAll(cleanup);

  const k = knowledgeOf(
    root,
    {
      "default/transforms.conf": [
        "[zones]",
        "filename = zones.csv",
        "match_type = CIDR(range)",
        "max_matches = 1",
        "[users]",
        "filename = ../../etc/passwd/users.csv",
        "case_sensitive_match = false",
        "[missing]",
        "filename = nowhere.csv",
        "[bad]",
        "filename = zones.csv",
        "max_matches = 0",
      ].join("\n"),
      "lookups/zones.csv": "range,zone\n10.0.0.0/8,corp\n10.1.0.0/16,lab\n",
      "lookups/users.csv": "user,dept\nalice,sales\n",
    },
    "lookup_app",
  );

  it("a stanza's filename, match_type and max_matches apply", () => {
    expect(k.lookup("zones")?.match(new Map([["range", "10.1.0.9"]]), ["zone"])?.get("zone")).toBe("lab");
  });

  it("a bare file name is a lookup with the default rules", () => {
    expect(k.lookup("zones.csv")?.match(new Map([["range", "10.1.0.0/16"]]), ["zone"])?.get("zone")).toBe("lab");
    expect(k.lookup("zones.csv")?.match(new Map([["range", "10.1.0.9"]]), ["zone"])).toBeUndefined();
  });

  it("only the file name of a path is used, inside the app's lookups folder", () => {
    expect(k.lookup("users")?.match(new Map([["user", "ALICE"]]), ["dept"])?.get("dept")).toBe("sales");
    expect(k.lookup("passwd")).toBeUndefined();
    expect(k.lookup("../lookups/users.csv")).toBeUndefined();
  });

  it("a missing file and a bad setting are reported; unknown names give undefined", () => {
    expect(k.lookup("missing")).toBeUndefined();
    expect(k.lookup("nope")).toBeUndefined();
    expect(k.problems.map((p) => p.message)).toEqual([
      "[missing] lookup file nowhere.csv is not in any app's lookups/ folder",
      '[bad] max_matches must be an integer from 1 to 1000, not "0"; using 100',
    ]);
    expect(k.lookupNames()).toEqual(["bad", "missing", "users", "users.csv", "zones", "zones.csv"]);
  });
});

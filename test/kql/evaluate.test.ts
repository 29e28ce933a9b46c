/**
 * KQL evaluated against documents (peers.md §2c: detection-rules' evaluator, Kibana's queries):
 * multi-valued fields, case-sensitive values, anchored wildcards, existence, ranges, nested groups,
 * CIDR ranges on ip fields (IPv4, and IPv6 written as quoted strings), field types, type errors.
 */
import { describe, expect, it } from "vitest";
import { SplError } from "../../src/diag/diagnostic.js";
import { locationOf } from "../../src/diag/render.js";
import { parseDateMath, parseDuration } from "../../src/kql/datemath.js";
import { compileKql, type FieldTypes } from "../../src/kql/evaluate.js";
import { parseKql } from "../../src/kql/parser.js";

const types: Record<string, string> = {
  "source.ip": "ip",
  "destination.ip": "ip",
  "destination.port": "long",
  "process.pid": "long",
  "process.name": "keyword",
  "@timestamp": "date",
  "dns.answers.data": "keyword",
  "event.category": "keyword",
  "user.is_admin": "boolean",
};
const fieldTypes: FieldTypes = (f) => types[f];
const NOW = Date.UTC(2024, 2, 8, 12) / 1000;

function matches(query: string, doc: Record<string, unknown>, withTypes = true): boolean {
  return compileKql(parseKql(query), { ...(withTypes ? { fieldTypes } : {}), now: NOW })(doc);
}

const doc = {
  "@timestamp": "2024-03-08T11:30:00.000Z",
  event: { category: ["network"], type: ["connection", "start"] },
  host: { os: { type: "windows" }, name: "WKS-03" },
  process: { pid: 4, name: "System", executable: "C:\\Windows\\System32\\svchost.exe" },
  network: { transport: "tcp" },
  source: { ip: "10.10.1.23", port: 51000 },
  destination: { ip: "175.16.199.10", port: 445 },
  user: { name: "alice", is_admin: false },
  tags: ["a", "b"],
};

describe("KQL matching", () => {
  it("field:value, against arrays too", () => {
    expect(matches("event.category:network", doc)).toBe(true);
    expect(matches("event.type:start", doc)).toBe(true);
    expect(matches("event.category:process", doc)).toBe(false);
    expect(matches("tags:(a and b)", doc)).toBe(true);
    expect(matches("tags:(a and c)", doc)).toBe(false);
    expect(matches("tags:(c or b)", doc)).toBe(true);
    expect(matches("tags:(not c)", doc)).toBe(true);
  });

  it("values are case-sensitive; keywords are not", () => {
    expect(matches("host.os.type:windows", doc)).toBe(true);
    expect(matches("host.os.type:Windows", doc)).toBe(false);
    expect(matches("host.os.type:windows AND NOT process.pid:5", doc)).toBe(true);
  });

  it("numbers compare as numbers (a long field, a value written 4 or 4.0)", () => {
    expect(matches("process.pid:4", doc)).toBe(true);
    expect(matches("process.pid:4.0", doc)).toBe(true);
    expect(matches("destination.port:(139 or 445)", doc)).toBe(true);
    expect(matches("destination.port:(139 or 8445)", doc)).toBe(false);
    // Without a type, a number in the document is still compared as a number.
    expect(matches("source.port:51000", doc, false)).toBe(true);
  });

  it("and, or, not with and binding tighter than or", () => {
    expect(matches("process.pid:5 and host.os.type:windows or network.transport:tcp", doc)).toBe(true);
    expect(matches("process.pid:5 and (host.os.type:windows or network.transport:tcp)", doc)).toBe(false);
    expect(matches("not process.pid:4", doc)).toBe(false);
  });

  it("quoted phrases are exact values", () => {
    expect(matches('process.executable:"C:\\Windows\\System32\\svchost.exe"', doc)).toBe(true);
    expect(matches('process.executable:"svchost.exe"', doc)).toBe(false);
  });

  it("wildcards are anchored and case-sensitive; a quoted star is a star", () => {
    expect(matches("process.executable:*svchost.exe", doc)).toBe(true);
    expect(matches("process.executable:C\\:\\\\Windows\\\\*", doc)).toBe(true);
    expect(matches("process.executable:*svchost", doc)).toBe(false);
    expect(matches("process.executable:*SVCHOST.EXE", doc)).toBe(false);
    expect(matches("host.name:WKS-0*", doc)).toBe(true);
    expect(matches('host.name:"WKS-0*"', doc)).toBe(false);
    expect(matches('host.name:"WKS-0*"', { host: { name: "WKS-0*" } })).toBe(true);
  });

  it("field:* asks whether the field has a value", () => {
    expect(matches("user.name:*", doc)).toBe(true);
    expect(matches("user.id:*", doc)).toBe(false);
    expect(matches("not user.id:*", doc)).toBe(true);
    expect(matches("user.is_admin:*", doc)).toBe(true);
  });

  it("ranges on numbers, dates (with date math) and strings", () => {
    expect(matches("destination.port >= 445", doc)).toBe(true);
    expect(matches("destination.port > 445", doc)).toBe(false);
    expect(matches("destination.port < 1024 and source.port > 49151", doc)).toBe(true);
    expect(matches('@timestamp >= "2024-03-08T11:00:00Z"', doc)).toBe(true);
    expect(matches("@timestamp > now-1h", doc)).toBe(true);
    expect(matches("@timestamp > now-15m", doc)).toBe(false);
    expect(matches("host.name < WKS-04", doc)).toBe(true);
    expect(matches("host.name >= WKS-04", doc)).toBe(false);
  });

  it("ranges on ip fields order addresses", () => {
    expect(matches("destination.ip >= 175.16.199.0 and destination.ip <= 175.16.199.255", doc)).toBe(true);
    expect(matches("destination.ip < 10.0.0.0", doc)).toBe(false);
  });

  it("nested groups: one element of the field must match the whole inner query", () => {
    const dns = { dns: { answers: [{ type: "CNAME", data: "a.example" }, { type: "A", data: "1.2.3.4" }] } };
    expect(matches("dns.answers:{ type:A and data:1.2.3.4 }", dns)).toBe(true);
    expect(matches("dns.answers:{ type:CNAME and data:1.2.3.4 }", dns)).toBe(false);
    // The same fields without the group match across elements.
    expect(matches("dns.answers.type:CNAME and dns.answers.data:1.2.3.4", dns)).toBe(true);
  });

  it("fields written with dots in their keys are the same fields", () => {
    expect(matches("process.pid:4", { "process.pid": 4 })).toBe(true);
    expect(matches("process.pid:4", { process: { "pid": [3, 4] } })).toBe(true);
    expect(matches("a.b.c:1", { "a.b": { c: 1 } })).toBe(true);
  });

  it("a value without a field matches any field", () => {
    expect(matches("WKS-03", doc)).toBe(true);
    expect(matches("WKS-04", doc)).toBe(false);
    expect(matches("*", doc)).toBe(true);
  });

  it("field names with wildcards stand for every field they match", () => {
    expect(matches("process.*:System", doc)).toBe(true);
    expect(matches("*.ip:175.16.199.0/24", doc)).toBe(true);
    expect(matches("process.*:alice", doc)).toBe(false);
  });

  it("booleans", () => {
    expect(matches("user.is_admin:false", doc)).toBe(true);
    expect(matches("user.is_admin:true", doc)).toBe(false);
  });
});

describe("CIDR ranges on ip fields", () => {
  it("IPv4 ranges and addresses", () => {
    expect(matches("source.ip:10.0.0.0/8", doc)).toBe(true);
    expect(matches("source.ip:(172.16.0.0/12 or 192.168.0.0/16)", doc)).toBe(false);
    expect(matches("destination.ip:175.16.199.10", doc)).toBe(true);
    expect(matches("destination.ip:175.16.199.0/24 and not destination.ip:175.16.199.11", doc)).toBe(true);
  });

  it("IPv6, written as quoted strings: any spelling of the same address, ranges in either case", () => {
    const v6 = { destination: { ip: "fe80:0:0:0:44af:a0ee:c7f9:e9ed" }, source: { ip: "0:0:0:0:0:0:0:1" } };
    expect(matches('destination.ip:"FE80::/10"', v6)).toBe(true);
    expect(matches('destination.ip:"fe80::44af:a0ee:c7f9:e9ed"', v6)).toBe(true);
    expect(matches('destination.ip:"FF00::/8"', v6)).toBe(false);
    expect(matches('source.ip:"::1"', v6)).toBe(true);
    // An IPv4 range never holds an IPv6 address.
    expect(matches("destination.ip:0.0.0.0/0", v6)).toBe(false);
  });

  it("without a declared type, a range still matches an address-valued field (the Python evaluator's rule)", () => {
    expect(matches("source.ip:10.0.0.0/8", doc, false)).toBe(true);
    expect(matches('source.ip:"::1"', { source: { ip: "0:0:0:0:0:0:0:1" } }, false)).toBe(true);
    expect(matches("host.name:10.0.0.0/8", doc, false)).toBe(false);
  });

  it("a value that is not an address on an ip field is a located error", () => {
    const err = compileError("event.category:network and destination.ip:(10.0.0.0/8 or bogus)");
    expect(err.message).toBe("'bogus' is not an IP address or CIDR range, and destination.ip is an ip field");
    expect(err.column).toBe(58);
  });

  it("wildcards on ip and numeric fields, and words on numeric fields, are errors", () => {
    expect(compileError("destination.ip:10.*").message).toBe("wildcards cannot be used on destination.ip, a field of type ip (only on keyword fields)");
    expect(compileError("process.pid:four").message).toBe("'four' is not a number, and process.pid is a numeric field");
    expect(compileError("user.is_admin:yes").message).toBe("'yes' is not true or false, and user.is_admin is a boolean field");
  });
});

function compileError(query: string): { message: string; column: number } {
  const q = parseKql(query);
  try {
    compileKql(q, { fieldTypes });
  } catch (e) {
    if (!(e instanceof SplError)) throw e;
    return { message: e.diagnostics[0]!.message, column: locationOf(e, e.diagnostics[0]!).column };
  }
  throw new Error("expected an error");
}

describe("Elasticsearch date math", () => {
  const now = Date.UTC(2024, 2, 8, 13, 40, 0) / 1000;
  it("now with offsets and rounding", () => {
    expect(parseDateMath("now", now)).toBe(now);
    expect(parseDateMath("now-9m", now)).toBe(now - 540);
    expect(parseDateMath("now-7d", now)).toBe(now - 7 * 86_400);
    expect(parseDateMath("now-1d/d", now)).toBe(Date.UTC(2024, 2, 7) / 1000);
    expect(parseDateMath("now/w", now)).toBe(Date.UTC(2024, 2, 4) / 1000); // a Monday
    expect(parseDateMath("now-1M", now)).toBe(Date.UTC(2024, 1, 8, 13, 40) / 1000);
    expect(parseDateMath("2024-03-08T00:00:00Z||+1h", now)).toBe(Date.UTC(2024, 2, 8, 1) / 1000);
    expect(parseDateMath("now-9x", now)).toBeUndefined();
    expect(parseDateMath("yesterday", now)).toBeUndefined();
  });
  it("durations", () => {
    expect(parseDuration("5m")).toBe(300);
    expect(parseDuration("1h")).toBe(3600);
    expect(parseDuration("0m")).toBeUndefined();
    expect(parseDuration("5 minutes")).toBeUndefined();
  });
});

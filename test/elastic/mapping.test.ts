/**
 * ECS mappings as data (mappings/*.yml): each spec key, the shipped files, and what is wrong with a
 * bad file.
 */
import { describe, expect, it } from "vitest";
import { buildSet, documentBuilder, loadMappings, parseMapping, type EcsMapping } from "../../src/elastic/mapping.js";
import { Table } from "../../src/table/table.js";

function mapping(yaml: string): EcsMapping {
  const m = parseMapping(yaml, "test.yml");
  if (typeof m === "string") throw new Error(m);
  return m;
}

describe("a mapping's field specs", () => {
  const m = mapping(`
name: t
sourcetypes: [st]
where: { EventID: [3, 4] }
index: logs-t-default
fields:
  "@timestamp": { from: UtcTime, type: date }
  event.category: { value: [network] }
  event.kind: { value: event }
  process.pid: { type: long, from: [ProcessId, { field: Message, regex: 'ProcessId: (\\d+)' }] }
  process.name: { from: Image, regex: '([^\\\\]+)$' }
  user.name: { from: User, regex: '^[^\\\\]+\\\\([^\\\\]+)$' }
  network.transport: { from: Protocol, lowercase: true }
  network.direction: { from: Initiated, map: { "true": egress, "false": ingress } }
  source.ip: { from: SourceIp, type: ip }
  source.domain: { from: SourceHostname, ignore: ["-"] }
  event.duration: { from: duration, type: long, scale: 1000000000 }
  flag: { from: Flag, type: boolean }
  both: { fromAll: [a, b], map: { "T|F": outbound } }
  tags: Tags
`);
  const table = Table.fromRows([
    { EventID: 3, UtcTime: "2024-03-08 13:37:21.512", ProcessId: "4", Image: "C:\\Windows\\explorer.exe", User: "CORP\\alice", Protocol: "TCP", Initiated: "true", SourceIp: "10.0.0.1", SourceHostname: "-", duration: "0.25", Flag: "True", a: "T", b: "F", Tags: ["x", "y"] },
    { EventID: "4", UtcTime: "2024-03-08T13:37:22Z", Message: "Network connection detected:\r\nProcessId: 4\r\nImage: System", Image: "System", User: "SYSTEM", Initiated: "maybe", SourceIp: "not-an-ip", a: "T" },
    { EventID: 1, Image: "x" },
  ]);
  const build = documentBuilder(m, table);

  it("builds nested documents", () => {
    expect(build(0)).toEqual({
      "@timestamp": "2024-03-08T13:37:21.512Z",
      event: { category: ["network"], kind: "event", duration: 250_000_000 },
      process: { pid: 4, name: "explorer.exe" },
      user: { name: "alice" },
      network: { transport: "tcp", direction: "egress" },
      source: { ip: "10.0.0.1" },
      flag: true,
      both: "outbound",
      tags: ["x", "y"],
    });
  });

  it("leaves out what is absent, unmapped or does not convert; takes the first source that has a value", () => {
    expect(build(1)).toEqual({
      "@timestamp": "2024-03-08T13:37:22.000Z",
      event: { category: ["network"], kind: "event" },
      process: { pid: 4, name: "System" },
    });
  });

  it("where keeps only the events it names", () => {
    expect(build(2)).toBeNull();
  });

  it("declares field types for KQL", () => {
    const set = buildSet([m]);
    expect(set.fieldTypes.get("source.ip")).toBe("ip");
    expect(set.fieldTypes.get("process.pid")).toBe("long");
    expect(set.fieldTypes.get("process.name")).toBe("keyword");
  });
});

describe("bad mapping files", () => {
  const bad = (yaml: string) => parseMapping(yaml, "bad.yml");
  it("say what is wrong", () => {
    expect(bad("fields: {}")).toBe("sourcetypes: expected a sourcetype name or a list of them");
    expect(bad("sourcetypes: [a]")).toBe("fields: expected ECS field names, each with how it is made");
    expect(bad("sourcetypes: [a]\nfields: { x: { from: a, value: 1 } }")).toBe("fields.x: give exactly one of from, fromAll or value");
    expect(bad("sourcetypes: [a]\nfields: { x: { from: a, type: integerish } }")).toBe(
      "fields.x: type: expected one of keyword, long, integer, short, byte, double, float, ip, date, boolean",
    );
    expect(bad("sourcetypes: [a]\nfields: { x: { from: a, regexp: b } }")).toMatch(/^fields\.x: unknown key 'regexp'/);
    expect(bad("sourcetypes: [a]\nfields: { x: { from: a, regex: '(' } }")).toMatch(/^fields\.x: regex: /);
    expect(bad("sourcetypes: [a]\nformat: yaml\nfields: {}")).toBe("format: expected json, xml, csv or tsv");
    expect(bad("a: [")).toMatch(/^not valid YAML/);
  });

  it("conflicting field types across mappings are reported", () => {
    const a = mapping("sourcetypes: [a]\nfields: { x: { from: a, type: ip } }");
    const b = mapping("sourcetypes: [b]\nfields: { x: { from: b, type: long } }");
    const set = buildSet([a, b]);
    expect(set.fieldTypes.get("x")).toBe("ip");
    expect(set.problems).toEqual([{ file: "test.yml", message: "x is long here but ip in another mapping; ip is used" }]);
  });
});

describe("the shipped mappings", () => {
  it("load without problems: Sysmon (NXLog JSON and XmlWinEventLog) and Zeek conn", () => {
    const set = loadMappings();
    expect(set.problems).toEqual([]);
    expect(set.mappings.map((m) => m.name).sort()).toEqual(["sysmon-network-nxlog", "sysmon-network-xml", "zeek-conn"]);
    for (const f of ["source.ip", "destination.ip"]) expect(set.fieldTypes.get(f)).toBe("ip");
    for (const f of ["process.pid", "source.port", "destination.port"]) expect(set.fieldTypes.get(f)).toBe("long");
  });
});

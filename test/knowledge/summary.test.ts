import { describe, expect, it } from "vitest";
import { dataset, datasetFields } from "../../src/knowledge/datamodel.js";
import { Knowledge } from "../../src/knowledge/knowledge.js";
import { buildSummary, concatSummaries } from "../../src/knowledge/summary.js";
import { DictColumn, Table } from "../../src/table/table.js";
import { CTX } from "./helpers.js";

const shipped = Knowledge.load();
const model = shipped.dataModels.get("Network_Traffic")!;

const zeek = shipped.applySearchTime(
  Table.fromRows([
    {
      _time: 1_600_000_000,
      uid: "C1",
      "id.orig_h": "10.0.0.5",
      "id.orig_p": 49152,
      "id.resp_h": "10.0.0.9",
      "id.resp_p": 445,
      proto: "TCP",
      service: "smb",
      conn_state: "SF",
      local_orig: "true",
      local_resp: "false",
      orig_bytes: 10,
      resp_bytes: 20,
    },
    { _time: 1_600_000_001, uid: "C2", "id.orig_h": "10.0.0.6", "id.resp_h": "10.0.0.10", proto: "udp", conn_state: "REJ" },
    { _time: 1_600_000_002, uid: "C3", "id.orig_h": "10.0.0.7", "id.resp_h": "10.0.0.11", conn_state: "S0" },
  ]),
  { sourcetype: "bro:conn:json", source: "conn.json", host: "sensor1" },
  CTX,
);
const other = shipped.applySearchTime(Table.fromRows([{ _time: 1_600_000_003, msg: "not network" }]), { sourcetype: "_json", source: "x.json", host: "h" }, CTX);
const events = Table.concat([zeek, other]);
const summary = buildSummary(model, events, CTX);
const t = summary.table;
const rows = (name: string) => [...summary.membership.get(name)!];

describe("the CIM Network_Traffic model", () => {
  it("has All_Traffic and its three child datasets, parents first", () => {
    expect(model.datasets.map((d) => [d.name, d.parent, d.lineage, d.constraint])).toEqual([
      ["All_Traffic", "BaseEvent", "All_Traffic", "tag=network tag=communicate"],
      ["Traffic_By_Action", "All_Traffic", "All_Traffic.Traffic_By_Action", "action=*"],
      ["Allowed_Traffic", "Traffic_By_Action", "All_Traffic.Traffic_By_Action.Allowed_Traffic", "action=allowed"],
      ["Blocked_Traffic", "Traffic_By_Action", "All_Traffic.Traffic_By_Action.Blocked_Traffic", "action=blocked"],
    ]);
  });

  it("All_Traffic declares every field of the CIM, with types and multivalue flags", () => {
    const root = dataset(model, "All_Traffic")!;
    expect(root.fields).toHaveLength(50);
    expect(root.fields.find((f) => f.name === "dest_translated_port")).toMatchObject({ type: "number", multivalue: false });
    expect(root.fields.find((f) => f.name === "tag")).toMatchObject({ type: "string", multivalue: true });
    expect(root.fields.filter((f) => f.multivalue).map((f) => f.name)).toEqual(["dest_category", "dvc_category", "src_category", "tag", "tcp_flag", "user_category", "vlan", "wifi"]);
  });

  it("the calculated fields come in the CIM's order", () => {
    const root = dataset(model, "All_Traffic")!;
    expect(root.calculations.map((c) => c.outputFields[0]!.name)).toEqual([
      "action", "bytes", "bytes_in", "bytes_out", "dest", "dest_port", "dvc", "packets", "packets_in", "packets_out",
      "rule", "src", "src_port", "transport", "user", "vendor_product",
    ]);
    expect(root.calculations[0]!.expression).toBe('if(isnull(action) OR action="","unknown",action)');
    expect(datasetFields(root)).toHaveLength(50 + 16);
  });
});

describe("the Network_Traffic summary of Zeek conn events", () => {
  it("holds the events tagged network and communicate, not the others", () => {
    expect(t.length).toBe(3);
    expect(t.rows().map((r) => r["All_Traffic.flow_id"])).toEqual(["C1", "C2", "C3"]);
  });

  it("keeps _time, host, source, sourcetype and index unprefixed", () => {
    expect(t.row(0)).toMatchObject({ _time: 1_600_000_000, host: "sensor1", source: "conn.json", sourcetype: "bro:conn:json" });
  });

  it("maps the event fields to All_Traffic.<field>", () => {
    expect(t.row(0)).toMatchObject({
      "All_Traffic.src": "10.0.0.5",
      "All_Traffic.src_ip": "10.0.0.5",
      "All_Traffic.dest": "10.0.0.9",
      "All_Traffic.dest_ip": "10.0.0.9",
      "All_Traffic.app": "smb",
      "All_Traffic.direction": "outbound",
      "All_Traffic.action": "allowed",
      "All_Traffic.tag": ["communicate", "network"],
    });
  });

  it("dest_port is a number, and 0 for an event without one", () => {
    expect(t.row(0)["All_Traffic.dest_port"]).toBe(445);
    expect(t.row(1)["All_Traffic.dest_port"]).toBe(0);
  });

  it("src_port keeps its value, and is 0 when absent", () => {
    expect(t.row(0)["All_Traffic.src_port"]).toBe(49152);
    expect(t.row(1)["All_Traffic.src_port"]).toBe(0);
  });

  it("bytes is bytes_in + bytes_out; bytes fields are numbers", () => {
    expect(t.row(0)).toMatchObject({ "All_Traffic.bytes_in": 10, "All_Traffic.bytes_out": 20, "All_Traffic.bytes": 30 });
    expect(t.row(1)["All_Traffic.bytes"]).toBeUndefined();
  });

  it("transport is lower-cased, and unknown when absent", () => {
    expect([0, 1, 2].map((i) => t.row(i)["All_Traffic.transport"])).toEqual(["tcp", "udp", "unknown"]);
  });

  it("src, dest, user, rule and dvc are never null; dvc is the sensor's host (the add-on's EVAL-dvc)", () => {
    expect(t.row(2)).toMatchObject({ "All_Traffic.src": "10.0.0.7", "All_Traffic.user": "unknown", "All_Traffic.rule": "unknown", "All_Traffic.dvc": "sensor1" });
  });

  it("vendor_product comes from the add-on knowledge", () => {
    expect(t.row(0)["All_Traffic.vendor_product"]).toBe("Zeek");
  });

  it("child datasets: every row has an action; SF is allowed, REJ blocked, S0 (dropped) neither", () => {
    expect(rows("All_Traffic")).toEqual([0, 1, 2]);
    expect(rows("Traffic_By_Action")).toEqual([0, 1, 2]);
    expect(rows("Allowed_Traffic")).toEqual([0]);
    expect(rows("Blocked_Traffic")).toEqual([1]);
    expect(t.row(2)["All_Traffic.action"]).toBe("dropped");
  });

  it("columns are dictionary-coded and nothing went wrong", () => {
    expect(t.column("All_Traffic.action")).toBeInstanceOf(DictColumn);
    expect(summary.problems).toEqual([]);
  });

  it("summaries built per dataset can be joined", () => {
    const a = buildSummary(model, zeek.take(Uint32Array.of(0, 1)), CTX);
    const b = buildSummary(model, zeek.take(Uint32Array.of(2)), CTX);
    const joined = concatSummaries(model, [a, b]);
    expect(joined.table.length).toBe(3);
    expect([...joined.membership.get("Blocked_Traffic")!]).toEqual([1]);
    expect(joined.table.row(2)["All_Traffic.flow_id"]).toBe("C3");
  });
});

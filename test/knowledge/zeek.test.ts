import { describe, expect, it } from "vitest";
import { Knowledge } from "../../src/knowledge/knowledge.js";
import { Table } from "../../src/table/table.js";
import { CTX } from "./helpers.js";

const shipped = Knowledge.load();
const JSON_META = { sourcetype: "bro:conn:json", source: "conn.json", host: "sensor1" };

/** Zeek conn events as the JSON reader gives them (dotted names, booleans as "true"/"false"). */
const events = Table.fromRows([
  {
    _time: 1_600_000_000.5,
    uid: "CsmbA1",
    "id.orig_h": "10.0.0.5",
    "id.orig_p": 49152,
    "id.resp_h": "10.0.0.9",
    "id.resp_p": 445,
    proto: "tcp",
    service: "smb",
    conn_state: "SF",
    local_orig: "true",
    local_resp: "false",
    orig_bytes: 10,
    resp_bytes: 20,
    orig_pkts: 3,
    resp_pkts: 4,
    duration: 1.5,
  },
  {
    _time: 1_600_000_001,
    uid: "CrejB2",
    "id.orig_h": "192.168.1.7",
    "id.orig_p": 50000,
    "id.resp_h": "8.8.8.8",
    proto: "UDP",
    conn_state: "REJ",
    local_orig: "false",
    local_resp: "true",
    orig_bytes: "-",
  },
]);

describe("Zeek conn logs with the shipped knowledge", () => {
  const out = shipped.applySearchTime(events, JSON_META, CTX);
  const row = (i: number) => out.row(i);

  it("the shipped apps load without problems", () => {
    expect(shipped.problems).toEqual([]);
  });

  it("bro:conn:json is read as JSON with its epoch-seconds timestamp", () => {
    expect(shipped.formatFor("bro:conn:json")).toEqual({ kind: "json", timestampField: "ts", timeFormat: "%s.%6N" });
  });

  it("bro:conn (Zeek TSV) is read as TSV", () => {
    expect(shipped.formatFor("bro:conn")).toEqual({ kind: "tsv", timestampField: "ts", timeFormat: "%s.%6N" });
  });

  it("generic JSON and CSV files have sourcetypes too", () => {
    expect(shipped.formatFor("_json")).toEqual({ kind: "json" });
    expect(shipped.formatFor("csv")).toEqual({ kind: "csv" });
  });

  it("an unknown sourcetype has no format, and the reason says how to add one", () => {
    expect(shipped.formatFor("bro:dns:json")).toBeUndefined();
    expect(shipped.formatProblem("bro:dns:json")).toBe("unknown sourcetype bro:dns:json: no props.conf stanza in the loaded apps (add one with --apps)");
  });

  it("originator and responder addresses become src/src_ip and dest/dest_ip", () => {
    expect(row(0)).toMatchObject({ src: "10.0.0.5", src_ip: "10.0.0.5", src_port: 49152, dest: "10.0.0.9", dest_ip: "10.0.0.9", dest_port: 445 });
  });

  it("the original fields stay", () => {
    expect(row(0)).toMatchObject({ "id.orig_h": "10.0.0.5", "id.resp_p": 445 });
  });

  it("service becomes app, uid flow_id, proto transport", () => {
    expect(row(0)).toMatchObject({ app: "smb", flow_id: "CsmbA1", transport: "tcp" });
    expect(row(1)).toMatchObject({ flow_id: "CrejB2", transport: "UDP" });
  });

  it("conn_state SF is allowed and REJ blocked, through the conn_state lookup", () => {
    expect(row(0)).toMatchObject({ action: "allowed", conn_state_meaning: "Normal establishment and termination" });
    expect(row(1)).toMatchObject({ action: "blocked", conn_state_meaning: "Connection attempt rejected" });
  });

  it("local_orig true and local_resp false is outbound; the reverse is inbound", () => {
    expect(row(0).direction).toBe("outbound");
    expect(row(1).direction).toBe("inbound");
  });

  it("orig_bytes becomes bytes_in and resp_bytes bytes_out, as the Zeek add-on maps them", () => {
    expect(row(0)).toMatchObject({ bytes_in: "10", bytes_out: "20", bytes: 30 });
    expect(row(0)).toMatchObject({ packets_out: 3, packets_in: 4, packets: 7, duration: 1.5 });
  });

  it("an unset orig_bytes (-) gives no bytes_in", () => {
    expect(row(1).bytes_in).toBeUndefined();
    expect(row(1).bytes_out).toBeUndefined();
  });

  it("an event without id.resp_p has no dest_port", () => {
    expect(row(1).dest_port).toBeUndefined();
  });

  it("conn events get the bro_conn event type and the network and communicate tags", () => {
    expect(row(0)).toMatchObject({ eventtype: "bro_conn", tag: ["communicate", "network"] });
    expect(row(1)).toMatchObject({ eventtype: "bro_conn", tag: ["communicate", "network"] });
  });

  it("vendor_product names Zeek", () => {
    expect(row(0).vendor_product).toBe("Zeek");
  });

  it("TSV logs, whose header cleaning turns id.orig_h into id_orig_h, map the same way", () => {
    const tsv = Table.fromRows([
      { id_orig_h: "10.0.0.5", id_orig_p: "49152", id_resp_h: "10.0.0.9", id_resp_p: "445", proto: "tcp", conn_state: "S0", local_orig: "T", local_resp: "T", orig_bytes: "0" },
    ]);
    const r = shipped.applySearchTime(tsv, { sourcetype: "bro:conn", source: "conn.log", host: "sensor1" }, CTX).row(0);
    expect(r).toMatchObject({ src: "10.0.0.5", src_ip: "10.0.0.5", src_port: "49152", dest: "10.0.0.9", dest_port: "445", action: "dropped", direction: "internal", bytes_in: "0", tag: ["communicate", "network"] });
  });

  it("events of another sourcetype are not touched by the Zeek knowledge", () => {
    const other = Table.fromRows([{ "id.orig_h": "10.0.0.5", conn_state: "SF" }]);
    const r = shipped.applySearchTime(other, { sourcetype: "_json", source: "x.json", host: "h" }, CTX).row(0);
    expect(r).toEqual({ "id.orig_h": "10.0.0.5", conn_state: "SF", host: "h", source: "x.json", sourcetype: "_json" });
  });
});

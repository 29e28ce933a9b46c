/**
 * apps/spelunk_sysmon: Sysmon Event ID 3 in CIM Network_Traffic terms, as the Splunk Add-on for
 * Sysmon gives it (peers.md §5): src_ip, dest_ip, ports, transport from Protocol, app from Image,
 * action allowed, direction from Initiated, the ms-sysmon-network event type and its network and
 * communicate tags; for NXLog's JSON and for XmlWinEventLog (read with the XML reader).
 */
import { describe, expect, it } from "vitest";
import { DataStore } from "../../src/exec/store.js";
import { readDataset } from "../../src/ingest/read.js";
import { Knowledge } from "../../src/knowledge/knowledge.js";
import type { Table } from "../../src/table/table.js";
import { OTRF_SYSMON, SYSMON_XML, SYSMON_XML_SOURCE } from "./helpers.js";

const CTX = { now: 0, tz: "UTC" };
const CIM = ["src_ip", "src_port", "dest_ip", "dest_port", "transport", "app", "action", "direction", "protocol", "src", "dest", "dvc", "user", "process_id", "process_name", "signature", "signature_id", "vendor_product", "eventtype", "tag"];

function cim(t: Table, row: number): Record<string, unknown> {
  return Object.fromEntries(CIM.map((f) => [f, t.get(row, f)]));
}

describe("Sysmon network connections in CIM terms", () => {
  it("NXLog JSON (the OTRF sample): an initiated SMB connection of the System process", async () => {
    const { store } = await DataStore.load([{ path: OTRF_SYSMON, sourcetype: "nxlog:sysmon:json", source: "otrf", host: "wec", index: "main" }], Knowledge.load(), CTX);
    const events = store.events();
    const row = [...Array(events.length).keys()].find((r) => events.get(r, "RecordNumber") === 3518604)!;
    expect(events.get(row, "_time")).toBe(Date.UTC(2020, 8, 22, 18, 53, 31, 668) / 1000);
    expect(cim(events, row)).toEqual({
      src_ip: "172.18.39.5",
      src_port: "62782",
      dest_ip: "172.18.39.6",
      dest_port: "445",
      transport: "tcp",
      app: "System",
      action: "allowed",
      direction: "outbound",
      protocol: "ip",
      src: "172.18.39.5",
      dest: "172.18.39.6",
      dvc: "WORKSTATION5.theshire.local",
      user: "NT AUTHORITY\\SYSTEM",
      process_id: null,
      process_name: "System",
      signature: "Network connection",
      signature_id: 3,
      vendor_product: "Microsoft Sysmon",
      eventtype: "ms-sysmon-network",
      tag: ["communicate", "network"],
    });
  });

  it("XmlWinEventLog: the received side of an SMB connection is inbound", async () => {
    const knowledge = Knowledge.load();
    const spec = { path: SYSMON_XML, sourcetype: "XmlWinEventLog", source: SYSMON_XML_SOURCE, host: "wec01", index: "main" };
    const read = await readDataset(spec, knowledge.formatFor(spec.sourcetype, spec.source) ?? { kind: "xml" });
    const events = knowledge.applySearchTime(read.events, { sourcetype: spec.sourcetype, source: spec.source, host: spec.host }, CTX);
    const row = [...Array(events.length).keys()].find((r) => events.get(r, "Initiated") === "false")!;
    expect(cim(events, row)).toMatchObject({
      dest_ip: "10.10.0.5",
      dest_port: "445",
      transport: "tcp",
      app: "System",
      action: "allowed",
      direction: "inbound",
      dest: "FS-01.corp.example",
      dvc: "FS-01.corp.example",
      process_id: "4",
      process_name: "System",
      signature_id: "3",
      eventtype: "ms-sysmon-network",
      tag: ["communicate", "network"],
    });
  });
});

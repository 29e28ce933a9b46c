/**
 * Elastic's "Rare SMB Connection to the Internet" (new_terms on destination.ip, from now-9m, every
 * 5m, history from now-7d) and Splunk's "Detect Outbound SMB Traffic" (seed 1) on the same replayed
 * Sysmon events: eight days of SMB in which the System process reaches a new public address on the
 * last day (the scenario is listed in fixtures/generators/sysmon-smb.ts).
 *
 * Worked out by hand from the scenario:
 * - the schedule starts at the first 5-minute mark after the earliest event + 7 days (the first run
 *   with a full history) and ends at the first mark after the latest event;
 * - 175.16.199.10 is first seen at 13:37:21.512 on 2024-03-08; the 13:40 run searches
 *   [13:31, 13:40) and raises the alert; the 13:45 run finds the same first document again (no second
 *   alert: same id); from the 13:50 run on, the 13:37 connections are in the history window;
 * - 81.2.69.142 and 89.160.20.115 are reached every day, so every run's history holds them;
 * - explorer.exe's public SMB (2024-03-03) is not process.pid 4, and 100.64.12.7 is excluded by
 *   the query, so neither alerts;
 * - seed 1 reports every public SMB destination by source: the two partner shares, the new address
 *   (4 connections) and explorer.exe's (app = its path), with MaxMind's test locations.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { alertsTable, elasticRunCommand, runElasticRule } from "../../src/cli/elastic.js";
import { main } from "../../src/cli/main.js";
import { DataStore } from "../../src/exec/store.js";
import { runSearch } from "../../src/exec/run.js";
import type { DataSource } from "../../src/exec/datasource.js";
import { readDataset } from "../../src/ingest/read.js";
import { Knowledge } from "../../src/knowledge/knowledge.js";
import { buildSummary } from "../../src/knowledge/summary.js";
import { loadShippedMacros } from "../../src/macros/load.js";
import { NumberColumn } from "../../src/table/table.js";
import {
  connections,
  HISTORY_ADDRESSES,
  NEW_ADDRESS,
  NEW_ADDRESS_FIRST_SEEN,
  nxlogLines,
  USER_PROCESS_SMB,
  xmlLines,
} from "../../fixtures/generators/sysmon-smb.js";
import { loadDocuments } from "../../src/elastic/documents.js";
import { executeRule } from "../../src/elastic/execute.js";
import { loadMappings } from "../../src/elastic/mapping.js";
import { parseElasticRule } from "../../src/elastic/rule.js";
import { RULE_FILE, RULE_TEXT, SYSMON_JSON, SYSMON_XML, SYSMON_XML_SOURCE, utc } from "./helpers.js";

const nxlog = { path: SYSMON_JSON, sourcetype: "nxlog:sysmon:json", source: "sysmon", host: "wec01", index: undefined };
const xml = { path: SYSMON_XML, sourcetype: "XmlWinEventLog", source: SYSMON_XML_SOURCE, host: "wec01", index: undefined };
const first = connections()[0]!.time;
const last = connections()[connections().length - 1]!.time;
const mark = (t: number) => Math.floor(t / 300) * 300 + 300;

describe("the generated dataset", () => {
  it("is exactly what its generator makes, in both forms", () => {
    expect(readFileSync(SYSMON_JSON, "utf8")).toBe(`${nxlogLines().join("\n")}\n`);
    expect(readFileSync(SYSMON_XML, "utf8")).toBe(`${xmlLines().join("\n")}\n`);
  });

  it("spans eight days, and the new address appears only on the last", () => {
    expect(new Date(first * 1000).toISOString().slice(0, 10)).toBe("2024-03-01");
    expect(new Date(last * 1000).toISOString().slice(0, 10)).toBe("2024-03-08");
    const toNew = connections().filter((c) => c.dest === NEW_ADDRESS);
    expect(toNew.map((c) => c.time)[0]).toBe(NEW_ADDRESS_FIRST_SEEN);
    expect(toNew.every((c) => c.pid === 4 && c.time >= utc("2024-03-08T00:00:00Z"))).toBe(true);
  });
});

describe("the Elastic rule, scheduled over the timeline", () => {
  for (const [form, data] of [["NXLog JSON", nxlog], ["XmlWinEventLog", xml]] as const) {
    it(`alerts once, for the new address, at the run that covers it (${form})`, async () => {
      const result = await runElasticRule({ rulePath: RULE_FILE, data: [data] });
      expect(result.firstRun).toBe(mark(first + 7 * 86_400));
      expect(result.lastRun).toBe(mark(last));
      expect(result.runs).toBe((mark(last) - mark(first + 7 * 86_400)) / 300 + 1);
      expect(result.alerts.length).toBe(1);
      const alert = result.alerts[0]!;
      expect(alert.runTime).toBe(utc("2024-03-08T13:40:00Z"));
      expect(alert.originalTime).toBe(NEW_ADDRESS_FIRST_SEEN);
      expect(alert.newTerms).toEqual([NEW_ADDRESS]);
      expect(alert.document._index).toBe("logs-windows.sysmon_operational-default");
      expect(alert.document.source).toMatchObject({
        "@timestamp": "2024-03-08T13:37:21.512Z",
        host: { name: "WKS-03.corp.example", os: { type: "windows" } },
        process: { pid: 4, executable: "System" },
        network: { transport: "tcp", direction: "egress" },
        source: { ip: "10.10.1.23" },
        destination: { ip: NEW_ADDRESS, port: 445 },
      });
      for (const a of result.alerts) for (const h of HISTORY_ADDRESSES) expect(a.newTerms).not.toContain(h);
    });
  }

  it("the alert as a result row", async () => {
    const result = await runElasticRule({ rulePath: RULE_FILE, data: [nxlog] });
    expect(alertsTable(result).rows()).toEqual([
      {
        _time: utc("2024-03-08T13:40:00Z"),
        "kibana.alert.rule.name": "Rare SMB Connection to the Internet",
        "kibana.alert.rule.rule_id": "f580bf0a-2d23-43bb-b8e1-17548bb947ec",
        "kibana.alert.rule.type": "new_terms",
        "kibana.alert.severity": "medium",
        "kibana.alert.risk_score": 47,
        "kibana.alert.new_terms": NEW_ADDRESS,
        "kibana.alert.original_time": "2024-03-08T13:37:21.512Z",
        _index: "logs-windows.sysmon_operational-default",
        "host.name": "WKS-03.corp.example",
        "event.category": "network",
        "host.os.type": "windows",
        "process.pid": 4,
        "network.transport": "tcp",
        "destination.port": 445,
        "source.ip": "10.10.1.23",
        "destination.ip": NEW_ADDRESS,
      },
    ]);
  });

  it("single runs: new at 13:40 and 13:45 (each sees 13:37 in its own window), in history from 13:50", async () => {
    const at = async (iso: string) => (await runElasticRule({ rulePath: RULE_FILE, data: [nxlog], now: utc(iso) })).alerts.map((a) => a.newTerms);
    expect(await at("2024-03-08T13:35:00Z")).toEqual([]);
    expect(await at("2024-03-08T13:40:00Z")).toEqual([[NEW_ADDRESS]]);
    expect(await at("2024-03-08T13:45:00Z")).toEqual([[NEW_ADDRESS]]);
    expect(await at("2024-03-08T13:50:00Z")).toEqual([]);
    expect(await at("2024-03-08T16:05:00Z")).toEqual([]);
    // The partner's share on its first day: nothing in the history window before it, so it is new.
    const day1 = connections().find((c) => c.dest === HISTORY_ADDRESSES[0])!;
    expect(await at(new Date(mark(day1.time) * 1000).toISOString())).toEqual([[HISTORY_ADDRESSES[0]]]);
  });

  it("a schedule started before a full history exists alerts on the first sight of every address, each once", async () => {
    const result = await runElasticRule({ rulePath: RULE_FILE, data: [nxlog], schedule: { start: first } });
    expect(result.alerts.map((a) => a.newTerms![0]).sort()).toEqual([NEW_ADDRESS, ...HISTORY_ADDRESSES].sort());
    expect(result.alerts.find((a) => a.newTerms![0] === NEW_ADDRESS)!.runTime).toBe(utc("2024-03-08T13:40:00Z"));
  });

  it("as a query rule (its type changed in memory) it alerts once per matching event, though runs overlap", async () => {
    const text = RULE_TEXT.replace('type = "new_terms"', 'type = "query"').replace(/\[rule\.new_terms\][\s\S]*$/, "");
    const rule = parseElasticRule(text, "query-variant.toml");
    const mappings = loadMappings();
    const { documents } = await loadDocuments([nxlog], Knowledge.load(), mappings);
    const result = executeRule(rule, documents, { fieldTypes: (f) => mappings.fieldTypes.get(f) });
    expect(result.firstRun).toBe(mark(first));
    // 16 + 16 connections to the partner shares, 4 to the new address.
    expect(result.alerts.length).toBe(36);
    expect(new Set(result.alerts.map((a) => a.document._id)).size).toBe(36);
    for (const a of result.alerts) expect(a.runTime - a.originalTime).toBeLessThanOrEqual(300);
  });

  it("the rule searches only its indices: a dataset in main is not searched, one in winlogbeat-* is", async () => {
    const warnings: string[] = [];
    const inMain = await runElasticRule({ rulePath: RULE_FILE, data: [{ ...nxlog, index: "main" }], warn: (w) => warnings.push(w) });
    expect(inMain.alerts).toEqual([]);
    expect(inMain.searched).toBe(0);
    expect(warnings).toContain(
      "no dataset is in the rule's indices (logs-endpoint.events.network-*, winlogbeat-*, logs-windows.sysmon_operational-*, endgame-*, logs-m365_defender.event-*, logs-sentinel_one_cloud_funnel.*): the datasets are in main; give a matching --index",
    );
    const inWinlogbeat = await runElasticRule({ rulePath: RULE_FILE, data: [{ ...nxlog, index: "winlogbeat-8.13.0-2024.03.08" }] });
    expect(inWinlogbeat.alerts.map((a) => a.newTerms)).toEqual([[NEW_ADDRESS]]);
  });

  it("Zeek conn logs become ECS documents too, but a network sensor has no process: the rule never matches them", async () => {
    const result = await runElasticRule({
      rulePath: RULE_FILE,
      data: [{ path: "fixtures/zeek/outbound_smb_conn.json", sourcetype: "bro:conn:json", source: "conn.log", host: "zeek01", index: "winlogbeat-zeek" }],
    });
    expect(result.documents).toBeGreaterThan(0);
    expect(result.searched).toBe(result.documents);
    expect(result.matched).toBe(0);
    expect(result.alerts).toEqual([]);
  });

  it("spelunk run RULE.toml prints the alert (elasticRunCommand, as the CLI calls it)", async () => {
    let out = "";
    let err = "";
    const code = await elasticRunCommand(RULE_FILE, {
      data: [{ path: SYSMON_JSON, sourcetype: "nxlog:sysmon:json", host: "wec01" }],
      apps: [],
      format: "json",
      tz: "UTC",
      io: { out: (t) => (out += t), err: (t) => (err += t) },
    });
    expect(code).toBe(0);
    expect(err).toBe("");
    const rows = out.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.length).toBe(1);
    expect(rows[0]).toMatchObject({ _time: "2024-03-08T13:40:00.000+00:00", "kibana.alert.new_terms": NEW_ADDRESS, "destination.ip": NEW_ADDRESS, "process.pid": "4" });
  });
});

describe("Splunk's seed 1 on the same events, through the Sysmon-to-CIM mapping", () => {
  const expectedNew = {
    src_ip: "10.10.1.23",
    dest_ip: NEW_ADDRESS,
    dest_port: "445",
    start_time: "2024-03-08T13:37:21",
    end_time: "2024-03-08T16:02:40",
    action: "allowed",
    app: "System",
    sourcetype: "nxlog:sysmon:json",
    count: "4",
    City: "Changchun",
    Country: "China",
    Region: "Jilin Sheng",
    lat: "43.88",
    lon: "125.3228",
  };

  it("reports the new address's connections, beside the partner shares and explorer.exe's public SMB (NXLog JSON)", async () => {
    let out = "";
    let err = "";
    const code = await main(
      ["run", "searches/detect_outbound_smb_traffic.spl", "--data", SYSMON_JSON, "--sourcetype", "nxlog:sysmon:json", "--host", "wec01", "--tz", "UTC", "--format", "json", "--geoip-db", "fixtures/geoip/GeoLite2-City-Test.mmdb"],
      { out: (t) => (out += t), err: (t) => (err += t) },
    );
    expect(err).toBe("");
    expect(code).toBe(0);
    const rows = out.trim().split("\n").map((l) => JSON.parse(l) as Record<string, string>);
    expect(rows.map((r) => [r.src_ip, r.dest_ip, r.app, r.count])).toEqual([
      ["10.10.1.21", HISTORY_ADDRESSES[0], "System", "16"],
      ["10.10.1.22", HISTORY_ADDRESSES[1], "System", "16"],
      ["10.10.1.23", NEW_ADDRESS, "System", "4"],
      ["10.10.1.23", USER_PROCESS_SMB.dest, USER_PROCESS_SMB.image, "1"],
    ]);
    expect(rows[2]).toEqual(expectedNew);
  });

  it("reports the same from the XmlWinEventLog form", async () => {
    const knowledge = Knowledge.load();
    const ctx = { now: utc("2024-03-09T00:00:00Z"), tz: "UTC" };
    const spec = { ...xml, index: "main" };
    let data: DataSource;
    if (knowledge.formatFor(spec.sourcetype, spec.source) !== undefined) {
      data = (await DataStore.load([spec], knowledge, ctx)).store;
    } else {
      // Until spelunk's knowledge maps KV_MODE = xml to the XML reader, read the file with it directly;
      // the search-time knowledge and the data model summary are the same as DataStore's.
      const read = await readDataset(spec, { kind: "xml" });
      const events = knowledge.applySearchTime(read.events, { sourcetype: spec.sourcetype, source: spec.source, host: spec.host }, ctx);
      const time = (events.column("_time") as NumberColumn).values;
      const order = Uint32Array.from({ length: events.length }, (_, i) => i).sort((a, b) => time[b]! - time[a]!);
      const newestFirst = events.take(order);
      const summaries = new Map([...knowledge.dataModels].map(([name, model]) => [name, buildSummary(model, newestFirst, ctx)]));
      data = { events: () => newestFirst, summary: (m) => summaries.get(m), lookup: (n) => knowledge.lookup(n) };
    }
    const search = readFileSync("searches/detect_outbound_smb_traffic.spl", "utf8");
    const { table } = await runSearch(search, {
      sourceName: "searches/detect_outbound_smb_traffic.spl",
      macros: loadShippedMacros(),
      detectionStem: "detect_outbound_smb_traffic",
      data,
      ...ctx,
      geoipDb: "fixtures/geoip/GeoLite2-City-Test.mmdb",
    });
    const rows = table.rows();
    expect(rows.map((r) => [r.src_ip, r.dest_ip, r.app, r.count, r.sourcetype])).toEqual([
      ["10.10.1.21", HISTORY_ADDRESSES[0], "System", 16, "XmlWinEventLog"],
      ["10.10.1.22", HISTORY_ADDRESSES[1], "System", 16, "XmlWinEventLog"],
      ["10.10.1.23", NEW_ADDRESS, "System", 4, "XmlWinEventLog"],
      ["10.10.1.23", USER_PROCESS_SMB.dest, USER_PROCESS_SMB.image, 1, "XmlWinEventLog"],
    ]);
    // _time of an XmlWinEventLog event is TimeCreated, 0.35 s after Sysmon's UtcTime here.
    expect(rows[2]).toMatchObject({ start_time: "2024-03-08T13:37:21", end_time: "2024-03-08T16:02:40", City: "Changchun" });
  });
});

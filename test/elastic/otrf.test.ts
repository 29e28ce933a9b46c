/**
 * The real OTRF Sysmon sample (../shared/data/sysmon_eid3_otrf.jsonl, NXLog JSON; SOURCES.md): its
 * SMB traffic is all internal (172.18.x, fe80::), so neither SMB rule fires on it. Expected counts
 * were worked out from the file with a separate script: 81 events with ProcessId 4 (69 in the
 * ProcessId field, 12 more only in Message), 57 of them SMB over tcp from a private IPv4 address
 * (the rule's query without its destination clause), 98 to port 445 (49 initiated, 49 received).
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { runElasticRule } from "../../src/cli/elastic.js";
import { loadDocuments, type EcsDocument } from "../../src/elastic/documents.js";
import { loadMappings } from "../../src/elastic/mapping.js";
import { parseElasticRule } from "../../src/elastic/rule.js";
import { DataStore } from "../../src/exec/store.js";
import { runSearch } from "../../src/exec/run.js";
import { Knowledge } from "../../src/knowledge/knowledge.js";
import { valuesAt } from "../../src/kql/document.js";
import { compileKql } from "../../src/kql/evaluate.js";
import { parseKql } from "../../src/kql/parser.js";
import { loadShippedMacros } from "../../src/macros/load.js";
import { OTRF_SYSMON, RULE_FILE, RULE_TEXT, utc } from "./helpers.js";

const spec = { path: OTRF_SYSMON, sourcetype: "nxlog:sysmon:json", source: "otrf", host: "wec" };
const mappings = loadMappings();
const fieldTypes = (f: string) => mappings.fieldTypes.get(f);
let docs: EcsDocument[];

beforeAll(async () => {
  docs = (await loadDocuments([{ ...spec, index: undefined }], Knowledge.load(), mappings)).documents;
});

describe("the OTRF sample as ECS documents", () => {
  it("every event becomes a document in the Sysmon data stream, with the fields the rule reads", () => {
    expect(docs.length).toBe(150);
    expect(new Set(docs.map((d) => d._index))).toEqual(new Set(["logs-windows.sysmon_operational-default"]));
    const first = docs[0]!.source;
    expect(first).toMatchObject({
      "@timestamp": "2020-09-22T18:53:31.668Z",
      event: { category: ["network"], type: ["connection", "start", "protocol"], code: "3" },
      host: { name: "WORKSTATION5.theshire.local", os: { type: "windows" } },
      process: { executable: "System", name: "System", entity_id: "{b34bc01c-2255-5f69-0100-000000000900}" },
      user: { domain: "NT AUTHORITY", name: "SYSTEM" },
      network: { transport: "tcp", direction: "egress", type: "ipv4" },
      source: { ip: "172.18.39.5", port: 62782 },
      destination: { ip: "172.18.39.6", port: 445 },
    });
  });

  it("process.pid is 4 for the kernel's SMB, from ProcessId or, where NXLog lost it, from Message", () => {
    const pid4 = docs.filter((d) => valuesAt(d.source, ["process", "pid"])[0] === 4);
    expect(pid4.length).toBe(81);
  });

  it("the rule's query without its destination clause selects 57 events; with it, none", () => {
    const rule = parseElasticRule(RULE_TEXT, RULE_FILE);
    const cut = rule.query.text.indexOf("and\n  not destination.ip");
    expect(cut).toBeGreaterThan(0);
    const partial = compileKql(parseKql(rule.query.text.slice(0, cut)), { fieldTypes });
    expect(docs.filter((d) => partial(d.source)).length).toBe(57);
    const full = compileKql(rule.query, { fieldTypes });
    expect(docs.filter((d) => full(d.source)).length).toBe(0);
  });
});

describe("neither SMB rule fires on the OTRF sample", () => {
  it("the Elastic rule: no alert on its schedule, nor at the times of its SMB", async () => {
    const data = [{ ...spec, index: undefined }];
    const scheduled = await runElasticRule({ rulePath: RULE_FILE, data });
    expect(scheduled.alerts).toEqual([]);
    expect(scheduled.searched).toBe(150);
    expect(scheduled.matched).toBe(0);
    for (const now of ["2020-09-22T18:58:00Z", "2019-12-05T01:55:00Z"]) {
      expect((await runElasticRule({ rulePath: RULE_FILE, data, now: utc(now) })).alerts).toEqual([]);
    }
  });

  it("Splunk's seed 1 through the Sysmon-to-CIM mapping: no rows, though the model holds the SMB connections", async () => {
    const { store } = await DataStore.load([{ ...spec, index: "main" }], Knowledge.load(), { now: 0, tz: "UTC" });
    const run = (search: string) =>
      runSearch(search, { sourceName: "<search>", macros: loadShippedMacros(), detectionStem: "detect_outbound_smb_traffic", data: store, now: utc("2021-05-01T00:00:00Z"), tz: "UTC" });
    const seed = await run(readFileSync("searches/detect_outbound_smb_traffic.spl", "utf8").replace("| iplocation dest_ip", ""));
    expect(seed.table.length).toBe(0);
    const smb = await run("| tstats count from datamodel=Network_Traffic where All_Traffic.dest_port=445 by All_Traffic.direction All_Traffic.action");
    expect(smb.table.rows()).toEqual([
      { "All_Traffic.direction": "inbound", "All_Traffic.action": "allowed", count: 49 },
      { "All_Traffic.direction": "outbound", "All_Traffic.action": "allowed", count: 49 },
    ]);
  });
});

/**
 * Seed 1, "Detect Outbound SMB Traffic", run verbatim over the shipped Zeek dataset
 * (fixtures/zeek/outbound_smb_conn.json; its scenario is listed in fixtures/generators/zeek-conn.ts).
 * Expected rows are worked out by hand from that scenario and Splunk's semantics:
 * - the where clause is action=allowed AND (dest_port=139 OR dest_port=445 OR app=smb) AND private src
 *   AND NOT reserved dest (OR binds tighter than AND in search);
 * - one row per (src_ip, dest_ip, dest_port), sorted by those values as stats sorts;
 * - start_time/end_time are earliest/latest _time rendered by ctime with %Y-%m-%dT%H:%M:%S (UTC here);
 * - iplocation fields come from MaxMind's test database, whose source JSON
 *   (../shared/data/GeoIP2-City-Test.json) gives London/United Kingdom/England 51.5142 -0.0931 for
 *   81.2.69.142, Changchun/China/Jilin Sheng 43.88 125.3228 for 175.16.199.0/24, and Linköping/Sweden/
 *   Östergötland County 58.4167 15.6167 for 89.160.20.112/28.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { zeekConnLines } from "../../fixtures/generators/zeek-conn.js";

async function spelunk(...argv: string[]) {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err, rows: out.trim() === "" ? [] : out.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const data = ["--data", "fixtures/zeek/outbound_smb_conn.json", "--sourcetype", "bro:conn:json", "--host", "zeek01"];
const common = [...data, "--tz", "UTC", "--format", "json", "--geoip-db", "fixtures/geoip/GeoLite2-City-Test.mmdb"];

const expected = [
  {
    src_ip: "10.0.1.23", dest_ip: "81.2.69.142", dest_port: "445",
    start_time: "2024-03-01T09:00:00", end_time: "2024-03-01T09:10:30",
    action: "allowed", app: "smb", sourcetype: "bro:conn:json", count: "3",
    City: "London", Country: "United Kingdom", Region: "England", lat: "51.5142", lon: "-0.0931",
  },
  {
    src_ip: "172.16.4.4", dest_ip: "175.16.199.10", dest_port: "8445",
    start_time: "2024-03-01T13:20:00", end_time: "2024-03-01T13:20:00",
    action: "allowed", app: "smb", sourcetype: "bro:conn:json", count: "1",
    City: "Changchun", Country: "China", Region: "Jilin Sheng", lat: "43.88", lon: "125.3228",
  },
  {
    src_ip: "192.168.5.7", dest_ip: "89.160.20.115", dest_port: "139",
    start_time: "2024-03-01T17:45:15", end_time: "2024-03-01T17:45:15",
    action: "allowed", app: "smb", sourcetype: "bro:conn:json", count: "1",
    City: "Linköping", Country: "Sweden", Region: "Östergötland County", lat: "58.4167", lon: "15.6167",
  },
];

describe("Detect Outbound SMB Traffic (seed 1) on replayed Zeek conn logs", () => {
  it("the shipped dataset is exactly what its generator makes", () => {
    expect(readFileSync("fixtures/zeek/outbound_smb_conn.json", "utf8")).toBe(`${zeekConnLines().join("\n")}\n`);
  });

  it("reports the three outbound SMB flows with their times, counts and locations, and nothing else", async () => {
    const { code, rows, err } = await spelunk("run", "searches/detect_outbound_smb_traffic.spl", ...common);
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(rows).toEqual(expected);
    expect(Object.keys(rows[0]!)).toEqual(Object.keys(expected[0]!));
  });

  it("gives the same rows with summariesonly=true, since every model is summarised at load", async () => {
    const search = readFileSync("searches/detect_outbound_smb_traffic.spl", "utf8").replace("`security_content_summariesonly`", "summariesonly=true");
    const { rows } = await spelunk("run", "-e", search, ...common);
    expect(rows).toEqual(expected);
  });

  it("a tuned filter macro drops a benign flow and keeps the others", async () => {
    const search = readFileSync("searches/detect_outbound_smb_traffic.spl", "utf8").replace(
      "`detect_outbound_smb_traffic_filter`",
      'search NOT dest_ip IN ("175.16.199.0/24")',
    );
    const { rows } = await spelunk("run", "-e", search, ...common);
    expect(rows.map((r) => r.dest_ip)).toEqual(["81.2.69.142", "89.160.20.115"]);
  });

  it("prints nothing and exits 0 on data without outbound SMB (the shared Zeek sample)", async () => {
    const { code, rows } = await spelunk(
      "run", "searches/detect_outbound_smb_traffic.spl",
      "--data", "../shared/data/zeek_conn_docs.jsonl", "--sourcetype", "bro:conn:json", "--host", "zeek01", "--tz", "UTC", "--format", "json",
    );
    expect(code).toBe(0);
    expect(rows).toEqual([]);
  });
});

describe("the shared Zeek sample (shared/data/zeek_conn_docs.jsonl) in the Network_Traffic model", () => {
  it("gives one All_Traffic row per connection with the add-on's field mapping", async () => {
    const { rows } = await spelunk(
      "run", "-e",
      "| tstats count sum(All_Traffic.bytes) as bytes values(All_Traffic.direction) as direction from datamodel=Network_Traffic by All_Traffic.app All_Traffic.dest_port All_Traffic.transport All_Traffic.action",
      "--data", "../shared/data/zeek_conn_docs.jsonl", "--sourcetype", "bro:conn:json", "--host", "zeek01", "--tz", "UTC", "--format", "json",
    );
    // dns 62+141, http 77+295, ssl (2193+45269)+(1467+3160); conn_state SF → allowed; no local_orig → direction unknown.
    expect(rows).toEqual([
      { "All_Traffic.app": "dns", "All_Traffic.dest_port": "53", "All_Traffic.transport": "udp", "All_Traffic.action": "allowed", count: "1", bytes: "203", direction: "unknown" },
      { "All_Traffic.app": "http", "All_Traffic.dest_port": "80", "All_Traffic.transport": "tcp", "All_Traffic.action": "allowed", count: "1", bytes: "372", direction: "unknown" },
      { "All_Traffic.app": "ssl", "All_Traffic.dest_port": "443", "All_Traffic.transport": "tcp", "All_Traffic.action": "allowed", count: "2", bytes: "52089", direction: "unknown" },
    ]);
  });
});

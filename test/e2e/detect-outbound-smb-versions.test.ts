/**
 * Other published versions of "Detect Outbound SMB Traffic" (../shared/reference/escu-yaml), run
 * unchanged on the same Zeek dataset. Expected rows are worked out by hand from the dataset's
 * scenario (fixtures/generators/zeek-conn.ts) and the Zeek add-on's mapping (peers.md §7).
 */
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";

const versions = "../shared/reference/escu-yaml";

async function jsonRows(file: string): Promise<Array<Record<string, string>>> {
  let out = "";
  let err = "";
  const code = await main(
    ["run", `${versions}/${file}`, "--data", "fixtures/zeek/outbound_smb_conn.json", "--sourcetype", "bro:conn:json", "--host", "zeek01", "--tz", "UTC", "--format", "json", "--geoip-db", "fixtures/geoip/GeoLite2-City-Test.mmdb"],
    { out: (t) => (out += t), err: (t) => (err += t) },
  );
  expect(err).toBe("");
  expect(code).toBe(0);
  return out.trim() === "" ? [] : out.trim().split("\n").map((l) => JSON.parse(l) as Record<string, string>);
}

describe("published versions of Detect Outbound SMB Traffic", () => {
  it("v5 (ESCU 4.42, cidrmatch post-filter): one row per source; a source whose multivalue dest_ip includes a reserved address is dropped", async () => {
    // tstats by src_ip with action=allowed, direction=outbound (local_orig true, local_resp false) and SMB:
    //   10.0.1.23 → 81.2.69.142 (3), 10.0.1.31 → 100.64.3.3, 172.16.4.4 → 175.16.199.10,
    //   192.168.5.7 → [100.64.3.9, 89.160.20.115] (values() sorts as strings).
    // case(cidrmatch(...)) then marks 10.0.1.31 and, since cidrmatch on a multivalue is true when any
    // value matches (spelunk's reading; Splunk's docs do not say), 192.168.5.7: both leave with match=1.
    const rows = await jsonRows("detect_outbound_smb_traffic.v5_ESCU-v4.42.0-tag.yml");
    expect(rows).toEqual([
      { src_ip: "10.0.1.23", start_time: "2024-03-01T09:00:00", end_time: "2024-03-01T09:10:30", action: "allowed", app: "smb", dest_ip: "81.2.69.142", dest_port: "445", sourcetype: "bro:conn:json", count: "3" },
      { src_ip: "172.16.4.4", start_time: "2024-03-01T13:20:00", end_time: "2024-03-01T13:20:00", action: "allowed", app: "smb", dest_ip: "175.16.199.10", dest_port: "8445", sourcetype: "bro:conn:json", count: "1" },
    ]);
  });

  for (const file of ["detect_outbound_smb_traffic.v11_2025-05-22.yml", "detect_outbound_smb_traffic.v13_2025-06-10_zeek+drilldown.yml"]) {
    it(`${file.split(".")[1]} (17 by-fields${file.includes("v13") ? ", long reserved-range list" : ""}): one row per connection, nulls filled with "null"`, async () => {
      const rows = await jsonRows(file);
      // Rows sort by the by-fields in order: action, app, then bytes (numerically): 450, 960, 2000, 2002, 2004.
      expect(rows.map((r) => [r.src_ip, r.src_port, r.dest_ip, r.dest_port, r.bytes, r.bytes_in, r.bytes_out, r.count])).toEqual([
        ["192.168.5.7", "52010", "89.160.20.115", "139", "450", "300", "150", "1"],
        ["172.16.4.4", "51000", "175.16.199.10", "8445", "960", "640", "320", "1"],
        ["10.0.1.23", "49700", "81.2.69.142", "445", "2000", "1200", "800", "1"],
        ["10.0.1.23", "49701", "81.2.69.142", "445", "2002", "1201", "801", "1"],
        ["10.0.1.23", "49702", "81.2.69.142", "445", "2004", "1202", "802", "1"],
      ]);
      for (const row of rows) {
        // Not in Zeek conn logs: protocol and protocol_version are null → fillnull_value=null;
        // CIM defaults user and rule to "unknown"; dvc is the sensor host (EVAL-dvc); transport is proto.
        expect(row).toMatchObject({ action: "allowed", app: "smb", protocol: "null", protocol_version: "null", user: "unknown", rule: "unknown", dvc: "zeek01", transport: "tcp", vendor_product: "Zeek" });
        expect(row.dest).toBe(row.dest_ip);
        expect(row.src).toBe(row.src_ip);
      }
      expect(rows.map((r) => r.City)).toEqual(["Linköping", "Changchun", "London", "London", "London"]);
    });
  }
});

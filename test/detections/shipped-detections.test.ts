/**
 * `spelunk test` over the shipped searches (searches/*.test.yml): each seed's true positive, and
 * its filter test — the shipped `search *` filter keeps a benign-but-matching row that the tuned
 * filter in the test removes, while the true positive stays. The MLTK seed's baseline runs first.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { testCommand, type TestCliOptions } from "../../src/cli/test.js";
import { benignSmbLines } from "../../fixtures/generators/benign-partner-smb.js";

async function spelunkTest(paths: string[], options: TestCliOptions = {}) {
  let out = "";
  let err = "";
  const code = await testCommand(paths, { attackData: ["fixtures"], ...options }, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe("spelunk test over the shipped searches", () => {
  it("passes every test of both seeds and says so in the summary line", async () => {
    const { code, out } = await spelunkTest([]);
    expect(out).toMatch(/^6 passed, 0 failed \(\d+\.\d\d s\)$/m);
    expect(code).toBe(0);
    // The baseline is not reported as a detection without tests: it is run for the MLTK seed.
    expect(out).not.toContain("baseline_of_smb_traffic___mltk.spl");
    expect(out).toContain("searches/detect_outbound_smb_traffic.spl — Detect Outbound SMB Traffic");
    expect(out).toContain("  PASS  the tuned filter keeps the true positives  (2 rows");
    expect(out).toContain("  PASS  reports the two injected spikes and no ordinary hour  (2 rows");
  });

  it("reports one risk event per row of the outbound SMB seed, with the message filled in", async () => {
    const { out } = await spelunkTest(["searches/detect_outbound_smb_traffic.spl"], { format: "json" });
    const report = JSON.parse(out);
    const first = report.detections[0].tests[0];
    expect(first.status).toBe("pass");
    expect(first.risk_events.map((e: { risk_object: string }) => e.risk_object).sort()).toEqual(["10.0.1.23", "172.16.4.4", "192.168.5.7"]);
    expect(first.risk_events).toContainEqual(
      expect.objectContaining({
        search_name: "Detect Outbound SMB Traffic",
        risk_object: "10.0.1.23",
        risk_object_type: "system",
        risk_score: 25,
        risk_message: "An outbound SMB connection from 10.0.1.23 in your infrastructure connecting to dest ip 81.2.69.142",
        threat_objects: [{ field: "dest_ip", type: "ip_address", values: ["81.2.69.142"] }],
      }),
    );
  });

  it("skips attack-data tests with a reason when --attack-data is not given", async () => {
    const { code, out } = await spelunkTest(["searches/detect_outbound_smb_traffic.spl"], { attackData: [] });
    expect(out).toContain("is attack data; give --attack-data DIR");
    expect(out).toMatch(/^0 passed, 0 failed, 4 skipped/m);
    expect(code).toBe(0);
  });

  it("the benign partner dataset is exactly what its generator makes", () => {
    expect(readFileSync("fixtures/detections/benign_partner_smb_conn.json", "utf8")).toBe(`${benignSmbLines().join("\n")}\n`);
  });
});

/**
 * Seed 3, "SMB Traffic Spike - MLTK", with its baseline "Baseline of SMB Traffic - MLTK", both run
 * verbatim over 30 days of hourly SMB traffic (fixtures/generators/smb-30days.ts). The baseline fits
 * on the first 27 days, the detection runs over the last three, which hold the two injected spikes.
 * Expected: the spike hours, sorted by count (sort -count), columns `_time src dest port count`
 * (its `table`), and no ordinary hour (each is near the middle of its group's training values).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { smbLines } from "../../fixtures/generators/smb-30days.js";

const data = ["--data", "fixtures/zeek/smb_30days_conn.json.gz", "--sourcetype", "bro:conn:json", "--tz", "UTC", "--format", "json"];
const training = ["--latest", "2024-02-28T00:00:00Z"];
const detection = ["--earliest", "2024-02-28T00:00:00Z"];

async function spelunk(...argv: string[]) {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, err, rows: out.trim() === "" ? [] : out.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const spikes = [
  { _time: "2024-02-28T10:00:00.000+00:00", src: "10.0.2.12", dest: "10.0.0.8", port: "445", count: "300" },
  { _time: "2024-03-01T14:00:00.000+00:00", src: "10.0.2.14", dest: "10.0.0.8", port: "445", count: "90" },
];

describe("SMB Traffic Spike - MLTK (seed 3) after its baseline", () => {
  it("the shipped dataset is exactly what its generator makes", () => {
    expect(gunzipSync(readFileSync("fixtures/zeek/smb_30days_conn.json.gz")).toString("utf8")).toBe(`${smbLines().join("\n")}\n`);
  });

  it("reports the two injected spike hours, largest first, and no ordinary hour", async () => {
    const models = mkdtempSync(join(tmpdir(), "spelunk-models-"));
    const fit = await spelunk("run", "searches/baseline_of_smb_traffic___mltk.spl", ...data, ...training, "--models", models);
    expect(fit.code).toBe(0);
    // Each (hour, weekday) group has 12-16 training values: MLTK warns below min_data_size_to_fit=50.
    expect(fit.err).toContain("Too few training points in some groups will likely result in poor accuracy for those groups.");
    expect(fit.rows[0]).toHaveProperty("IsOutlier(count)");
    const run = await spelunk("run", "searches/smb_traffic_spike___mltk.spl", ...data, ...detection, "--models", models);
    expect(run.code).toBe(0);
    expect(run.rows).toEqual(spikes);
    expect(Object.keys(run.rows[0]!)).toEqual(["_time", "src", "dest", "port", "count"]);
  });

  it("fit and apply in two separate spelunk processes share the saved model", async () => {
    const models = mkdtempSync(join(tmpdir(), "spelunk-models-"));
    const run = promisify(execFile);
    const cli = ["--import", "tsx", "test/cli/spelunk-process.ts", "run"];
    await run("node", [...cli, "searches/baseline_of_smb_traffic___mltk.spl", ...data, ...training, "--models", models]);
    const { stdout } = await run("node", [...cli, "searches/smb_traffic_spike___mltk.spl", ...data, ...detection, "--models", models]);
    expect(stdout.trim().split("\n").map((l) => JSON.parse(l))).toEqual(spikes);
  });

  it("a corrupt model file is a clear error at the apply, not a crash", async () => {
    const models = mkdtempSync(join(tmpdir(), "spelunk-models-"));
    writeFileSync(join(models, "smb_pdfmodel.model.json"), "{ not json");
    const run = await spelunk("run", "searches/smb_traffic_spike___mltk.spl", ...data, ...detection, "--models", models);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/searches\/smb_traffic_spike___mltk\.spl:5:9: error: .*smb_pdfmodel/);
    expect(run.err).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });

  it("apply without a fitted model names the missing model", async () => {
    const models = mkdtempSync(join(tmpdir(), "spelunk-models-"));
    const run = await spelunk("run", "searches/smb_traffic_spike___mltk.spl", ...data, ...detection, "--models", models);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/smb_pdfmodel/);
  });
});

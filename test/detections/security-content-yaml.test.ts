/**
 * security_content's own detection files: tests[].attack_data URLs mapped to a local attack_data
 * checkout (--attack-data), risk from `rba` or from older content's tags, baselines linked by their
 * tags.detections, and every detection of the corpus read without a problem.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { testCommand, type TestCliOptions } from "../../src/cli/test.js";
import { loadDetections } from "../../src/detections/load.js";

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "spelunk-escu-"));
  made.push(dir);
  return dir;
}

function put(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

async function spelunkTest(paths: string[], options: TestCliOptions = {}) {
  let out = "";
  let err = "";
  const code = await testCommand(paths, options, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

const URL_PATH = "datasets/attack_techniques/T1071.002/outbound_smb_traffic/zeek_conn.log";
const DATA_URL = `https://media.githubusercontent.com/media/splunk/attack_data/master/${URL_PATH}`;

/** Version 7 of the detection (first with rba), as security_content writes it. */
const v7 = {
  name: "Detect Outbound SMB Traffic",
  id: "1bed7774-304a-4e8f-9d72-d80e45ff492b",
  version: 7,
  status: "production",
  type: "TTP",
  search:
    '| tstats `security_content_summariesonly` earliest(_time) as start_time latest(_time) as end_time values(All_Traffic.action) as action values(All_Traffic.app) as app values(sourcetype) as sourcetype count from datamodel=Network_Traffic where (All_Traffic.action=allowed All_Traffic.dest_port=139 OR All_Traffic.dest_port=445 OR All_Traffic.app="smb") AND All_Traffic.src_ip IN ("10.0.0.0/8","172.16.0.0/12","192.168.0.0/16") AND NOT All_Traffic.dest_ip IN ("10.0.0.0/8","172.16.0.0/12","192.168.0.0/16","100.64.0.0/10") by All_Traffic.src_ip  All_Traffic.dest_ip All_Traffic.dest_port | `drop_dm_object_name("All_Traffic")`  | `security_content_ctime(start_time)`  | `security_content_ctime(end_time)`  | iplocation dest_ip | `detect_outbound_smb_traffic_filter`',
  how_to_implement: "This search also requires you to be ingesting your network traffic and populating the Network_Traffic data model",
  rba: {
    message: "An outbound SMB connection from $src_ip$ in your infrastructure connecting to dest ip $dest_ip$",
    risk_objects: [{ field: "src_ip", type: "system", score: 25 }],
    threat_objects: [{ field: "dest_ip", type: "ip_address" }],
  },
  tests: [{ name: "True Positive Test", attack_data: [{ data: DATA_URL, sourcetype: "bro:conn:json", source: "conn.log" }] }],
};

describe("security_content detection YAML", () => {
  it("maps attack_data URLs into the --attack-data checkout and passes contentctl's rule", async () => {
    const dir = tempDir();
    put(join(dir, "security_content/detections/network/detect_outbound_smb_traffic.yml"), stringify(v7));
    mkdirSync(dirname(join(dir, "attack_data", URL_PATH)), { recursive: true });
    copyFileSync("fixtures/zeek/outbound_smb_conn.json", join(dir, "attack_data", URL_PATH));
    const { code, out } = await spelunkTest([join(dir, "security_content/detections")], { attackData: [join(dir, "attack_data")] });
    expect(out).toContain("detect_outbound_smb_traffic.yml — Detect Outbound SMB Traffic");
    expect(out).toContain("  PASS  True Positive Test  (3 rows");
    expect(code).toBe(0);
  });

  it("says when the checkout holds git LFS pointers instead of the data", async () => {
    const dir = tempDir();
    put(join(dir, "detections/detect_outbound_smb_traffic.yml"), stringify(v7));
    put(
      join(dir, "attack_data", URL_PATH),
      "version https://git-lfs.github.com/spec/v1\noid sha256:1dbcd8cb96d17480dd08291c3ce02f9b68ec2e3e93b5304ac753d2bae7ef41e4\nsize 8699\n",
    );
    const { code, out } = await spelunkTest([join(dir, "detections")], { attackData: [join(dir, "attack_data")] });
    expect(code).toBe(1);
    expect(out).toContain(`is a git LFS pointer, not the data; run \`git lfs pull --include=${URL_PATH}\``);
  });

  it("a URL that is not in the checkout fails and says where it looked", async () => {
    const dir = tempDir();
    put(join(dir, "detections/detect_outbound_smb_traffic.yml"), stringify(v7));
    mkdirSync(join(dir, "attack_data"));
    const { code, out } = await spelunkTest([join(dir, "detections")], { attackData: [join(dir, "attack_data")] });
    expect(code).toBe(1);
    expect(out).toContain(`dataset file ${DATA_URL} not found (looked for ${join(dir, "attack_data", URL_PATH)}`);
  });

  it("older content (no rba): the score is Impact × Confidence / 100 and the risk objects are the Victim observables", async () => {
    const dir = tempDir();
    const { rba: _rba, ...rest } = v7;
    const v5 = {
      ...rest,
      tags: {
        confidence: 50,
        impact: 60,
        message: "An outbound SMB connection from $src_ip$ to $dest_ip$",
        observable: [
          { name: "src_ip", type: "IP Address", role: ["Victim"] },
          { name: "dest_ip", type: "IP Address", role: ["Attacker"] },
        ],
        risk_score: 30,
      },
      tests: [{ name: "True Positive Test", data: "conn.json", sourcetype: "bro:conn:json", source: "conn.log" }],
    };
    put(join(dir, "detect_outbound_smb_traffic.yml"), stringify(v5));
    copyFileSync("fixtures/zeek/outbound_smb_conn.json", join(dir, "conn.json"));
    const { code, out } = await spelunkTest([dir], { format: "json" });
    expect(code).toBe(0);
    const events = JSON.parse(out).detections[0].tests[0].risk_events;
    expect(events[0]).toMatchObject({ risk_object: "10.0.1.23", risk_object_type: "system", risk_score: 30, risk_message: "An outbound SMB connection from 10.0.1.23 to 81.2.69.142" });
    expect(events[0].threat_objects).toEqual([{ field: "dest_ip", type: "ip_address", values: ["81.2.69.142"] }]);
  });

  it("a correlation search is skipped, as contentctl skips it", async () => {
    const dir = tempDir();
    put(join(dir, "c.yml"), stringify({ ...v7, type: "Correlation" }));
    const { code, out } = await spelunkTest([dir]);
    expect(code).toBe(0);
    expect(out).toContain("  SKIP  True Positive Test");
    expect(out).toContain("a correlation search");
  });

  it("runs a baseline before the detection that its tags.detections names (the MLTK seed as security_content has it)", async () => {
    // Searches as in security_content develop 2024-10-24 (reference/security_content.md §1b, §2).
    const baseline = {
      name: "Baseline of SMB Traffic - MLTK",
      id: "df98763b-0b08-4281-8ef9-08db7ac572a9",
      type: "Baseline",
      search:
        '| tstats `security_content_summariesonly` count from datamodel=Network_Traffic where All_Traffic.dest_port=139 OR All_Traffic.dest_port=445 OR All_Traffic.app=smb by _time span=1h, All_Traffic.src | eval HourOfDay=strftime(_time, "%H") | eval DayOfWeek=strftime(_time, "%A") | `drop_dm_object_name("All_Traffic")` | fit DensityFunction count by "HourOfDay,DayOfWeek" into smb_pdfmodel',
      tags: { detections: ["SMB Traffic Spike - MLTK"] },
    };
    const detection = {
      name: "SMB Traffic Spike - MLTK",
      id: "d25773ba-9ad8-48d1-858e-07ad0bbeb828",
      type: "Anomaly",
      status: "experimental",
      search:
        '| tstats `security_content_summariesonly` count values(All_Traffic.dest_ip) as dest values(All_Traffic.dest_port) as port from datamodel=Network_Traffic where All_Traffic.dest_port=139 OR All_Traffic.dest_port=445 OR All_Traffic.app=smb by _time span=1h, All_Traffic.src | eval HourOfDay=strftime(_time, "%H") | eval DayOfWeek=strftime(_time, "%A") | `drop_dm_object_name(All_Traffic)` | apply smb_pdfmodel threshold=0.001 | rename "IsOutlier(count)" as isOutlier | search isOutlier > 0 | sort -count | table _time src dest port count | `smb_traffic_spike___mltk_filter`',
      rba: { message: "SMB Traffic Spike from $dest$", risk_objects: [{ field: "dest", type: "system", score: 25 }], threat_objects: [] },
      tests: [{ name: "Spike", attack_data: [{ data: "smb_30days_conn.json.gz", sourcetype: "bro:conn:json", source: "conn.log" }] }],
    };
    const dir = tempDir();
    put(join(dir, "detections/network/smb_traffic_spike___mltk.yml"), stringify(detection));
    copyFileSync("fixtures/zeek/smb_30days_conn.json.gz", join(dir, "detections/network/smb_30days_conn.json.gz"));
    put(join(dir, "baselines/baseline_of_smb_traffic___mltk.yml"), stringify(baseline));
    const { code, out } = await spelunkTest([join(dir, "detections"), join(dir, "baselines")]);
    expect(out).toContain("  PASS  Spike");
    expect(out).not.toContain("baseline_of_smb_traffic___mltk.yml");
    expect(code).toBe(0);
    // Without the baseline, apply has no model and the failure says so.
    const alone = await spelunkTest([join(dir, "detections")]);
    expect(alone.code).toBe(1);
    expect(alone.out).toContain("smb_pdfmodel");
  });
});

describe("the security_content corpus (fixtures/escu/escu_detections.jsonl)", () => {
  it("every detection's tests and risk settings are read without a problem", () => {
    const dir = tempDir();
    const lines = readFileSync("fixtures/escu/escu_detections.jsonl", "utf8").trim().split("\n");
    // Each line is written as it is: JSON is YAML, and the YAML reader reads it.
    for (const line of lines) put(join(dir, (JSON.parse(line) as { file: string }).file), line);
    const detections = loadDetections([dir]);
    expect(detections).toHaveLength(lines.length);
    expect(detections.flatMap((d) => d.problems)).toEqual([]);
    expect(detections.filter((d) => d.risk?.origin === "rba")).toHaveLength(1652);
    const refs = detections.flatMap((d) => d.tests.flatMap((t) => t.data));
    expect(refs.length).toBeGreaterThan(1800);
    expect(refs.every((r) => r.kind === "attack_data" && r.ref.startsWith("datasets/"))).toBe(true);
    expect(detections.filter((d) => d.kind === "correlation")).toHaveLength(13);
  });
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { IngestError } from "../../src/ingest/format.js";
import { attackDataRepoPath, isManifest, readManifest } from "../../src/ingest/manifest.js";

const root = mkdtempSync(join(tmpdir(), "spelunk-manifest-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function put(relative: string, content: string): string {
  const path = join(root, relative);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}

// An attack_data checkout: the manifest and its data side by side, paths written from the repository root.
const folder = "attack_data/datasets/attack_techniques/T1071.002/outbound_smb_traffic";
put(`${folder}/zeek_conn.log`, '{"ts":1}\n');
put(`${folder}/sysmon.log`, '{"ts":2}\n');

describe("attack_data manifests", () => {
  it("paths written from the repository root (/datasets/... or datasets/...) are found in the checkout", () => {
    const manifest = put(
      `${folder}/outbound_smb_traffic.yml`,
      `author: test
datasets:
- name: zeek_conn
  path: /datasets/attack_techniques/T1071.002/outbound_smb_traffic/zeek_conn.log
  sourcetype: bro:conn:json
  source: zeek_conn
- name: sysmon
  path: datasets/attack_techniques/T1071.002/outbound_smb_traffic/sysmon.log
  sourcetype: XmlWinEventLog
  source: XmlWinEventLog:Microsoft-Windows-Sysmon/Operational
`,
    );
    expect(isManifest(manifest)).toBe(true);
    expect(readManifest(manifest)).toEqual([
      { path: join(root, folder, "zeek_conn.log"), sourcetype: "bro:conn:json", source: "zeek_conn" },
      { path: join(root, folder, "sysmon.log"), sourcetype: "XmlWinEventLog", source: "XmlWinEventLog:Microsoft-Windows-Sysmon/Operational" },
    ]);
  });

  it("paths relative to the manifest's folder, download URLs, and a file beside the manifest are found too", () => {
    const manifest = put(
      "elsewhere/m.yaml",
      `datasets:
- {name: a, path: ../${folder}/zeek_conn.log, sourcetype: st, host: h1, index: idx}
- {name: b, path: "https://media.githubusercontent.com/media/splunk/attack_data/master/datasets/attack_techniques/T1071.002/outbound_smb_traffic/sysmon.log", sourcetype: st}
- {name: c, path: /datasets/somewhere/else/local.log, sourcetype: st}
`,
    );
    put("elsewhere/local.log", "{}\n");
    put("elsewhere/datasets/attack_techniques/T1071.002/outbound_smb_traffic/sysmon.log", "{}\n");
    expect(readManifest(manifest)).toEqual([
      { path: join(root, folder, "zeek_conn.log"), sourcetype: "st", host: "h1", index: "idx" },
      { path: join(root, "elsewhere/datasets/attack_techniques/T1071.002/outbound_smb_traffic/sysmon.log"), sourcetype: "st" },
      { path: join(root, "elsewhere/local.log"), sourcetype: "st" },
    ]);
  });

  it("a data file found nowhere is an error that says where it was looked for", () => {
    const manifest = put("missing/m.yml", "datasets:\n- name: gone\n  path: datasets/x/gone.log\n  sourcetype: st\n");
    expect(() => readManifest(manifest)).toThrow(IngestError);
    expect(() => readManifest(manifest)).toThrow(`${manifest}: dataset 1 (gone): data file datasets/x/gone.log not found (looked for datasets/x/gone.log under ${join(root, "missing")} and each folder above it, and for gone.log beside the manifest)`);
  });

  it("entries without a path or sourcetype, the old manifest shape and bad YAML are errors", () => {
    expect(() => readManifest(put("bad1.yml", "datasets:\n- name: x\n  path: a.log\n"))).toThrow(/dataset 1 \(x\): no sourcetype/);
    expect(() => readManifest(put("bad2.yml", "dataset:\n- https://example.com/a.log\nsourcetypes:\n- st\n"))).toThrow(/old-style attack_data manifest/);
    expect(() => readManifest(put("bad3.yml", "datasets: [\n"))).toThrow(/not valid YAML/);
    expect(() => readManifest(put("bad4.yml", "datasets:\n- {path: 'https://example.com/a.log', sourcetype: st}\n"))).toThrow(/is a URL; spelunk reads local files/);
    expect(() => readManifest(join(root, "nope.yml"))).toThrow(`cannot read ${join(root, "nope.yml")}: no such file`);
  });

  it("isManifest is true only for YAML files with a datasets: list", () => {
    expect(isManifest(put("detection.yml", "name: x\nsearch: index=main\n"))).toBe(false);
    expect(isManifest(put("data.json", '{"datasets":[]}'))).toBe(false);
    expect(isManifest(join(root, "absent.yml"))).toBe(false);
    expect(isManifest(put("list.yml", "datasets: []\n"))).toBe(true);
  });

  it("maps attack_data download URLs to repository paths", () => {
    expect(attackDataRepoPath("https://media.githubusercontent.com/media/splunk/attack_data/master/datasets/a/b.log")).toBe("datasets/a/b.log");
    expect(attackDataRepoPath("https://raw.githubusercontent.com/splunk/attack_data/master/datasets/a/b.log")).toBe("datasets/a/b.log");
    // 38 ESCU corpus URLs name the branch as refs/heads/master.
    expect(attackDataRepoPath("https://raw.githubusercontent.com/splunk/attack_data/refs/heads/master/datasets/a/b.log")).toBe("datasets/a/b.log");
    expect(attackDataRepoPath("https://example.com/datasets/a/b.log")).toBeUndefined();
  });
});

/**
 * attack_data dataset manifests (splunk/attack_data, datasets/attack_techniques/<T>/<dir>/<name>.yml):
 *
 *   datasets:
 *   - name: windows-sysmon
 *     path: /datasets/attack_techniques/T1003.003/atomic_red_team/windows-sysmon.log
 *     sourcetype: XmlWinEventLog
 *     source: XmlWinEventLog:Microsoft-Windows-Sysmon/Operational
 *
 * The published manifests write `path` from the root of the attack_data repository, with or without
 * a leading slash ("/datasets/..." and "datasets/..." both occur), and some older ones a download URL
 * (https://media.githubusercontent.com/media/splunk/attack_data/master/datasets/...). So a path is
 * looked for, in order: as an absolute path that exists; relative to the manifest's folder; relative
 * to each folder above it (the repository root, wherever the checkout is); as the file of that name
 * next to the manifest (a manifest downloaded with its data). A path found nowhere is an error that
 * says where it was looked for; nothing is dropped silently.
 *
 * The older manifest shape (`dataset:` a list of URLs, `sourcetypes:` a separate list) does not pair
 * files with sourcetypes, and is refused with a message saying so.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { parse } from "yaml";
import { type DatasetSpec, IngestError } from "./format.js";
import { describeFsError } from "./lines.js";

/** Manifests are small; a bigger .yml is not read as one. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
/** Folders walked up from the manifest when looking for the repository root. */
const MAX_PARENT_FOLDERS = 64;

/** True for a .yml/.yaml file whose top level has a `datasets:` list (it is not an error to ask about any path). */
export function isManifest(path: string): boolean {
  if (!/\.ya?ml$/i.test(path)) return false;
  try {
    const stat = statSync(path);
    if (!stat.isFile() || stat.size > MAX_MANIFEST_BYTES) return false;
    const doc: unknown = parse(readFileSync(path, "utf8"));
    return isRecord(doc) && Array.isArray(doc["datasets"]);
  } catch {
    return false;
  }
}

/** The datasets of a manifest, their paths resolved (see the file comment). */
export function readManifest(path: string): DatasetSpec[] {
  let text: string;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw Object.assign(new Error("directory"), { code: "EISDIR" });
    if (stat.size > MAX_MANIFEST_BYTES) throw new IngestError(`${path}: ${stat.size} bytes is too big for a dataset manifest`);
    text = readFileSync(path, "utf8");
  } catch (e) {
    if (e instanceof IngestError) throw e;
    throw new IngestError(`cannot read ${path}: ${describeFsError(e)}`);
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new IngestError(`${path}: not valid YAML: ${(e as Error).message.split("\n")[0]}`);
  }
  if (!isRecord(doc)) throw new IngestError(`${path}: not a dataset manifest (expected a mapping with a datasets: list)`);
  const list = doc["datasets"];
  if (!Array.isArray(list)) {
    if (doc["dataset"] !== undefined) {
      throw new IngestError(
        `${path}: an old-style attack_data manifest (dataset: URLs and a separate sourcetypes: list) does not say which file has which sourcetype; give each file with --data PATH --sourcetype ST`,
      );
    }
    throw new IngestError(`${path}: not a dataset manifest (no datasets: list)`);
  }
  if (list.length === 0) throw new IngestError(`${path}: the datasets: list is empty`);
  const folder = dirname(resolve(path));
  return list.map((entry: unknown, i: number): DatasetSpec => {
    const where = `${path}: dataset ${i + 1}${isRecord(entry) && typeof entry["name"] === "string" ? ` (${entry["name"]})` : ""}`;
    if (!isRecord(entry)) throw new IngestError(`${where}: expected a mapping with path and sourcetype`);
    const file = entryText(entry, "path", where, true)!;
    const sourcetype = entryText(entry, "sourcetype", where, true)!;
    const spec: DatasetSpec = { path: resolveDatasetPath(folder, file, where), sourcetype };
    const source = entryText(entry, "source", where, false);
    const host = entryText(entry, "host", where, false);
    const index = entryText(entry, "index", where, false) ?? entryText(entry, "custom_index", where, false);
    if (source !== undefined) spec.source = source;
    if (host !== undefined) spec.host = host;
    if (index !== undefined) spec.index = index;
    return spec;
  });
}

/**
 * The repository path of an attack_data download URL
 * (https://media.githubusercontent.com/media/splunk/attack_data/master/datasets/x/y.log →
 * datasets/x/y.log), or undefined for another URL.
 */
export function attackDataRepoPath(url: string): string | undefined {
  // The branch is one path segment (`master`), or `refs/heads/<branch>` (`refs/tags/<tag>`) as 38 corpus URLs write it.
  const m = /^https?:\/\/(?:media\.githubusercontent\.com\/media|raw\.githubusercontent\.com|github\.com)\/splunk\/attack_data\/(?:raw\/|blob\/)?(?:refs\/(?:heads|tags)\/)?[^/]+\/(.+)$/.exec(url);
  return m ? decodeURIComponent(m[1]!) : undefined;
}

function resolveDatasetPath(folder: string, written: string, where: string): string {
  let path = written;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
    const repoPath = attackDataRepoPath(path);
    if (repoPath === undefined) throw new IngestError(`${where}: ${written} is a URL; spelunk reads local files (download it and give its path)`);
    path = repoPath;
  }
  if (isAbsolute(path) && isFile(path)) return path;
  const relative = path.replace(/^[/\\]+/, "");
  if (relative === "") throw new IngestError(`${where}: empty path`);
  let dir = folder;
  for (let i = 0; i < MAX_PARENT_FOLDERS; i++) {
    const candidate = join(dir, relative);
    if (isFile(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  const beside = join(folder, basename(relative));
  if (isFile(beside)) return beside;
  throw new IngestError(
    `${where}: data file ${written} not found (looked for ${relative} under ${folder} and each folder above it, and for ${basename(relative)} beside the manifest)`,
  );
}

function isFile(path: string): boolean {
  try {
    return existsSync(path) && statSync(path).isFile();
  } catch {
    return false;
  }
}

function entryText(entry: Record<string, unknown>, key: string, where: string, required: boolean): string | undefined {
  const v = entry[key];
  if (v === undefined || v === null) {
    if (required) throw new IngestError(`${where}: no ${key}`);
    return undefined;
  }
  if (typeof v !== "string" && typeof v !== "number") throw new IngestError(`${where}: ${key} should be text`);
  const s = String(v).trim();
  if (s === "" && required) throw new IngestError(`${where}: empty ${key}`);
  return s === "" ? undefined : s;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

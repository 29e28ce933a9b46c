/**
 * Loading Splunk-app-shaped folders of knowledge objects:
 *
 *   <app>/default/{props,transforms,eventtypes,tags}.conf   (local/ versions layered on top)
 *   <app>/default/data/models/*.json                        (local/data/models too)
 *   <app>/lookups/*.csv
 *
 * spelunk ships its own apps in the package's apps/ folder; users add folders with `--apps DIR`,
 * where DIR is one app (it has default/, local/ or lookups/) or a folder of apps. Files are read
 * here; what they mean is knowledge.ts's business. A bad file is reported and the rest loads.
 *
 * Layering order (a simplification of Splunk's configuration file precedence, which orders apps
 * by name and by the app a search runs in): shipped apps by name, then user folders in the order
 * given, each app's local/ after its default/; later settings of the same stanza key win, as later
 * `--macros` folders do.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type ConfStanza, parseConf } from "./conf.js";

export interface KnowledgeProblem {
  readonly file: string;
  readonly line?: number;
  readonly message: string;
}

export const CONF_KINDS = ["props", "transforms", "eventtypes", "tags"] as const;
export type ConfKind = (typeof CONF_KINDS)[number];

/** One .conf file as read: its display path and its stanzas in file order. */
export interface AppConfFile {
  readonly file: string;
  readonly stanzas: readonly ConfStanza[];
}

export interface LoadedApp {
  readonly name: string;
  /** Absolute folder. */
  readonly dir: string;
  /** How the folder is shown in messages (apps/spelunk_zeek for shipped apps). */
  readonly label: string;
  /** default/ then local/ file of each kind (absent files left out). */
  readonly confs: Readonly<Record<ConfKind, readonly AppConfFile[]>>;
  /** lookups/*.csv: file name → absolute path. Only names listed here are ever opened. */
  readonly lookupFiles: ReadonlyMap<string, string>;
  /** Parsed data model JSON documents (not yet interpreted). */
  readonly dataModels: ReadonlyArray<{ readonly file: string; readonly json: unknown }>;
}

export interface LoadedApps {
  readonly apps: LoadedApp[];
  readonly problems: KnowledgeProblem[];
}

/** Bounds on what one folder may hold, so a wrong --apps path cannot make loading run away. */
const MAX_APPS = 1000;
const MAX_FILES = 10_000;

/** The package's apps/ folder (src/knowledge or dist/knowledge are two levels below the root). */
export function shippedAppsDir(): string {
  return fileURLToPath(new URL("../../apps/", import.meta.url));
}

/** The shipped apps, by name. */
export function loadShippedApps(): LoadedApps {
  return loadAppsFrom(shippedAppsDir(), "apps");
}

/** The shipped apps, then each user folder in order (later ones win when layered). */
export function loadAllApps(userDirs: readonly string[] = []): LoadedApps {
  const shipped = loadShippedApps();
  const apps = [...shipped.apps];
  const problems = [...shipped.problems];
  for (const dir of userDirs) {
    const loaded = loadAppsFrom(dir);
    apps.push(...loaded.apps);
    problems.push(...loaded.problems);
  }
  return { apps, problems };
}

/** Whether a folder looks like one Splunk app. */
export function isAppDir(dir: string): boolean {
  return ["default", "local", "lookups"].some((d) => isDir(join(dir, d)));
}

/**
 * DIR as one app, or as a folder of apps (its subfolders that are apps, by name). Throws when DIR
 * is not a folder; a subfolder that is not an app is reported.
 */
export function loadAppsFrom(dir: string, label = dir): LoadedApps {
  let st;
  try {
    st = statSync(dir);
  } catch {
    throw new Error(`apps folder not found: ${dir}`);
  }
  if (!st.isDirectory()) throw new Error(`not a directory: ${dir} (expected a Splunk app folder with default/, or a folder of apps)`);
  if (isAppDir(dir)) return loadApp(dir, label);
  const apps: LoadedApp[] = [];
  const problems: KnowledgeProblem[] = [];
  const entries = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith("."))
    .map((e) => e.name)
    .sort()
    .slice(0, MAX_APPS);
  for (const name of entries) {
    const sub = join(dir, name);
    if (!isAppDir(sub)) {
      problems.push({ file: join(label, name), message: "not a Splunk app (no default/, local/ or lookups/ folder); skipped" });
      continue;
    }
    const loaded = loadApp(sub, join(label, name));
    apps.push(...loaded.apps);
    problems.push(...loaded.problems);
  }
  if (entries.length === 0) problems.push({ file: label, message: "holds no app folders" });
  return { apps, problems };
}

/** One app folder. */
export function loadApp(dir: string, label = dir): LoadedApps {
  const problems: KnowledgeProblem[] = [];
  const confs = {} as Record<ConfKind, AppConfFile[]>;
  for (const kind of CONF_KINDS) {
    confs[kind] = [];
    for (const layer of ["default", "local"]) {
      const path = join(dir, layer, `${kind}.conf`);
      if (!isFile(path)) continue;
      const shown = join(label, layer, `${kind}.conf`);
      const text = readText(path, shown, problems);
      if (text === undefined) continue;
      const parsed = parseConf(text, shown);
      problems.push(...parsed.problems);
      confs[kind].push({ file: shown, stanzas: parsed.stanzas });
    }
  }
  const lookupFiles = new Map<string, string>();
  const lookupsDir = join(dir, "lookups");
  if (isDir(lookupsDir)) {
    for (const e of readdirSync(lookupsDir, { withFileTypes: true }).slice(0, MAX_FILES)) {
      if (e.isFile() && /\.csv$/i.test(e.name)) lookupFiles.set(e.name, join(lookupsDir, e.name));
    }
  }
  const dataModels: Array<{ file: string; json: unknown }> = [];
  for (const layer of ["default", "local"]) {
    const modelsDir = join(dir, layer, "data", "models");
    if (!isDir(modelsDir)) continue;
    const files = readdirSync(modelsDir, { withFileTypes: true })
      .filter((e) => e.isFile() && /\.json$/i.test(e.name))
      .map((e) => e.name)
      .sort()
      .slice(0, MAX_FILES);
    for (const name of files) {
      const shown = join(label, layer, "data", "models", name);
      const text = readText(join(modelsDir, name), shown, problems);
      if (text === undefined) continue;
      try {
        dataModels.push({ file: shown, json: JSON.parse(text) as unknown });
      } catch (e) {
        problems.push({ file: shown, message: `not valid JSON: ${(e as Error).message}` });
      }
    }
  }
  return { apps: [{ name: basename(dir), dir, label, confs, lookupFiles, dataModels }], problems };
}

function readText(path: string, shown: string, problems: KnowledgeProblem[]): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    problems.push({ file: shown, message: `cannot read: ${(e as Error).message}` });
    return undefined;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

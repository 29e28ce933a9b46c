/** `spelunk run`: load the datasets, run one search, print the results. */
import { hostname } from "node:os";
import { IngestError, type DatasetSpec } from "../ingest/format.js";
import { isManifest, readManifest } from "../ingest/manifest.js";
import { DataStore } from "../exec/store.js";
import { runSearch } from "../exec/run.js";
import { parseTimeArg } from "../time/relative.js";
import { formatResults, type OutputFormat } from "./output.js";
import { CliError } from "./errors.js";
import { loadKnowledge, loadLibrary } from "./library.js";
import type { DataArg } from "./data-options.js";
import type { SearchSource } from "./sources.js";
import { progressReporter } from "../ingest/progress.js";

export interface RunCliOptions {
  search?: string;
  apps: string[];
  format?: OutputFormat;
  tz?: string;
  now?: string;
  earliest?: string;
  latest?: string;
  geoipDb?: string;
  models: string;
}

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

export async function runCommand(
  source: SearchSource,
  options: RunCliOptions & { data: readonly DataArg[]; macros: readonly string[]; io: Io },
): Promise<number> {
  const { io } = options;
  const tz = options.tz ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? "UTC";
  if (!isTimeZone(tz)) throw new CliError(`--tz ${tz}: not a time zone (use an IANA name such as UTC or Europe/Paris)`);
  const wallClock = Date.now() / 1000;
  const now = options.now !== undefined ? timeOption("--now", options.now, wallClock, tz) : wallClock;
  const earliest = options.earliest !== undefined ? timeOption("--earliest", options.earliest, now, tz) : undefined;
  const latest = options.latest !== undefined ? timeOption("--latest", options.latest, now, tz) : undefined;
  const format: OutputFormat = options.format ?? (process.stdout.isTTY ? "table" : "json");

  const macros = loadLibrary(options.macros, io.err);
  const knowledge = loadKnowledge(options.apps, io.err);
  const specs = datasetSpecs(options.data);
  const progress = format === "json" ? undefined : progressReporter();
  let store: DataStore;
  try {
    const loaded = await DataStore.load(specs, knowledge, { now, tz, ...(progress ? { onProgress: progress.update } : {}) });
    store = loaded.store;
    for (const p of loaded.report.problems) io.err(`spelunk: skipped ${p.file}:${p.line}: ${p.message}\n`);
    if (loaded.report.skipped > 0) io.err(`spelunk: ${loaded.report.skipped} line(s) skipped in all; ${loaded.report.events} events loaded\n`);
  } catch (error) {
    if (error instanceof IngestError) throw new CliError(error.message);
    throw error;
  } finally {
    progress?.done();
  }
  const { table } = await runSearch(source.text, {
    sourceName: source.name,
    macros,
    ...(source.stem ? { detectionStem: source.stem } : {}),
    data: store,
    now,
    tz,
    ...(earliest !== undefined ? { earliest } : {}),
    ...(latest !== undefined ? { latest } : {}),
    ...(options.geoipDb !== undefined ? { geoipDb: options.geoipDb } : {}),
    modelsDir: options.models,
    warn: (message) => io.err(`spelunk: warning: ${message}\n`),
  });
  io.out(formatResults(table, format, tz));
  return 0;
}

function datasetSpecs(args: readonly DataArg[]): DatasetSpec[] {
  if (args.length === 0) throw new CliError("no data: give --data PATH (with --sourcetype ST unless PATH is an attack_data manifest)");
  const specs: DatasetSpec[] = [];
  for (const arg of args) {
    if (isManifest(arg.path)) {
      for (const spec of readManifest(arg.path)) specs.push({ ...spec, ...(arg.index ? { index: arg.index } : {}), ...(arg.host ? { host: arg.host } : {}) });
      continue;
    }
    if (!arg.sourcetype) throw new CliError(`--data ${arg.path}: give its --sourcetype (e.g. --sourcetype bro:conn:json)`);
    specs.push({
      path: arg.path,
      sourcetype: arg.sourcetype,
      source: arg.source ?? arg.path,
      host: arg.host ?? hostname(),
      index: arg.index ?? "main",
    });
  }
  return specs;
}

function timeOption(name: string, text: string, now: number, tz: string): number {
  const t = parseTimeArg(text, now, tz);
  if (t === undefined) throw new CliError(`${name} ${text}: not a time (epoch seconds, ISO-8601, or relative such as -24h@h)`);
  return t;
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

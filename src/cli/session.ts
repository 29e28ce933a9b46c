/**
 * What `spelunk run` and `spelunk repl` share: the search's clock (--tz, --now, --earliest, --latest),
 * the dataset specs from the --data options, and loading them into a DataStore with the same
 * messages. Errors a user can cause are CliErrors. Checking the options imports no part of the
 * search engine.
 */
import { hostname } from "node:os";
import { IngestError, type DatasetSpec } from "../ingest/format.js";
import { isManifest, readManifest } from "../ingest/manifest.js";
import type { DataStore, LoadReport } from "../exec/store.js";
import type { Knowledge } from "../knowledge/knowledge.js";
import { parseTimeArg } from "../time/relative.js";
import { CliError } from "./errors.js";
import type { DataArg } from "./data-options.js";

export interface ClockOptions {
  tz?: string;
  now?: string;
  earliest?: string;
  latest?: string;
}

export interface SearchClock {
  readonly tz: string;
  readonly now: number;
  readonly earliest?: number;
  readonly latest?: number;
}

/** The time zone option, or the process's; a name Intl does not know is a CliError. */
export function resolveTimeZone(tz: string | undefined): string {
  const zone = tz ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? "UTC";
  if (!isTimeZone(zone)) throw new CliError(`--tz ${zone}: not a time zone (use an IANA name such as UTC or Europe/Paris)`);
  return zone;
}

/** now(), earliest and latest for one search; `wallClock` (epoch seconds) is now unless --now pins it. */
export function searchClock(options: ClockOptions, wallClock: number = Date.now() / 1000): SearchClock {
  const tz = resolveTimeZone(options.tz);
  const now = options.now !== undefined ? timeOption("--now", options.now, wallClock, tz) : wallClock;
  const earliest = options.earliest !== undefined ? timeOption("--earliest", options.earliest, now, tz) : undefined;
  const latest = options.latest !== undefined ? timeOption("--latest", options.latest, now, tz) : undefined;
  return { tz, now, ...(earliest !== undefined ? { earliest } : {}), ...(latest !== undefined ? { latest } : {}) };
}

export function timeOption(name: string, text: string, now: number, tz: string): number {
  const t = parseTimeArg(text, now, tz);
  if (t === undefined) throw new CliError(`${name} ${text}: not a time (epoch seconds, ISO-8601, or relative such as -24h@h)`);
  return t;
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** One spec per --data (a manifest gives its datasets); a file without a sourcetype is a CliError. */
export function datasetSpecs(args: readonly DataArg[]): DatasetSpec[] {
  const specs: DatasetSpec[] = [];
  for (const arg of args) {
    if (isManifest(arg.path)) {
      let manifest: DatasetSpec[];
      try {
        manifest = readManifest(arg.path);
      } catch (error) {
        if (error instanceof IngestError) throw new CliError(error.message);
        throw error;
      }
      for (const spec of manifest) specs.push({ ...spec, ...(arg.index ? { index: arg.index } : {}), ...(arg.host ? { host: arg.host } : {}) });
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

export const noDataMessage = "no data: give --data PATH (with --sourcetype ST unless PATH is an attack_data manifest)";

export interface LoadDataOptions {
  readonly now: number;
  readonly tz: string;
  /** `events` is the current file's count so far (readDataset passes it). */
  readonly onProgress?: (bytesRead: number, totalBytes: number, events?: number) => void;
  /** Gets each message about skipped lines, as `spelunk: ...\n`. */
  readonly warn: (text: string) => void;
}

/**
 * Loads the datasets; a dataset that cannot be read at all is a CliError, bad lines are reported and
 * skipped. The engine is imported here, not above, so that checking options stays quick (the REPL
 * shows its prompt before the engine has loaded).
 */
export async function loadData(specs: readonly DatasetSpec[], knowledge: Knowledge, options: LoadDataOptions): Promise<{ store: DataStore; report: LoadReport }> {
  const { DataStore } = await import("../exec/store.js");
  try {
    const loaded = await DataStore.load(specs, knowledge, { now: options.now, tz: options.tz, ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
    for (const p of loaded.report.problems) options.warn(`spelunk: skipped ${p.file}:${p.line}: ${p.message}\n`);
    if (loaded.report.skipped > 0) options.warn(`spelunk: ${loaded.report.skipped} line(s) skipped in all; ${loaded.report.events} events loaded\n`);
    return loaded;
  } catch (error) {
    if (error instanceof IngestError) throw new CliError(error.message);
    throw error;
  }
}

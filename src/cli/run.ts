/** `spelunk run`: load the datasets, run one search, print the results. */
import { runSearch } from "../exec/run.js";
import { progressReporter } from "../ingest/progress.js";
import { CliError } from "./errors.js";
import type { DataArg } from "./data-options.js";
import { loadKnowledge, loadLibrary } from "./library.js";
import { formatResults, type OutputFormat } from "./output.js";
import { datasetSpecs, loadData, noDataMessage, searchClock } from "./session.js";
import type { SearchSource } from "./sources.js";

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
  const clock = searchClock(options);
  const format: OutputFormat = options.format ?? (process.stdout.isTTY ? "table" : "json");
  const specs = datasetSpecs(options.data);
  if (specs.length === 0) throw new CliError(noDataMessage);

  const macros = loadLibrary(options.macros, io.err);
  const knowledge = loadKnowledge(options.apps, io.err);
  const progress = format === "json" ? undefined : progressReporter();
  let store;
  try {
    ({ store } = await loadData(specs, knowledge, { now: clock.now, tz: clock.tz, warn: io.err, ...(progress ? { onProgress: progress.update } : {}) }));
  } finally {
    progress?.done();
  }
  const { table } = await runSearch(source.text, {
    sourceName: source.name,
    macros,
    ...(source.stem ? { detectionStem: source.stem } : {}),
    data: store,
    ...clock,
    ...(options.geoipDb !== undefined ? { geoipDb: options.geoipDb } : {}),
    modelsDir: options.models,
    warn: (message) => io.err(`spelunk: warning: ${message}\n`),
  });
  io.out(formatResults(table, format, clock.tz));
  return 0;
}

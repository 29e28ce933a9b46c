/** `spelunk run`: load the datasets, run one search, print the results. */
import { checkSearch } from "../compile.js";
import { runSearch } from "../exec/run.js";
import { DataStore } from "../exec/store.js";
import type { Pipeline } from "../parse/ast.js";
import { subsearchesOf } from "../parse/walk.js";
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
  const macros = loadLibrary(options.macros, io.err);
  if (specs.length === 0) {
    // A search that only generates its rows (| makeresults, | inputlookup) needs no data; one that
    // reads events without any is a mistake, not an empty result.
    const { pipeline } = checkSearch(source.text, { sourceName: source.name, macros, ...(source.stem ? { detectionStem: source.stem } : {}) });
    if (readsEvents(pipeline)) throw new CliError(noDataMessage);
  }
  const knowledge = loadKnowledge(options.apps, io.err);
  const progress = format === "json" || specs.length === 0 ? undefined : progressReporter();
  let store;
  try {
    store =
      specs.length === 0
        ? DataStore.empty(knowledge, clock)
        : (await loadData(specs, knowledge, { now: clock.now, tz: clock.tz, warn: io.err, ...(progress ? { onProgress: progress.update } : {}) })).store;
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

/** Commands that make their rows without reading events. */
const GENERATING = new Set(["makeresults", "inputlookup"]);

/** Whether the search, or any of its subsearches, reads events (it does unless it starts by generating its rows). */
function readsEvents(pipeline: Pipeline): boolean {
  const first = pipeline.stages[0];
  if (first === undefined || !GENERATING.has(first.name.toLowerCase())) return true;
  return pipeline.stages.some((stage) => subsearchesOf(stage.args).some(readsEvents));
}

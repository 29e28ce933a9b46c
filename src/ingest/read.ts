/**
 * readDataset: one replayed dataset file → a columnar event table, streaming.
 *
 * Every event gets `_time` (NumberColumn), `_raw` (the line or CSV record as read), and the
 * dataset's `host`, `source`, `sourcetype`, `index` (ConstantColumns), then its fields
 * (DictColumns, -1 = null) in first-seen order. Events keep the file's order.
 *
 * Decisions where Splunk's behaviour is not one fixed thing:
 * - host defaults to this machine's name and source to the file's absolute path, as a monitor input
 *   sets them (inputs.conf: `host = $decideOnStartup`; source is the monitored file); index to "main".
 * - A field of the data named _time, _raw, host, source, sourcetype or index is not kept as a field
 *   (the event's own value wins); a warning counts them. (_time from a CSV column is read as the time.)
 * - The time field: `timestampField` (TIMESTAMP_FIELDS; several comma-separated fields are joined
 *   with spaces, "date,time" → "2024-01-02 03:04:05"); else json `ts`, `@timestamp` or `timestamp`,
 *   tsv `ts`, csv `_time` or `timestamp`, the first one the event has. Splunk finds an undeclared
 *   timestamp by scanning the text; these names are where it is in the datasets spelunk reads.
 * - An event without a parsable time takes the previous event's time (the first ones: the file's
 *   modification time), as Splunk does for an event whose timestamp it cannot find; a warning
 *   counts them.
 * - Bad lines are skipped and listed (at most maxProblems, default 100; `skipped` counts them all).
 *
 * A large uncompressed JSON or Zeek TSV file is read in parts on worker threads (parallel.ts), with
 * the same result as reading it here line by line.
 */
import { hostname } from "node:os";
import { resolve } from "node:path";
import type { Table } from "../table/table.js";
import { type DatasetSpec, type FormatSettings, IngestError, type IngestProblem } from "./format.js";
import { checkFormat, parseFile, timeFieldsOf } from "./parse.js";
import { readInParallel, planParallel } from "./parallel.js";

export interface ReadOptions {
  /** Called as the file is read: compressed bytes for a gzip file, and the events kept so far. */
  onProgress?: (bytesRead: number, totalBytes: number, events: number) => void;
  /** Problems listed at most (default 100); all are counted in `skipped`. */
  maxProblems?: number;
  /**
   * Files of at least this many bytes (uncompressed JSON or Zeek TSV) are read in parts at once
   * (parallel.ts); default PARALLEL_THRESHOLD. Infinity reads every file on this thread alone.
   */
  parallelThreshold?: number;
  /**
   * The parts such a file is read in: this thread reads the first, a worker thread each other one.
   * Default the machine's parallelism, at most MAX_WORKERS.
   */
  workers?: number;
}

export interface DatasetContents {
  events: Table;
  problems: IngestProblem[];
  /** Lines (CSV: records) skipped, listed in `problems` or not. */
  skipped: number;
  /** Things that did not stop an event from loading but changed it (times assumed, fields dropped ...). */
  warnings: string[];
}

/** What a read found besides the events, for the warnings and the error of a file without events. */
export interface ReadTally {
  rows: number;
  problems: IngestProblem[];
  skipped: number;
  untimed: number;
  /** Reserved field names the data had, with how many events had them, in first-seen order. */
  reservedSeen: ReadonlyMap<string, number>;
  /** How many TSV #fields names cleaned to nothing. */
  droppedNames: number;
  unnamedColumns: number;
}

export async function readDataset(spec: DatasetSpec, format: FormatSettings, options: ReadOptions = {}): Promise<DatasetContents> {
  const file = spec.path;
  const maxProblems = Math.max(0, options.maxProblems ?? 100);
  const meta = {
    host: spec.host ?? hostname(),
    source: spec.source ?? resolve(file),
    sourcetype: spec.sourcetype,
    index: spec.index ?? "main",
  };

  checkFormat(file, format);
  const plan = await planParallel(file, format, options);
  if (plan !== undefined) {
    const read = await readInParallel(file, format, plan, { maxProblems, meta, ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
    // undefined: the parts did not fit together (a TSV header changing midway); read here instead.
    if (read !== undefined) return { events: read.events, problems: read.tally.problems, skipped: read.tally.skipped, warnings: warningsOf(file, format, read.tally) };
  }

  const parsed = await parseFile(file, format, { maxProblems, ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
  const { builder } = parsed;
  const tally: ReadTally = {
    rows: builder.length,
    problems: parsed.problems,
    skipped: parsed.skipped,
    untimed: parsed.untimed,
    reservedSeen: builder.reservedSeen,
    droppedNames: parsed.droppedNames.length,
    unnamedColumns: parsed.unnamedColumns,
  };
  const warnings = warningsOf(file, format, tally);
  return { events: builder.finish(meta), problems: parsed.problems, skipped: parsed.skipped, warnings };
}

/** The warnings of a read; a read without events is an IngestError. */
export function warningsOf(file: string, format: FormatSettings, tally: ReadTally): string[] {
  const { problems, skipped } = tally;
  const warnings: string[] = [];
  if (tally.unnamedColumns > 0) warnings.push(`${tally.unnamedColumns} column(s) of the header row have no name; their values were not kept`);
  if (tally.droppedNames > 0) warnings.push(`${tally.droppedNames} #fields name(s) are empty; their values were not kept`);
  if (tally.rows === 0) {
    const first = problems[0];
    throw new IngestError(
      `${file}: no events (${skipped} line${skipped === 1 ? "" : "s"} skipped${first ? `; line ${first.line}: ${first.message}` : ""})`,
    );
  }
  const { fields: timeFields, joined } = timeFieldsOf(format);
  if (tally.untimed > 0) {
    warnings.push(
      `${tally.untimed} event(s) without a parsable time in ${timeFields.map((f) => `'${f}'`).join(joined ? " and " : " or ")} took the previous event's time (the first ones, the file's modification time)`,
    );
  }
  for (const [name, count] of tally.reservedSeen) {
    if (name === "_time" && timeFields.includes("_time")) continue; // read as the time, as meant
    warnings.push(`field '${name}' of the data (in ${count} event(s)) was not kept: ${name} is set by the dataset, not by its events`);
  }
  return warnings;
}

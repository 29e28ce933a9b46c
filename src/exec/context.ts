/**
 * What a command sees when it runs: the search's clock and time zone, its time range, the loaded
 * data, and ways to warn and to run subsearches. Commands never reach the CLI or the file system
 * except through this.
 */
import type { Pipeline, Span } from "../parse/ast.js";
import type { Table } from "../table/table.js";
import type { DataSource } from "./datasource.js";

export interface ExecContext {
  /** now(): the search's start time, epoch seconds; pinned by --now for reproducible runs. */
  readonly now: number;
  /** The search's time zone (IANA name): strftime, ctime, @d snapping, span=1d. */
  readonly tz: string;
  /** The run's time range [earliest, latest) in epoch seconds; absent = all time. */
  readonly earliest?: number;
  readonly latest?: number;
  readonly data: DataSource;
  /** iplocation's database: a MaxMind-schema City .mmdb (--geoip-db); absent = the shipped GeoLite2 City data. */
  readonly geoipDb?: string;
  /** MLTK's model directory (--models DIR, default ./models): where fit saves and apply reads models. */
  readonly models: import("../mltk/store.js").ModelStore;
  /** A message for the user that does not stop the search (Splunk's info/warning messages). */
  warn(message: string, span?: Span): void;
  /** Run a subsearch to completion (append, join, `search [ ... ]`). */
  runSubsearch(pipeline: Pipeline): Promise<Table>;
  /** Aborted when the user cancels (REPL Ctrl-C); long loops check it. */
  readonly signal?: AbortSignal;
}

/** A user-caused error found while running, located in the search text (an unknown data model, a bad lookup ...). */
export class RuntimeError extends Error {
  constructor(
    message: string,
    readonly span: Span,
  ) {
    super(message);
    this.name = "RuntimeError";
  }
}

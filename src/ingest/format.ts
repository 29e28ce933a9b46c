/**
 * How a replayed dataset file is read: its format (what props.conf's KV_MODE / INDEXED_EXTRACTIONS
 * say, mapped by the knowledge code), where it came from (the dataset's source/sourcetype), and what
 * can go wrong while reading it.
 *
 * The optional settings beyond `kind` mirror props.conf (Splunk Admin Manual, props.conf.spec,
 * "Structured Data Header Extraction and configuration"):
 * - `timestampField`  ← TIMESTAMP_FIELDS (the field the event time is read from)
 * - `timeFormat`      ← TIME_FORMAT (strptime-style, e.g. the Zeek add-on's `%s.%6N`)
 * - `timeZone`        ← TZ (zone for times written without one; default UTC)
 * - `headerSpecialCharacters` ← HEADER_FIELD_ACCEPTABLE_SPECIAL_CHARACTERS (tsv/csv header names)
 */

export type FormatSettings =
  /** Newline-delimited JSON (KV_MODE = json / INDEXED_EXTRACTIONS = json). */
  | { kind: "json"; timestampField?: string; timeFormat?: string; timeZone?: string }
  /** Zeek's tab-separated logs (#separator, #fields, #types headers). */
  | { kind: "tsv"; timestampField?: string; timeFormat?: string; timeZone?: string; headerSpecialCharacters?: string }
  /** CSV with a header row (INDEXED_EXTRACTIONS = csv). */
  | { kind: "csv"; timestampField?: string; timeFormat?: string; timeZone?: string; headerSpecialCharacters?: string }
  /** Windows event log records in XML, one <Event> per record (XmlWinEventLog; see xml.ts). */
  | { kind: "xml"; timestampField?: string; timeFormat?: string; timeZone?: string };

export interface DatasetSpec {
  path: string;
  sourcetype: string;
  /** Default: the file's path, as a monitor input sets it. */
  source?: string;
  /** Default: this machine's host name, as a monitor input sets it (inputs.conf `host = $decideOnStartup`). */
  host?: string;
  /** Default: "main". */
  index?: string;
}

/** A line that was skipped (malformed, ragged, ...). `line` is 1-based; for a CSV record, its first line. */
export interface IngestProblem {
  file: string;
  line: number;
  message: string;
}

/** A dataset that cannot be read at all: a missing or unreadable file, a manifest in the wrong shape, no events. */
export class IngestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IngestError";
  }
}

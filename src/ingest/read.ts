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
 */
import { hostname } from "node:os";
import { resolve } from "node:path";
import type { Table } from "../table/table.js";
import type { Scalar } from "../table/value.js";
import { isValidTimeZone } from "../time/zone.js";
import { EventTableBuilder, type FieldSlot } from "./columns.js";
import { CsvReader } from "./csv.js";
import { type DatasetSpec, type FormatSettings, IngestError, type IngestProblem } from "./format.js";
import { cleanHeaderName } from "./header.js";
import { flattenJson } from "./json.js";
import { MAX_LINE_LENGTH, readLines } from "./lines.js";
import { timeParser } from "./time.js";
import { flattenXmlEvent, XmlRecordSplitter } from "./xml.js";
import { ZeekTsvReader } from "./zeek.js";

export interface ReadOptions {
  /** Called as the file is read: compressed bytes for a gzip file, and the events kept so far. */
  onProgress?: (bytesRead: number, totalBytes: number, events: number) => void;
  /** Problems listed at most (default 100); all are counted in `skipped`. */
  maxProblems?: number;
}

export interface DatasetContents {
  events: Table;
  problems: IngestProblem[];
  /** Lines (CSV: records) skipped, listed in `problems` or not. */
  skipped: number;
  /** Things that did not stop an event from loading but changed it (times assumed, fields dropped ...). */
  warnings: string[];
}

const DEFAULT_TIME_FIELDS: Record<FormatSettings["kind"], readonly string[]> = {
  json: ["ts", "@timestamp", "timestamp"],
  tsv: ["ts"],
  csv: ["_time", "timestamp"],
  xml: ["SystemTime"],
};

export async function readDataset(spec: DatasetSpec, format: FormatSettings, options: ReadOptions = {}): Promise<DatasetContents> {
  const file = spec.path;
  const maxProblems = Math.max(0, options.maxProblems ?? 100);
  const problems: IngestProblem[] = [];
  const warnings: string[] = [];
  let skipped = 0;
  const problem = (line: number, message: string): void => {
    skipped++;
    if (problems.length < maxProblems) problems.push({ file, line, message });
  };

  if (format.timeZone !== undefined && format.timeZone !== "" && !isValidTimeZone(format.timeZone)) {
    throw new IngestError(`${file}: unknown time zone '${format.timeZone}'`);
  }
  const parseTime = timeParser(format.timeFormat, format.timeZone);
  // The fields the time is read from; header names of TSV and CSV are cleaned, so these are too.
  const clean = (f: string): string => (format.kind === "json" || format.kind === "xml" ? f.trim() : cleanHeaderName(f, format.headerSpecialCharacters));
  const named = format.timestampField?.split(",").map(clean).filter((f) => f !== "") ?? [];
  const timeFields = named.length > 0 ? named : DEFAULT_TIME_FIELDS[format.kind];
  /** TIMESTAMP_FIELDS with several fields: their values joined by spaces make the time. */
  const joined = named.length > 1;

  const builder = new EventTableBuilder();
  const timeSlots: FieldSlot[] = timeFields.map((f) => builder.slot(f));
  let lastTime: number | undefined;
  let fileTime = 0;
  let untimed = 0;

  const timeOf = (): number | undefined => {
    let value: Scalar | undefined;
    if (joined) {
      const parts: string[] = [];
      for (const slot of timeSlots) {
        const v = builder.first(slot);
        if (v !== undefined) parts.push(String(v));
      }
      value = parts.length > 0 ? parts.join(" ") : undefined;
    } else {
      for (const slot of timeSlots) {
        value = builder.first(slot);
        if (value !== undefined) break;
      }
    }
    return value === undefined ? undefined : parseTime(value);
  };

  const commit = (raw: string): void => {
    let time = timeOf();
    if (time === undefined || !Number.isFinite(time)) {
      untimed++;
      time = lastTime ?? fileTime;
    }
    lastTime = time;
    builder.commit(time, raw);
  };

  let zeek: ZeekTsvReader | undefined;
  let csv: CsvReader | undefined;
  let xml: XmlRecordSplitter | undefined;
  let onLine: (text: string, lineNo: number) => void;
  switch (format.kind) {
    case "json":
      onLine = (text, lineNo) => {
        if (isBlank(text)) return;
        builder.beginRow();
        const error = flattenJson(text, builder);
        if (error !== null) problem(lineNo, error);
        else commit(text);
      };
      break;
    case "tsv": {
      const reader = (zeek = new ZeekTsvReader(builder, format.headerSpecialCharacters));
      onLine = (text, lineNo) => {
        builder.beginRow();
        const outcome = reader.line(text);
        if (outcome.kind === "event") commit(text);
        else if (outcome.kind === "problem") problem(lineNo, outcome.message);
      };
      break;
    }
    case "csv": {
      const reader = (csv = new CsvReader(builder, format.headerSpecialCharacters));
      onLine = (text, lineNo) => {
        builder.beginRow();
        const outcome = reader.line(text, lineNo);
        if (outcome.kind === "event") commit(outcome.raw);
        else if (outcome.kind === "problem") problem(outcome.line, outcome.message);
      };
      break;
    }
    case "xml": {
      const splitter = (xml = new XmlRecordSplitter());
      onLine = (text, lineNo) => {
        for (const record of splitter.line(text, lineNo)) {
          if (record.kind === "problem") {
            problem(record.line, record.message);
            continue;
          }
          builder.beginRow();
          const error = flattenXmlEvent(record.text, builder);
          if (error !== null) problem(record.line, error);
          else commit(record.text);
        }
      };
      break;
    }
    default:
      throw new IngestError(`${file}: unknown format '${(format as { kind: string }).kind}'`);
  }

  // The file's modification time is only known once it is opened; readLines reports it first thing.
  const result = await readLines(file, {
    line: (text, lineNo) => {
      onLine(text, lineNo);
    },
    tooLong: (lineNo, bytes) => problem(lineNo, `a line of ${bytes} bytes is longer than the ${MAX_LINE_LENGTH / (1024 * 1024)} MB a line may have`),
    progress: (bytes, total) => options.onProgress?.(bytes, total, builder.length),
    opened: (mtime) => {
      fileTime = mtime;
    },
  });

  if (csv !== undefined) {
    const last = csv.finish();
    if (last?.kind === "problem") problem(last.line, last.message);
    if (csv.unnamedColumns > 0) warnings.push(`${csv.unnamedColumns} column(s) of the header row have no name; their values were not kept`);
  }
  if (xml !== undefined) {
    const last = xml.finish();
    if (last?.kind === "problem") problem(last.line, last.message);
  }
  if (zeek !== undefined && zeek.dropped.size > 0) {
    warnings.push(`${zeek.dropped.size} #fields name(s) are empty; their values were not kept`);
  }
  if (result.truncated !== undefined) {
    const t = result.truncated;
    if (t.partialLineDropped) skipped++;
    const entry = { file, line: t.lineNo, message: t.message };
    if (problems.length < maxProblems) problems.push(entry);
    else if (maxProblems > 0) problems[maxProblems - 1] = entry;
  }

  if (builder.length === 0) {
    const first = problems[0];
    throw new IngestError(
      `${file}: no events (${skipped} line${skipped === 1 ? "" : "s"} skipped${first ? `; line ${first.line}: ${first.message}` : ""})`,
    );
  }
  if (untimed > 0) {
    warnings.push(
      `${untimed} event(s) without a parsable time in ${timeFields.map((f) => `'${f}'`).join(joined ? " and " : " or ")} took the previous event's time (the first ones, the file's modification time)`,
    );
  }
  for (const [name, count] of builder.reservedSeen) {
    if (name === "_time" && timeFields.includes("_time")) continue; // read as the time, as meant
    warnings.push(`field '${name}' of the data (in ${count} event(s)) was not kept: ${name} is set by the dataset, not by its events`);
  }

  const events = builder.finish({
    host: spec.host ?? hostname(),
    source: spec.source ?? resolve(file),
    sourcetype: spec.sourcetype,
    index: spec.index ?? "main",
  });
  return { events, problems, skipped, warnings };
}

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a) return false;
  }
  return true;
}

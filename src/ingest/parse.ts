/**
 * The reading of one file, or of one byte range of it, into an EventTableBuilder: what readDataset
 * does on its own thread for a small file, and each worker does for its part of a large one
 * (parallel.ts). Both go through here, so a part is read exactly as the same lines of the whole
 * file would be; what a part cannot know (the line number it starts at, the time of the event
 * before it) is returned for the caller to put right.
 */
import type { Scalar } from "../table/value.js";
import { isValidTimeZone } from "../time/zone.js";
import { EventTableBuilder, type FieldSlot } from "./columns.js";
import { CsvReader } from "./csv.js";
import { type FormatSettings, IngestError, type IngestProblem } from "./format.js";
import { cleanHeaderName } from "./header.js";
import { flattenJson } from "./json.js";
import { type ByteRange, MAX_LINE_LENGTH, readLines } from "./lines.js";
import { timeParser } from "./time.js";
import { flattenXmlEvent, XmlRecordSplitter } from "./xml.js";
import { ZeekTsvReader } from "./zeek.js";

const DEFAULT_TIME_FIELDS: Record<FormatSettings["kind"], readonly string[]> = {
  json: ["ts", "@timestamp", "timestamp"],
  tsv: ["ts"],
  csv: ["_time", "timestamp"],
  xml: ["SystemTime"],
};

/** The fields the time is read from, and whether their values are joined (TIMESTAMP_FIELDS with several fields). */
export function timeFieldsOf(format: FormatSettings): { fields: readonly string[]; joined: boolean } {
  // Header names of TSV and CSV are cleaned, so these are too.
  const clean = (f: string): string => (format.kind === "json" || format.kind === "xml" ? f.trim() : cleanHeaderName(f, format.headerSpecialCharacters));
  const named = format.timestampField?.split(",").map(clean).filter((f) => f !== "") ?? [];
  return named.length > 0 ? { fields: named, joined: named.length > 1 } : { fields: DEFAULT_TIME_FIELDS[format.kind], joined: false };
}

/** Settings that make the whole file unreadable, found before it is opened. */
export function checkFormat(file: string, format: FormatSettings): void {
  if (format.timeZone !== undefined && format.timeZone !== "" && !isValidTimeZone(format.timeZone)) {
    throw new IngestError(`${file}: unknown time zone '${format.timeZone}'`);
  }
}

export interface ParseOptions {
  /** Problems listed at most; all are counted in `skipped`. */
  maxProblems: number;
  /** Only these bytes of the file (uncompressed, starting at a line); line numbers count from its start. */
  range?: ByteRange;
  /** TSV: the header lines at the start of the file, read before the range's lines. */
  preamble?: readonly string[];
  onProgress?: (bytesRead: number, totalBytes: number, events: number) => void;
}

export interface ParsedFile {
  builder: EventTableBuilder;
  problems: IngestProblem[];
  skipped: number;
  /** Events without a time of their own; the first `leadingUntimed` of them came before any event with one. */
  untimed: number;
  leadingUntimed: number;
  /** Lines read (a range: the lines in it). */
  lines: number;
  /** Header names that cleaned to nothing (TSV #fields). */
  droppedNames: string[];
  /** CSV header columns without a name. */
  unnamedColumns: number;
  /** TSV: the header layout before the first line and after the last (see ZeekTsvReader.layout). */
  layout?: { start: string; end: string };
}

export async function parseFile(file: string, format: FormatSettings, options: ParseOptions): Promise<ParsedFile> {
  const { maxProblems } = options;
  const problems: IngestProblem[] = [];
  let skipped = 0;
  const problem = (line: number, message: string): void => {
    skipped++;
    if (problems.length < maxProblems) problems.push({ file, line, message });
  };

  checkFormat(file, format);
  const parseTime = timeParser(format.timeFormat, format.timeZone);
  const { fields: timeFields, joined } = timeFieldsOf(format);

  const builder = new EventTableBuilder();
  const timeSlots: FieldSlot[] = timeFields.map((f) => builder.slot(f));
  let lastTime: number | undefined;
  let fileTime = 0;
  let untimed = 0;
  let leadingUntimed = 0;
  let timedYet = false;

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
      if (!timedYet) leadingUntimed++;
      time = lastTime ?? fileTime;
    } else timedYet = true;
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

  // Header lines only set the reader's state: they make no event and no problem.
  if (zeek !== undefined && options.preamble !== undefined) for (const text of options.preamble) zeek.line(text);
  const startLayout = zeek?.layout();

  // The file's modification time is only known once it is opened; readLines reports it first thing.
  const onProgress = options.onProgress;
  const result = await readLines(
    file,
    {
      line: onLine,
      tooLong: (lineNo, bytes) => problem(lineNo, `a line of ${bytes} bytes is longer than the ${MAX_LINE_LENGTH / (1024 * 1024)} MB a line may have`),
      progress: onProgress === undefined ? undefined : (bytes, total) => onProgress(bytes, total, builder.length),
      opened: (mtime) => {
        fileTime = mtime;
      },
    },
    MAX_LINE_LENGTH,
    options.range,
  );

  if (csv !== undefined) {
    const last = csv.finish();
    if (last?.kind === "problem") problem(last.line, last.message);
  }
  if (xml !== undefined) {
    const last = xml.finish();
    if (last?.kind === "problem") problem(last.line, last.message);
  }
  if (result.truncated !== undefined) {
    const t = result.truncated;
    if (t.partialLineDropped) skipped++;
    const entry = { file, line: t.lineNo, message: t.message };
    if (problems.length < maxProblems) problems.push(entry);
    else if (maxProblems > 0) problems[maxProblems - 1] = entry;
  }
  return {
    builder,
    problems,
    skipped,
    untimed,
    leadingUntimed,
    lines: result.lines,
    droppedNames: zeek === undefined ? [] : [...zeek.dropped],
    unnamedColumns: csv?.unnamedColumns ?? 0,
    ...(zeek === undefined ? {} : { layout: { start: startLayout!, end: zeek.layout() } }),
  };
}

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a) return false;
  }
  return true;
}

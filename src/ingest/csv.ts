/**
 * CSV as RFC 4180 writes it: comma-separated, a field in double quotes may hold commas, line breaks
 * and doubled quotes (""), the first record is the header. A record may span lines only inside
 * quotes, and then only up to MAX_CSV_RECORD characters (a missing closing quote must not swallow
 * the rest of the file). A quote inside an unquoted field is kept as an ordinary character; text
 * after a closing quote other than the next comma is an error. Blank lines are ignored, empty values
 * are absent. Header names are cleaned as Splunk cleans them (header.ts).
 */
import type { EventTableBuilder, FieldSlot } from "./columns.js";
import { cleanHeaderName } from "./header.js";

export const MAX_CSV_RECORD = 1024 * 1024;

export type CsvOutcome =
  | { kind: "pending" }
  | { kind: "none" }
  | { kind: "event"; raw: string; line: number }
  | { kind: "problem"; message: string; line: number };

const PENDING: CsvOutcome = { kind: "pending" };

/** Whether a line (or the rest of a record) ends inside a quoted field. */
function endsInQuotes(text: string, startInQuotes: boolean): boolean {
  let inQuotes = startInQuotes;
  let fieldStart = !startInQuotes;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inQuotes) {
      if (c === 0x22) {
        if (text.charCodeAt(i + 1) === 0x22) i++;
        else inQuotes = false;
      }
    } else if (c === 0x2c) fieldStart = true;
    else {
      if (fieldStart && c === 0x22) inQuotes = true;
      fieldStart = false;
    }
  }
  return inQuotes;
}

/** The fields of one complete record, or a message saying what is wrong with it. */
export function splitCsvRecord(text: string): string[] | string {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (text.charCodeAt(i) === 0x22) {
      let value = "";
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) return "the record ends inside a quoted value";
        value += text.slice(j, q);
        if (text.charCodeAt(q + 1) === 0x22) {
          value += '"';
          j = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      out.push(value);
      if (i >= text.length) return out;
      if (text.charCodeAt(i) !== 0x2c) return `unexpected ${JSON.stringify(text[i])} after a closing quote (column ${i + 1})`;
      i++;
    } else {
      const comma = text.indexOf(",", i);
      if (comma < 0) {
        out.push(text.slice(i));
        return out;
      }
      out.push(text.slice(i, comma));
      i = comma + 1;
    }
  }
}

export class CsvReader {
  private header: FieldSlot[] | undefined;
  private pending: string | undefined;
  private pendingLine = 0;
  /** Header columns without a name, whose values are not kept. */
  unnamedColumns = 0;

  constructor(
    private readonly row: EventTableBuilder,
    private readonly acceptable = "",
  ) {}

  /** Feeds one line; a complete record is read into the builder's current row. */
  line(text: string, lineNo: number): CsvOutcome {
    let record: string;
    let startLine: number;
    if (this.pending !== undefined) {
      record = `${this.pending}\n${text}`;
      startLine = this.pendingLine;
      if (endsInQuotes(text, true)) {
        if (record.length > MAX_CSV_RECORD) {
          this.pending = undefined;
          return {
            kind: "problem",
            line: startLine,
            message: `a quoted value runs on for more than ${MAX_CSV_RECORD / (1024 * 1024)} MB (a missing closing quote?); the record was skipped`,
          };
        }
        this.pending = record;
        return PENDING;
      }
      this.pending = undefined;
    } else {
      if (text.trim().length === 0) return { kind: "none" };
      record = text;
      startLine = lineNo;
      if (endsInQuotes(text, false)) {
        this.pending = text;
        this.pendingLine = lineNo;
        return PENDING;
      }
    }
    return this.record(record, startLine);
  }

  /** At the end of the file: a record still open is a problem. */
  finish(): CsvOutcome | undefined {
    if (this.pending === undefined) return undefined;
    const line = this.pendingLine;
    this.pending = undefined;
    return { kind: "problem", line, message: "the file ends inside a quoted value (a missing closing quote?)" };
  }

  private record(text: string, line: number): CsvOutcome {
    const values = splitCsvRecord(text);
    if (typeof values === "string") return { kind: "problem", line, message: values };
    if (this.header === undefined) {
      const names = values.map((v) => cleanHeaderName(v, this.acceptable));
      this.unnamedColumns = names.filter((h) => h === "").length;
      this.header = names.map((name) => this.row.slot(name));
      return { kind: "none" };
    }
    const header = this.header;
    if (values.length !== header.length) {
      return { kind: "problem", line, message: `${values.length} values, but the header row has ${header.length} fields` };
    }
    for (let i = 0; i < values.length; i++) {
      const value = values[i]!;
      if (value !== "") this.row.add(header[i]!, value);
    }
    return { kind: "event", raw: text, line };
  }
}

/**
 * A part of a file read on a worker thread, as it is posted back: its columns as plain data whose
 * typed arrays and buffers are transferred (moved to the reading thread, not copied), and what the
 * read found besides (problems with line numbers counted from the part's first line, untimed
 * events, reserved fields, the TSV header layout).
 */
import { ArrayColumn, type Codes, type Column, DictColumn, NumberColumn, Utf8Column } from "../table/table.js";
import type { Value } from "../table/value.js";
import type { FormatSettings, IngestProblem } from "./format.js";
import type { ByteRange } from "./lines.js";

/** The columns every event has (see EventTableBuilder.finish): made once for the joined table, not sent. */
export const EVENT_COLUMNS: ReadonlySet<string> = new Set(["_time", "_raw", "host", "source", "sourcetype", "index"]);

/** What a worker is given (its workerData). */
export interface PartRequest {
  file: string;
  format: FormatSettings;
  range: ByteRange;
  maxProblems: number;
  preamble?: string[];
  /** The module to run, when the worker starts from the TypeScript sources (see worker-tsx.mjs). */
  entry?: string;
}

export type EncodedColumn =
  | { kind: "dict"; codes: Codes; dict: Value[] }
  | { kind: "number"; values: Float64Array }
  | { kind: "array"; values: Value[] }
  | { kind: "utf8"; chunks: Uint8Array[]; chunkOf: Uint32Array; offsets: Uint32Array; lengths: Uint32Array; others: Map<number, string> | undefined };

export interface PartResult {
  rows: number;
  lines: number;
  problems: IngestProblem[];
  skipped: number;
  untimed: number;
  leadingUntimed: number;
  reservedSeen: Array<[string, number]>;
  droppedNames: string[];
  layout?: { start: string; end: string };
  time: Float64Array;
  raw: EncodedColumn;
  fields: Array<[string, EncodedColumn]>;
}

export type WorkerMessage =
  | { type: "progress"; bytes: number; events: number }
  | { type: "done"; part: PartResult }
  | { type: "error"; message: string; ingest: boolean };

/**
 * The column as plain data; the buffers it holds are added to `transfer`. A typed array that is a
 * small view of a larger buffer (Node's shared pool of small Buffers) is copied instead: moving the
 * buffer would move what else lives in it.
 */
export function encodeColumn(column: Column, transfer: Set<ArrayBuffer>): EncodedColumn {
  if (column instanceof DictColumn) return { kind: "dict", codes: movable(column.codes, transfer), dict: column.dict as Value[] };
  if (column instanceof NumberColumn) return { kind: "number", values: movable(column.values, transfer) };
  if (column instanceof Utf8Column) {
    return {
      kind: "utf8",
      chunks: column.chunks.map((c) => movable(c as Uint8Array, transfer)),
      chunkOf: movable(column.chunkOf, transfer),
      offsets: movable(column.offsets, transfer),
      lengths: movable(column.lengths, transfer),
      others: column.others === undefined ? undefined : new Map(column.others),
    };
  }
  if (column instanceof ArrayColumn) return { kind: "array", values: column.values as Value[] };
  const values = new Array<Value>(column.length);
  for (let i = 0; i < column.length; i++) values[i] = column.get(i);
  return { kind: "array", values };
}

function movable<T extends Uint8Array | Int8Array | Int16Array | Int32Array | Uint32Array | Float64Array>(a: T, transfer: Set<ArrayBuffer>): T {
  const buffer = a.buffer as ArrayBuffer;
  if (transfer.has(buffer)) return a;
  if (a.byteLength * 2 < buffer.byteLength) {
    // A Buffer's own constructor is the deprecated Buffer(n): its bytes are copied as a Uint8Array.
    const copy = new ((a instanceof Buffer ? Uint8Array : a.constructor) as new (n: number) => T)(a.length);
    copy.set(a as ArrayLike<number> & T);
    transfer.add(copy.buffer as ArrayBuffer);
    return copy;
  }
  transfer.add(buffer);
  return a;
}

/** The column again, on the receiving thread. */
export function decodeColumn(encoded: EncodedColumn): Column {
  switch (encoded.kind) {
    case "dict":
      return new DictColumn(encoded.codes, freezeArrays(encoded.dict));
    case "number":
      return new NumberColumn(encoded.values);
    case "array":
      return new ArrayColumn(freezeArrays(encoded.values));
    case "utf8":
      return new Utf8Column(
        // Posted Buffers arrive as plain Uint8Arrays: Buffers again over the same bytes.
        encoded.chunks.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength)),
        encoded.chunkOf,
        encoded.offsets,
        encoded.lengths,
        encoded.others,
      );
  }
}

/** Multivalues are frozen where they are made (DictionaryBuilder, ColumnBuilder); a copy posted across is not. */
function freezeArrays(values: Value[]): Value[] {
  for (const v of values) if (Array.isArray(v)) Object.freeze(v);
  return values;
}

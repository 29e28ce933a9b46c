/**
 * Dictionary coding of columns (DictColumn): each distinct value stored once, rows holding codes.
 * Searches over a DictColumn test each distinct value once (search/match.ts), which is why
 * search-time fields and data model summaries are stored this way.
 *
 * The work here is done per distinct value wherever it can be: a dictionary-coded column is
 * recoded value by value (and shared as it is when nothing changes), and a computed column is
 * evaluated once per distinct combination of the dictionary-coded values it reads (table/memo.ts).
 */
import { ColumnBuilder } from "../table/builder.js";
import { ArrayColumn, type Codes, type Column, DictColumn, narrowCodes, NumberColumn, type Table, TakeColumn } from "../table/table.js";
import { DictionaryBuilder } from "../table/dictionary.js";
import { type Evaluated, evaluateByCodes } from "../table/memo.js";
import { scalarNumber, type Scalar, type Value } from "../table/value.js";

/** Values computed row by row, dictionary-coded (or plain when they are mostly distinct: see ColumnBuilder). */
export function encodeValues(values: readonly Value[]): Column {
  const builder = new ColumnBuilder(values.length);
  for (let row = 0; row < values.length; row++) builder.setShared(row, values[row] ?? null);
  return builder.finish(values.length);
}

/**
 * Code arrays that many columns of one table can share: all null, or all the first (only) value.
 * A summary has dozens of columns that are one or the other; each costs nothing per row this way.
 */
export class SharedCodes {
  private nulls: Int8Array | undefined;
  private zeros: Int8Array | undefined;
  constructor(readonly length: number) {}

  /** `codes` itself, or the shared array with the same contents. */
  share(codes: Codes): Codes {
    if (codes.length !== this.length || codes.length === 0) return codes;
    const first = codes[0]!;
    if (first !== -1 && first !== 0) return codes;
    for (let i = 1; i < codes.length; i++) if (codes[i] !== first) return codes;
    return this.constant(first === -1);
  }

  /** The shared codes of a column all null, or all its first value. */
  constant(nulls: boolean): Int8Array {
    if (nulls) return (this.nulls ??= new Int8Array(this.length).fill(-1));
    return (this.zeros ??= new Int8Array(this.length));
  }
}

/** Interning of values as encode has always done it: numbers and strings by value, multivalues by their JSON text (the same array once). */
class ValueCoder {
  readonly dictionary = new DictionaryBuilder();
  private readonly arrays = new Map<readonly Scalar[], number>();

  code(v: Value): number {
    if (v === null) return -1;
    if (typeof v === "string") return this.dictionary.code(v);
    if (typeof v === "number") return this.dictionary.codeOfNumber(v);
    // A multivalue: the same array object (shared by rows) is looked up once.
    let code = this.arrays.get(v);
    if (code === undefined) this.arrays.set(v, (code = this.dictionary.codeOfMulti(v, false)));
    return code;
  }
}

/**
 * A column as a summary holds it (numbers coerced for number fields): a missing column is all null
 * (a DictColumn); a dictionary-coded source (what ingest builds) is recoded distinct value by
 * distinct value into a DictColumn, or taken as it is when no value changes and no rows are picked
 * out of it; so is a plain column (NumberColumn, ArrayColumn: values mostly distinct) when no value
 * changes. Other columns are built row by row (ColumnBuilder: dictionary-coded unless mostly distinct).
 */
export function encode(column: Column | undefined, length: number, numeric: boolean, shared?: SharedCodes): Column {
  const dictionary = (codes: Codes, dict: readonly Value[]): DictColumn => new DictColumn(shared ? shared.share(codes) : codes, dict);
  if (!column) return dictionary(new Int8Array(length).fill(-1), []);
  const source = dictionarySource(column);
  if (source) {
    if (!source.rows && source.codes.length === length && (!numeric || source.dict.every((v) => toNumeric(v) === v))) return dictionary(source.codes, source.dict);
    const coder = new ValueCoder();
    const codes = new Int32Array(length);
    const remap = new Int32Array(source.dict.length).fill(-2);
    const { rows } = source;
    for (let row = 0; row < length; row++) {
      const c = source.codes[rows ? rows[row]! : row] ?? -1;
      if (c < 0) {
        codes[row] = -1;
        continue;
      }
      let code = remap[c]!;
      if (code === -2) {
        const v = source.dict[c] ?? null;
        remap[c] = code = coder.code(v !== null && numeric ? toNumeric(v) : v);
      }
      codes[row] = code;
    }
    return dictionary(narrowCodes(codes, coder.dictionary.size), coder.dictionary.values);
  }
  if (column.length === length && (column instanceof NumberColumn || (column instanceof ArrayColumn && !numeric))) return column;
  const builder = new ColumnBuilder(length);
  for (let row = 0; row < length; row++) {
    const v = column.get(row);
    builder.setShared(row, v !== null && numeric ? toNumeric(v) : v);
  }
  const built = builder.finish(length);
  return built instanceof DictColumn ? dictionary(built.codes, built.dict) : built;
}

/** The codes and dictionary behind a DictColumn, directly or through one TakeColumn. */
export function dictionarySource(column: Column): { codes: Codes; dict: readonly Value[]; rows?: Uint32Array } | undefined {
  if (column instanceof DictColumn) return { codes: column.codes, dict: column.dict };
  if (column instanceof TakeColumn && column.base instanceof DictColumn) return { codes: column.base.codes, dict: column.base.dict, rows: column.rows };
  return undefined;
}

function toNumeric(v: Value): Value {
  if (typeof v === "string") return scalarNumber(v) ?? v;
  if (Array.isArray(v)) return v.map((s: Scalar) => (typeof s === "string" ? (scalarNumber(s) ?? s) : s));
  return v;
}

/**
 * A column computed from `table` (a calculated field, an EVAL-), dictionary-coded, evaluated once
 * per distinct combination of the dictionary-coded values it reads (evaluateByCodes: the
 * computation must be deterministic). When every row's result is the value of the column it reads
 * first, that column itself (or its codes) is the result.
 */
export function encodeComputed(table: Table, compile: (view: Table) => (row: number) => Value, shared?: SharedCodes): Column {
  const evaluated = evaluateByCodes(table, compile);
  const length = table.length;
  const first = evaluated.readFirst;
  if (first !== undefined && first.length === length && isIdentity(evaluated)) {
    if (first instanceof DictColumn) return new DictColumn(shared ? shared.share(first.codes) : first.codes, first.dict);
    if (first instanceof NumberColumn || first instanceof ArrayColumn) return first;
  }
  return encodeEvaluated(evaluated, length, shared);
}

/** Whether every row's result is the value in that row of the column every evaluation read first. */
function isIdentity(evaluated: Evaluated<Value>): boolean {
  const { ids, results, byFirstCode, readFirst: column } = evaluated;
  if (column instanceof DictColumn && byFirstCode !== undefined) {
    // Decided by this column's code alone: one comparison per code.
    for (let slot = 0; slot < byFirstCode.length; slot++) {
      const id = byFirstCode[slot]!;
      if (id >= 0 && results[id] !== (slot === 0 ? null : column.dict[slot - 1])) return false;
    }
    return true;
  }
  if (column instanceof DictColumn) {
    const { codes, dict } = column;
    for (let row = 0; row < ids.length; row++) {
      const c = codes[row]!;
      if (results[ids[row]!] !== (c < 0 ? null : dict[c])) return false;
    }
    return true;
  }
  if (!(column instanceof NumberColumn || column instanceof ArrayColumn)) return false;
  for (let row = 0; row < ids.length; row++) if (results[ids[row]!] !== column.get(row)) return false;
  return true;
}

/**
 * Results of evaluateByCodes as a column: each distinct result coded once when they are few; row
 * by row (ColumnBuilder: plain when mostly distinct) when most rows were evaluated on their own.
 */
export function encodeEvaluated(evaluated: Evaluated<Value>, length: number, shared?: SharedCodes): Column {
  const { ids, results } = evaluated;
  if (results.length * 4 > length && results.length > 4096) {
    const builder = new ColumnBuilder(length);
    for (let row = 0; row < length; row++) builder.setShared(row, results[ids[row]!] ?? null);
    const built = builder.finish(length);
    return built instanceof DictColumn && shared ? new DictColumn(shared.share(built.codes), built.dict) : built;
  }
  const coder = new ValueCoder();
  const codeOf = new Int32Array(results.length);
  for (let id = 0; id < results.length; id++) codeOf[id] = coder.code(results[id] ?? null);
  if (shared && length === shared.length && length > 0 && codeOf.every((c) => c === codeOf[0]) && (codeOf[0] === -1 || codeOf[0] === 0)) {
    // One value (or none) in every row: the shared codes, without a pass over the rows.
    return new DictColumn(shared.constant(codeOf[0] === -1), coder.dictionary.values);
  }
  const codes = new Int32Array(length);
  for (let row = 0; row < length; row++) codes[row] = codeOf[ids[row]!]!;
  const narrow = narrowCodes(codes, coder.dictionary.size);
  return new DictColumn(shared ? shared.share(narrow) : narrow, coder.dictionary.values);
}

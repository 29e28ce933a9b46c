/**
 * Columns of tables read apart (the parts of a file read in parallel) joined into one real column
 * each, as if the rows had been read into one table: dictionaries merged into one (values told
 * apart as DictionaryBuilder tells them apart: 1 and "1" are two), numbers, value arrays and UTF-8
 * text concatenated. Table.concat joins tables lazily through views; what is joined here is read
 * by every search and by code that takes DictColumn codes directly, so it is copied once instead.
 *
 * The rule of ColumnBuilder holds for the result: a column whose values are mostly distinct is
 * plain (NumberColumn, ArrayColumn), not dictionary-coded; a part read plain makes the column plain.
 */
import { DictionaryBuilder, hashText } from "./dictionary.js";
import { ArrayColumn, type Codes, type Column, DictColumn, NumberColumn, Utf8Column } from "./table.js";
import type { Scalar, Value } from "./value.js";

/** As ColumnBuilder: dictionaries this small stay dictionaries whatever the row count. */
const SMALL_DICTIONARY = 1 << 12;

/** The parts of one column, one after another; a part without the column (undefined) is null in its rows. */
export function concatColumns(parts: ReadonlyArray<Column | undefined>, lengths: readonly number[]): Column {
  let total = 0;
  for (const n of lengths) total += n;
  const present = parts.filter((p): p is Column => p !== undefined);
  if (present.length > 0 && present.every((p) => p instanceof Utf8Column)) return concatUtf8(parts as ReadonlyArray<Utf8Column | undefined>, lengths, total);
  if (present.every((p) => p instanceof DictColumn)) return concatDicts(parts as ReadonlyArray<DictColumn | undefined>, lengths, total);
  if (present.every((p) => p instanceof NumberColumn || (p instanceof DictColumn && onlyNumbers(p.dict)))) {
    const values = new Float64Array(total).fill(NaN);
    let offset = 0;
    for (let k = 0; k < parts.length; k++) {
      const part = parts[k];
      if (part instanceof NumberColumn) values.set(part.values, offset);
      else if (part instanceof DictColumn) decodeNumbers(part, values, offset);
      offset += lengths[k]!;
    }
    return new NumberColumn(values);
  }
  if (parts.every((p, k) => p instanceof ArrayColumn && p.values.length === lengths[k])) {
    // Copied natively: values of ids and the like, a million of them on a large file.
    return new ArrayColumn(([] as Value[]).concat(...parts.map((p) => (p as ArrayColumn).values)));
  }
  const values = new Array<Value>(total);
  let offset = 0;
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k];
    const n = lengths[k]!;
    if (part instanceof ArrayColumn) for (let i = 0; i < n; i++) values[offset + i] = part.values[i] ?? null;
    else if (part === undefined) values.fill(null, offset, offset + n);
    else for (let i = 0; i < n; i++) values[offset + i] = part.get(i);
    offset += n;
  }
  return new ArrayColumn(values);
}

/** Whether a dictionary holds only numbers a NumberColumn can hold (not NaN: that is its null). */
function onlyNumbers(dict: readonly Value[]): boolean {
  for (const v of dict) if (typeof v !== "number" || v !== v) return false;
  return true;
}

function decodeNumbers(column: DictColumn, out: Float64Array, offset: number): void {
  const { codes, dict } = column;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (c >= 0) out[offset + i] = dict[c] as number;
  }
}

function concatDicts(parts: ReadonlyArray<DictColumn | undefined>, lengths: readonly number[], total: number): Column {
  const merged = new DictionaryBuilder();
  let nonNumbers = 0;
  // remaps[k][code of part k] = code in the merged dictionary.
  const remaps = parts.map((part) => {
    if (part === undefined) return undefined;
    const remap = new Int32Array(part.dict.length);
    for (let c = 0; c < part.dict.length; c++) {
      const v = part.dict[c]!;
      const size = merged.size;
      let code: number;
      if (typeof v === "string") code = merged.codeOfText(v, 0, v.length, hashText(v, 0, v.length));
      else if (typeof v === "number") code = merged.codeOfNumber(v);
      else if (v !== null && v.length > 1) code = merged.codeOfMulti(v, false);
      else code = merged.code(v as Scalar | readonly Scalar[]);
      if (code === size && (typeof v !== "number" || v !== v)) nonNumbers++;
      remap[c] = code;
    }
    return remap;
  });
  const dict = merged.values;
  if (dict.length > SMALL_DICTIONARY && dict.length * (nonNumbers === 0 ? 8 : 2) > total) {
    // Mostly distinct: plain, as ColumnBuilder makes such a column.
    if (nonNumbers === 0) {
      const values = new Float64Array(total).fill(NaN);
      let offset = 0;
      for (let k = 0; k < parts.length; k++) {
        if (parts[k] !== undefined) decodeNumbers(parts[k]!, values, offset);
        offset += lengths[k]!;
      }
      return new NumberColumn(values);
    }
    const values = new Array<Value>(total);
    let offset = 0;
    for (let k = 0; k < parts.length; k++) {
      const part = parts[k];
      const n = lengths[k]!;
      if (part === undefined) values.fill(null, offset, offset + n);
      else for (let i = 0; i < n; i++) values[offset + i] = part.get(i);
      offset += n;
    }
    return new ArrayColumn(values);
  }
  // Codes written straight into the narrowest array the merged dictionary fits (see narrowCodes).
  const codes: Codes = dict.length <= 0x7f ? new Int8Array(total) : dict.length <= 0x7fff ? new Int16Array(total) : new Int32Array(total);
  let offset = 0;
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k];
    const n = lengths[k]!;
    if (part === undefined) codes.fill(-1, offset, offset + n);
    else if (isIdentity(remaps[k]!)) codes.set(part.codes.subarray(0, n), offset);
    else {
      const remap = remaps[k]!;
      const from = part.codes;
      for (let i = 0; i < n; i++) {
        const c = from[i]!;
        codes[offset + i] = c < 0 ? -1 : remap[c]!;
      }
    }
    offset += n;
  }
  return new DictColumn(codes, dict);
}

/** The first part's codes, and often a later part's, stay as they are: copied natively. */
function isIdentity(remap: Int32Array): boolean {
  for (let c = 0; c < remap.length; c++) if (remap[c] !== c) return false;
  return true;
}

function concatUtf8(parts: ReadonlyArray<Utf8Column | undefined>, lengths: readonly number[], total: number): Utf8Column {
  const chunks: Buffer[] = [];
  const chunkOf = new Uint32Array(total);
  const offsets = new Uint32Array(total);
  const sizes = new Uint32Array(total);
  let others: Map<number, string> | undefined;
  let offset = 0;
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k];
    const n = lengths[k]!;
    if (part === undefined) {
      // No such chunk: null (see Utf8Column.get).
      chunkOf.fill(0xffffffff, offset, offset + n);
    } else {
      const base = chunks.length;
      chunks.push(...part.chunks);
      const from = part.chunkOf;
      for (let i = 0; i < n; i++) chunkOf[offset + i] = from[i]! + base;
      offsets.set(part.offsets.subarray(0, n), offset);
      sizes.set(part.lengths.subarray(0, n), offset);
      if (part.others !== undefined) for (const [row, text] of part.others) (others ??= new Map()).set(row + offset, text);
    }
    offset += n;
  }
  return new Utf8Column(chunks, chunkOf, offsets, sizes, others);
}

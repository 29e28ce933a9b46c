/**
 * Dictionary coding of columns (DictColumn): each distinct value stored once, rows holding codes.
 * Searches over a DictColumn test each distinct value once (search/match.ts), which is why
 * search-time fields and data model summaries are stored this way.
 */
import { ArrayColumn, type Column, DictColumn, TakeColumn } from "../table/table.js";
import { scalarNumber, type Scalar, type Value } from "../table/value.js";

/** Values computed row by row, dictionary-coded. */
export function encodeValues(values: readonly Value[]): DictColumn {
  return encode(new ArrayColumn(values), values.length, false);
}

/**
 * A column as a DictColumn (numbers coerced for number fields); a missing column is all null.
 * A dictionary-coded source (what ingest builds) is recoded distinct value by distinct value.
 */
export function encode(column: Column | undefined, length: number, numeric: boolean): DictColumn {
  const codes = new Int32Array(length).fill(-1);
  const dict: Value[] = [];
  if (!column) return new DictColumn(codes, dict);
  const strings = new Map<string, number>();
  const numbers = new Map<number, number>();
  const others = new Map<string, number>();
  const arrays = new Map<readonly Scalar[], number>();
  const codeOf = (raw: Value): number => {
    const v = raw !== null && numeric ? toNumeric(raw) : raw;
    if (v === null) return -1;
    if (typeof v === "object") {
      // A multivalue: the same array object (shared by rows) is looked up once.
      let code = arrays.get(v);
      if (code === undefined) {
        const key = JSON.stringify(v);
        code = others.get(key);
        if (code === undefined) others.set(key, (code = dict.push(v) - 1));
        arrays.set(v, code);
      }
      return code;
    }
    const map = (typeof v === "string" ? strings : numbers) as Map<string | number, number>;
    let code = map.get(v);
    if (code === undefined) map.set(v, (code = dict.push(v) - 1));
    return code;
  };
  const source = dictionarySource(column);
  if (source) {
    const remap = new Int32Array(source.dict.length).fill(-2);
    for (let row = 0; row < length; row++) {
      const c = source.codes[source.rows ? source.rows[row]! : row] ?? -1;
      if (c < 0) continue;
      let code = remap[c]!;
      if (code === -2) remap[c] = code = codeOf(source.dict[c] ?? null);
      codes[row] = code;
    }
  } else {
    for (let row = 0; row < length; row++) codes[row] = codeOf(column.get(row));
  }
  return new DictColumn(codes, dict);
}

/** The codes and dictionary behind a DictColumn, directly or through one TakeColumn. */
function dictionarySource(column: Column): { codes: Int32Array; dict: readonly Value[]; rows?: Uint32Array } | undefined {
  if (column instanceof DictColumn) return { codes: column.codes, dict: column.dict };
  if (column instanceof TakeColumn && column.base instanceof DictColumn) return { codes: column.base.codes, dict: column.base.dict, rows: column.rows };
  return undefined;
}

function toNumeric(v: Value): Value {
  if (typeof v === "string") return scalarNumber(v) ?? v;
  if (Array.isArray(v)) return v.map((s: Scalar) => (typeof s === "string" ? (scalarNumber(s) ?? s) : s));
  return v;
}

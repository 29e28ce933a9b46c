/**
 * Columnar tables: what every command takes and returns. A table is a row count and named columns;
 * a column answers `get(row)`. Selections and renames make views, not copies, so a filter over a
 * million events allocates one index array, not a million row objects (the Arquero model).
 */
import type { Value } from "./value.js";

export interface Column {
  readonly length: number;
  get(row: number): Value;
}

/** Values held as they are. */
export class ArrayColumn implements Column {
  constructor(readonly values: readonly Value[]) {}
  get length(): number {
    return this.values.length;
  }
  get(row: number): Value {
    return this.values[row] ?? null;
  }
}

/**
 * The codes of a dictionary-coded column: the narrowest signed integer array its dictionary fits
 * (-1 = null). Codes are never written after the column is made, so columns may share them.
 */
export type Codes = Int8Array | Int16Array | Int32Array;

/** `codes` in the narrowest array for a dictionary of `size` values (the same array when it is already that one). */
export function narrowCodes(codes: Codes, size: number): Codes {
  if (size <= 0x7f) return codes instanceof Int8Array ? codes : new Int8Array(codes);
  if (size <= 0x7fff) return codes instanceof Int16Array ? codes : new Int16Array(codes);
  return codes instanceof Int32Array ? codes : new Int32Array(codes);
}

/**
 * An inverted index of a dictionary-coded column (as Splunk's tsidx holds one per field): the rows
 * of each code, ascending, as `rows[starts[code]]` up to `rows[starts[code + 1]]`; and, for columns
 * of addresses, each code's IPv4 address as an unsigned 32-bit integer (`ipv4Valid[code]` = 1; other
 * values, IPv6 or not addresses at all, 0).
 */
export interface DictIndex {
  readonly starts: Int32Array;
  readonly rows: Uint32Array;
  readonly ipv4?: Uint32Array;
  readonly ipv4Valid?: Uint8Array;
}

/**
 * An inverted index built the first time a search asks for it, once for every column sharing it: a
 * summary has dozens of columns, and a search's WHERE clause reads a few of them.
 */
export class LazyIndex {
  private built: DictIndex | undefined;
  private done = false;
  constructor(private readonly build: () => DictIndex | undefined) {}
  get(): DictIndex | undefined {
    if (!this.done) {
      this.built = this.build();
      this.done = true;
    }
    return this.built;
  }
}

/** Dictionary-coded values: each row holds the index of its value in `dict`, or -1 for null. */
export class DictColumn implements Column {
  constructor(
    readonly codes: Codes,
    readonly dict: readonly Value[],
    /** The column's inverted index, or what builds it (data model summaries have one). */
    readonly indexSource?: DictIndex | LazyIndex,
  ) {}
  /** The inverted index, when the column has one. */
  get index(): DictIndex | undefined {
    const source = this.indexSource;
    return source instanceof LazyIndex ? source.get() : source;
  }
  get length(): number {
    return this.codes.length;
  }
  get(row: number): Value {
    const code = this.codes[row] ?? -1;
    return code < 0 ? null : (this.dict[code] ?? null);
  }
}

/** Numbers, NaN standing for null (used for _time). */
export class NumberColumn implements Column {
  constructor(readonly values: Float64Array) {}
  get length(): number {
    return this.values.length;
  }
  get(row: number): Value {
    const v = this.values[row];
    return v === undefined || Number.isNaN(v) ? null : v;
  }
}

/**
 * Text kept as UTF-8 bytes in large buffers, decoded when read: the events' `_raw`. Millions of
 * strings of a few hundred bytes each would be millions of objects for the garbage collector to
 * copy and to visit, for a column few searches read; bytes in a few buffers are none.
 * Row r is bytes [offsets[r], offsets[r] + lengths[r]) of chunks[chunkOf[r]], or, for text UTF-8
 * cannot hold as it is (a lone surrogate), `others.get(r)`.
 */
export class Utf8Column implements Column {
  constructor(
    readonly chunks: readonly Buffer[],
    readonly chunkOf: Uint32Array,
    readonly offsets: Uint32Array,
    readonly lengths: Uint32Array,
    readonly others?: ReadonlyMap<number, string>,
  ) {}
  get length(): number {
    return this.lengths.length;
  }
  get(row: number): Value {
    if (this.others !== undefined) {
      const other = this.others.get(row);
      if (other !== undefined) return other;
    }
    const chunk = this.chunks[this.chunkOf[row] ?? -1];
    if (chunk === undefined) return null;
    const start = this.offsets[row]!;
    return chunk.toString("utf8", start, start + this.lengths[row]!);
  }
  /** The same text, rows `rows` (copied). */
  gather(rows: Uint32Array): Utf8Column {
    const pick = (a: Uint32Array): Uint32Array => {
      const out = new Uint32Array(rows.length);
      for (let i = 0; i < rows.length; i++) out[i] = a[rows[i]!]!;
      return out;
    };
    let others: Map<number, string> | undefined;
    if (this.others) for (let i = 0; i < rows.length; i++) if (this.others.has(rows[i]!)) (others ??= new Map()).set(i, this.others.get(rows[i]!)!);
    return new Utf8Column(this.chunks, pick(this.chunkOf), pick(this.offsets), pick(this.lengths), others);
  }
  reversed(): Utf8Column {
    const n = this.length;
    return this.others ? this.gather(Uint32Array.from({ length: n }, (_, i) => n - 1 - i)) : new Utf8Column(this.chunks, this.chunkOf.slice().reverse(), this.offsets.slice().reverse(), this.lengths.slice().reverse());
  }
}

/** The same value in every row. */
export class ConstantColumn implements Column {
  constructor(
    readonly length: number,
    readonly value: Value,
  ) {}
  get(): Value {
    return this.value;
  }
}

/** Rows `rows` of another column, in that order. */
export class TakeColumn implements Column {
  constructor(
    readonly base: Column,
    readonly rows: Uint32Array,
  ) {}
  get length(): number {
    return this.rows.length;
  }
  get(row: number): Value {
    const r = this.rows[row];
    return r === undefined ? null : this.base.get(r);
  }
}

/** Columns of several tables one after another; a part without the column gives null. */
export class ConcatColumn implements Column {
  private readonly starts: number[];
  readonly length: number;
  constructor(private readonly parts: ReadonlyArray<{ column: Column | undefined; length: number }>) {
    this.starts = [];
    let start = 0;
    for (const p of parts) {
      this.starts.push(start);
      start += p.length;
    }
    this.length = start;
  }
  get(row: number): Value {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= row) lo = mid;
      else hi = mid - 1;
    }
    const part = this.parts[lo];
    return part?.column ? part.column.get(row - this.starts[lo]!) : null;
  }
}

/** Rows `rows` of a column, copied (see Table.gather). */
function gatherColumn(column: Column, rows: Uint32Array): Column {
  const n = rows.length;
  if (column instanceof DictColumn) {
    const codes = new (column.codes.constructor as new (n: number) => Codes)(n);
    for (let i = 0; i < n; i++) codes[i] = column.codes[rows[i]!]!;
    return new DictColumn(codes, column.dict);
  }
  if (column instanceof NumberColumn) {
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = column.values[rows[i]!]!;
    return new NumberColumn(values);
  }
  if (column instanceof ArrayColumn) {
    const values = new Array<Value>(n);
    for (let i = 0; i < n; i++) values[i] = column.values[rows[i]!] ?? null;
    return new ArrayColumn(values);
  }
  if (column instanceof ConstantColumn) return new ConstantColumn(n, column.value);
  if (column instanceof Utf8Column) return column.gather(rows);
  return new TakeColumn(column, rows);
}

export class Table {
  private readonly columns: ReadonlyMap<string, Column>;

  constructor(
    readonly length: number,
    columns: ReadonlyMap<string, Column> | Iterable<[string, Column]>,
    /** Field order for display; defaults to insertion order. */
  ) {
    this.columns = columns instanceof Map ? columns : new Map(columns);
  }

  static empty(): Table {
    return new Table(0, new Map());
  }

  /** A table from row objects (small results: makeresults, stats output, tests). */
  static fromRows(rows: ReadonlyArray<Readonly<Record<string, Value>>>, order?: readonly string[]): Table {
    const names = order ? [...order] : [];
    const seen = new Set(names);
    for (const row of rows) for (const k of Object.keys(row)) if (!seen.has(k)) (seen.add(k), names.push(k));
    return new Table(
      rows.length,
      names.map((name) => [name, new ArrayColumn(rows.map((r) => r[name] ?? null))] as [string, Column]),
    );
  }

  /** Field names in display order. */
  fields(): string[] {
    return [...this.columns.keys()];
  }

  has(field: string): boolean {
    return this.columns.has(field);
  }

  column(field: string): Column | undefined {
    return this.columns.get(field);
  }

  get(row: number, field: string): Value {
    return this.columns.get(field)?.get(row) ?? null;
  }

  /** One row as an object, null fields left out (for output and tests). */
  row(index: number): Record<string, Value> {
    const out: Record<string, Value> = {};
    for (const [name, column] of this.columns) {
      const v = column.get(index);
      if (v !== null) out[name] = v;
    }
    return out;
  }

  rows(): Array<Record<string, Value>> {
    const names = [...this.columns.keys()];
    const columns = [...this.columns.values()];
    const out: Array<Record<string, Value>> = [];
    for (let i = 0; i < this.length; i++) {
      const row: Record<string, Value> = {};
      for (let c = 0; c < columns.length; c++) {
        const v = columns[c]!.get(i);
        if (v !== null) row[names[c]!] = v;
      }
      out.push(row);
    }
    return out;
  }

  /** A view of the given rows, in the given order. */
  take(rows: Uint32Array): Table {
    const columns = new Map<string, Column>();
    for (const [name, column] of this.columns) columns.set(name, new TakeColumn(column, rows));
    return new Table(rows.length, columns);
  }

  /** This table with every column replaced by `f` of it (same names, same order). */
  mapColumns(f: (column: Column, name: string) => Column): Table {
    const columns = new Map<string, Column>();
    for (const [name, column] of this.columns) columns.set(name, f(column, name));
    return new Table(this.length, columns);
  }

  /**
   * A copy of the given rows, in the given order: dictionary codes, numbers and value arrays are
   * copied into new arrays, so reading the copy goes through no view (other columns become views).
   * A column under several names (a field alias) is copied once. For reordering a whole table
   * once; `take` is the cheap view for everything else.
   */
  gather(rows: Uint32Array): Table {
    return this.copyColumns((column) => gatherColumn(column, rows));
  }

  /** gather(n-1 ... 0), with the arrays copied and reversed natively. */
  reversed(): Table {
    const n = this.length;
    return this.copyColumns((column) => {
      if (column instanceof DictColumn && column.codes.length === n) return new DictColumn(column.codes.slice().reverse(), column.dict);
      if (column instanceof NumberColumn && column.values.length === n) return new NumberColumn(column.values.slice().reverse());
      if (column instanceof ArrayColumn && column.values.length === n) return new ArrayColumn(column.values.slice().reverse());
      if (column instanceof Utf8Column && column.length === n) return column.reversed();
      return gatherColumn(column, Uint32Array.from({ length: n }, (_, i) => n - 1 - i));
    });
  }

  private copyColumns(copy: (column: Column) => Column): Table {
    const copies = new Map<Column, Column>();
    const columns = new Map<string, Column>();
    for (const [name, column] of this.columns) {
      let c = copies.get(column);
      if (!c) copies.set(column, (c = copy(column)));
      columns.set(name, c);
    }
    return new Table(this.length, columns);
  }

  /** This table with `field` set to `column` (replacing it in place, or added at the end). */
  withColumn(field: string, column: Column): Table {
    const columns = new Map(this.columns);
    columns.set(field, column);
    return new Table(this.length, columns);
  }

  /** Several columns set at once, in order. */
  withColumns(entries: Iterable<[string, Column]>): Table {
    const columns = new Map(this.columns);
    for (const [name, column] of entries) columns.set(name, column);
    return new Table(this.length, columns);
  }

  /** Only the named fields, in the given order (missing ones skipped). */
  select(fields: readonly string[]): Table {
    const columns = new Map<string, Column>();
    for (const f of fields) {
      const c = this.columns.get(f);
      if (c) columns.set(f, c);
    }
    return new Table(this.length, columns);
  }

  without(fields: Iterable<string>): Table {
    const drop = new Set(fields);
    return new Table(
      this.length,
      [...this.columns].filter(([name]) => !drop.has(name)),
    );
  }

  /** Tables one after another (append, a search over several datasets); fields in first-seen order. */
  static concat(tables: readonly Table[]): Table {
    if (tables.length === 1) return tables[0]!;
    const names: string[] = [];
    const seen = new Set<string>();
    for (const t of tables) for (const f of t.fields()) if (!seen.has(f)) (seen.add(f), names.push(f));
    const columns = new Map<string, Column>();
    for (const name of names) columns.set(name, new ConcatColumn(tables.map((t) => ({ column: t.column(name), length: t.length }))));
    return new Table(
      tables.reduce((n, t) => n + t.length, 0),
      columns,
    );
  }
}

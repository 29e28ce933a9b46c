/**
 * Builds an event table one row at a time, columnar from the start: every field is a dictionary
 * (value → code) plus a growable Int32Array of codes, `_time` a growable Float64Array. Memory grows
 * with the events kept and their distinct values, never with the lines read and dropped.
 */
import { ArrayColumn, type Column, ConstantColumn, DictColumn, NumberColumn, Table } from "../table/table.js";
import type { Scalar, Value } from "../table/value.js";

/** One event's fields while its line is parsed; nothing reaches the columns until `commit`. */
export class RowFields {
  readonly names: string[] = [];
  readonly values: Array<Scalar | Scalar[]> = [];
  private readonly index = new Map<string, number>();

  /** Adds a value; a field given twice (a JSON array of objects, a Zeek set) becomes a multivalue. */
  add(name: string, value: Scalar): void {
    const i = this.index.get(name);
    if (i === undefined) {
      this.index.set(name, this.names.length);
      this.names.push(name);
      this.values.push(value);
      return;
    }
    const current = this.values[i]!;
    if (Array.isArray(current)) current.push(value);
    else this.values[i] = [current, value];
  }

  /** The first value of a field, or undefined when the event does not have it. */
  first(name: string): Scalar | undefined {
    const i = this.index.get(name);
    if (i === undefined) return undefined;
    const v = this.values[i]!;
    return Array.isArray(v) ? v[0] : v;
  }

  remove(name: string): boolean {
    const i = this.index.get(name);
    if (i === undefined) return false;
    this.names.splice(i, 1);
    this.values.splice(i, 1);
    this.index.clear();
    for (let k = 0; k < this.names.length; k++) this.index.set(this.names[k]!, k);
    return true;
  }

  get size(): number {
    return this.names.length;
  }

  clear(): void {
    this.names.length = 0;
    this.values.length = 0;
    this.index.clear();
  }
}

const MIN_CAPACITY = 64;

/** A dictionary-coded column under construction. */
class FieldBuilder {
  codes: Int32Array;
  readonly dict: Value[] = [];
  private readonly strings = new Map<string, number>();
  private readonly numbers = new Map<number, number>();
  private readonly multis = new Map<string, number>();

  constructor(capacity: number) {
    this.codes = new Int32Array(Math.max(capacity, MIN_CAPACITY)).fill(-1);
  }

  set(row: number, value: Scalar | readonly Scalar[]): void {
    if (row >= this.codes.length) this.grow(row + 1);
    this.codes[row] = this.code(value);
  }

  private grow(needed: number): void {
    let capacity = this.codes.length * 2;
    while (capacity < needed) capacity *= 2;
    const codes = new Int32Array(capacity).fill(-1);
    codes.set(this.codes);
    this.codes = codes;
  }

  private code(value: Scalar | readonly Scalar[]): number {
    if (typeof value === "string") return this.intern(this.strings, value, value);
    if (typeof value === "number") return this.intern(this.numbers, value, value);
    // A multivalue: keyed by its JSON text, which keeps 1 and "1" apart.
    if (value.length === 1) return this.code(value[0]!);
    return this.intern(this.multis, JSON.stringify(value), value);
  }

  private intern<K>(map: Map<K, number>, key: K, value: Scalar | readonly Scalar[]): number {
    let code = map.get(key);
    if (code === undefined) {
      code = this.dict.length;
      this.dict.push(Array.isArray(value) ? Object.freeze([...value]) : value);
      map.set(key, code);
    }
    return code;
  }

  finish(length: number): DictColumn {
    let codes: Int32Array;
    if (this.codes.length === length) codes = this.codes;
    else if (this.codes.length > length) codes = this.codes.slice(0, length);
    else {
      codes = new Int32Array(length).fill(-1);
      codes.set(this.codes);
    }
    return new DictColumn(codes, this.dict);
  }
}

export interface EventMetadata {
  host: string;
  source: string;
  sourcetype: string;
  index: string;
}

/** The names spelunk sets itself on every event; a field of the data by one of these names is not kept. */
export const RESERVED_FIELDS: ReadonlySet<string> = new Set(["_time", "_raw", "host", "source", "sourcetype", "index"]);

export class EventTableBuilder {
  private rows = 0;
  private times = new Float64Array(MIN_CAPACITY);
  private readonly raws: string[] = [];
  private readonly fields = new Map<string, FieldBuilder>();

  get length(): number {
    return this.rows;
  }

  /** Appends one event; reserved names in `row` must have been removed by the caller. */
  commit(row: RowFields, time: number, raw: string): void {
    const n = this.rows;
    for (let i = 0; i < row.names.length; i++) {
      const name = row.names[i]!;
      let field = this.fields.get(name);
      if (field === undefined) {
        // A field first seen now: the earlier events get null (-1), which the new array is filled with.
        field = new FieldBuilder(Math.max(MIN_CAPACITY, this.times.length));
        this.fields.set(name, field);
      }
      field.set(n, row.values[i]!);
    }
    if (n >= this.times.length) {
      const times = new Float64Array(this.times.length * 2);
      times.set(this.times);
      this.times = times;
    }
    this.times[n] = time;
    this.raws.push(raw);
    this.rows = n + 1;
  }

  /** The table: _time, _raw, host, source, sourcetype, index, then the fields in first-seen order. */
  finish(meta: EventMetadata): Table {
    const n = this.rows;
    const columns = new Map<string, Column>();
    columns.set("_time", new NumberColumn(this.times.length === n ? this.times : this.times.slice(0, n)));
    columns.set("_raw", new ArrayColumn(this.raws));
    columns.set("host", new ConstantColumn(n, meta.host));
    columns.set("source", new ConstantColumn(n, meta.source));
    columns.set("sourcetype", new ConstantColumn(n, meta.sourcetype));
    columns.set("index", new ConstantColumn(n, meta.index));
    for (const [name, field] of this.fields) columns.set(name, field.finish(n));
    return new Table(n, columns);
  }
}

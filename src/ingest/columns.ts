/**
 * Builds an event table one row at a time, columnar from the start: every field is a dictionary
 * (value → code) plus a growable Int32Array of codes (doubling), `_time` a growable Float64Array.
 * Memory grows with the events kept and their distinct values, never with the lines read and dropped.
 *
 * A field is a `FieldSlot`, found once per name; a parser adds values to slots while it reads a line
 * (`beginRow`, `add`), and nothing reaches the columns until `commit`, so a line found bad halfway
 * leaves no trace. JSON paths are resolved through `PathNode`s (a trie of keys), so the dotted name
 * of a nested key is built once per distinct path, not once per event.
 */
import { ArrayColumn, type Column, ConstantColumn, DictColumn, NumberColumn, Table } from "../table/table.js";
import type { Scalar, Value } from "../table/value.js";

const MIN_CAPACITY = 64;

/** The names spelunk sets itself on every event; a field of the data by one of these names is not kept. */
export const RESERVED_FIELDS: ReadonlySet<string> = new Set(["_time", "_raw", "host", "source", "sourcetype", "index"]);

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
    if (typeof value === "string") {
      let code = this.strings.get(value);
      if (code === undefined) this.strings.set(value, (code = this.push(value)));
      return code;
    }
    if (typeof value === "number") {
      let code = this.numbers.get(value);
      if (code === undefined) this.numbers.set(value, (code = this.push(value)));
      return code;
    }
    // A multivalue: keyed by its JSON text, which keeps 1 and "1" apart.
    if (value.length === 1) return this.code(value[0]!);
    const key = JSON.stringify(value);
    let code = this.multis.get(key);
    if (code === undefined) this.multis.set(key, (code = this.push(Object.freeze([...value]))));
    return code;
  }

  private push(value: Value): number {
    this.dict.push(value);
    return this.dict.length - 1;
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

/** A field name, with its column once an event has it, and its place in the row being read. */
export class FieldSlot {
  /** The row (builder's stamp) this slot last got a value in, and where that value is in the row. */
  stamp = -1;
  pos = -1;
  column: FieldBuilder | undefined;
  /** Names spelunk sets itself (_time, host ...) and the empty name: read, but not kept as fields. */
  readonly reserved: boolean;
  constructor(readonly name: string) {
    this.reserved = name === "" || RESERVED_FIELDS.has(name);
  }
}

/** A JSON path: the slot of its dotted name, and the paths below it. */
export class PathNode {
  private children: Map<string, PathNode> | undefined;
  private element: PathNode | undefined;
  constructor(
    private readonly builder: EventTableBuilder,
    /** undefined for the root (a whole event). */
    readonly slot: FieldSlot | undefined,
  ) {}

  /** The path of a key below this one: `id` → `id.orig_h`; at the root just the key. */
  child(key: string): PathNode {
    let node = this.children?.get(key);
    if (node === undefined) {
      node = new PathNode(this.builder, this.builder.slot(this.slot === undefined ? key : `${this.slot.name}.${key}`));
      (this.children ??= new Map()).set(key, node);
    }
    return node;
  }

  /** The path of an array's elements: `tags` → `tags{}` (at the root `{}`). */
  elements(): PathNode {
    return (this.element ??= new PathNode(this.builder, this.builder.slot(`${this.slot?.name ?? ""}{}`)));
  }
}

export interface EventMetadata {
  host: string;
  source: string;
  sourcetype: string;
  index: string;
}

export class EventTableBuilder {
  private rows = 0;
  private times = new Float64Array(MIN_CAPACITY);
  private readonly raws: string[] = [];
  private readonly slots = new Map<string, FieldSlot>();
  /** Slots with a column, in the order their first value was kept. */
  private readonly order: FieldSlot[] = [];
  /** Reserved names found in kept events, with how many events had them. */
  readonly reservedSeen = new Map<string, number>();
  readonly root = new PathNode(this, undefined);

  // The row being read.
  private stamp = 0;
  private readonly rowSlots: FieldSlot[] = [];
  private readonly rowValues: Array<Scalar | Scalar[]> = [];

  get length(): number {
    return this.rows;
  }

  /** The slot of a field name (created on first use). */
  slot(name: string): FieldSlot {
    let slot = this.slots.get(name);
    if (slot === undefined) this.slots.set(name, (slot = new FieldSlot(name)));
    return slot;
  }

  /** Starts reading a new row, forgetting what the previous one (kept or not) had. */
  beginRow(): void {
    this.stamp++;
    this.rowSlots.length = 0;
    this.rowValues.length = 0;
  }

  /** Adds a value to the row; a field given twice (a JSON array, a Zeek set) becomes a multivalue. */
  add(slot: FieldSlot, value: Scalar): void {
    if (slot.stamp !== this.stamp) {
      slot.stamp = this.stamp;
      slot.pos = this.rowSlots.length;
      this.rowSlots.push(slot);
      this.rowValues.push(value);
      return;
    }
    const current = this.rowValues[slot.pos]!;
    if (Array.isArray(current)) current.push(value);
    else this.rowValues[slot.pos] = [current, value];
  }

  /** The first value the row has for a slot, or undefined. */
  first(slot: FieldSlot | undefined): Scalar | undefined {
    if (slot === undefined || slot.stamp !== this.stamp) return undefined;
    const v = this.rowValues[slot.pos]!;
    return Array.isArray(v) ? v[0] : v;
  }

  get rowSize(): number {
    return this.rowSlots.length;
  }

  /** Keeps the row as an event. */
  commit(time: number, raw: string): void {
    const n = this.rows;
    for (let i = 0; i < this.rowSlots.length; i++) {
      const slot = this.rowSlots[i]!;
      if (slot.reserved) {
        if (slot.name !== "") this.reservedSeen.set(slot.name, (this.reservedSeen.get(slot.name) ?? 0) + 1);
        continue;
      }
      let column = slot.column;
      if (column === undefined) {
        // A field first seen now: the earlier events get null (-1), which the new array is filled with.
        column = slot.column = new FieldBuilder(this.times.length);
        this.order.push(slot);
      }
      column.set(n, this.rowValues[i]!);
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
    for (const slot of this.order) columns.set(slot.name, slot.column!.finish(n));
    return new Table(n, columns);
  }
}

/**
 * Builds an event table one row at a time, columnar from the start: every field is a ColumnBuilder
 * (src/table/builder.ts: a dictionary of values and a code per row, or plain numbers or values for
 * a field whose values are mostly distinct); `_time` is a growable Float64Array; `_raw` is kept as
 * UTF-8 bytes (RawStore). Memory grows with the events kept and their distinct values, never with
 * the lines read and dropped.
 *
 * A field is a `FieldSlot`, found once per name; a parser adds values to slots while it reads a line
 * (`beginRow`, `add`), and nothing reaches the columns until `commit`, so a line found bad halfway
 * leaves no trace. JSON paths are resolved through `PathNode`s (a trie of keys), so the dotted name
 * of a nested key is built once per distinct path, not once per event.
 *
 * The JSON reader adds its strings and numbers as they are in the line (`addText`, `addNumber`):
 * a string is kept as where it is in the line and its hash, and cut out of the line only when its
 * field has not seen it before, at commit. Most values of an event log repeat, so most lines leave
 * nothing behind but their codes and their bytes (as `_raw`).
 */
import { ColumnBuilder } from "../table/builder.js";
import type { TextPieces } from "../table/dictionary.js";
import { type Column, ConstantColumn, NumberColumn, Table, Utf8Column } from "../table/table.js";
import type { Scalar } from "../table/value.js";

const MIN_CAPACITY = 64;

/** The names spelunk sets itself on every event; a field of the data by one of these names is not kept. */
export const RESERVED_FIELDS: ReadonlySet<string> = new Set(["_time", "_raw", "host", "source", "sourcetype", "index"]);

/** A field name, with its column once an event has it, and its place in the row being read. */
export class FieldSlot {
  /** The row (builder's stamp) this slot last got a value in, and where that value is in the row. */
  stamp = -1;
  pos = -1;
  column: ColumnBuilder | undefined;
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
  /**
   * The key as it is written in JSON when that is the key itself (no escapes), else undefined.
   * With `next` and `first` it lets the reader check that a line's next key is the one that came
   * next last time by comparing text, without cutting the key out of the line.
   */
  readonly written: string | undefined;
  /** The key that followed this one in its object last time. */
  next: PathNode | undefined;
  /** The first key of this object last time. */
  first: PathNode | undefined;

  constructor(
    private readonly builder: EventTableBuilder,
    /** undefined for the root (a whole event). */
    readonly slot: FieldSlot | undefined,
    key = "",
  ) {
    this.written = /["\\\u0000-\u001f]/.test(key) ? undefined : key;
  }

  /** The path of a key below this one: `id` → `id.orig_h`; at the root just the key. */
  child(key: string): PathNode {
    let node = this.children?.get(key);
    if (node === undefined) {
      node = new PathNode(this.builder, this.builder.slot(this.slot === undefined ? key : `${this.slot.name}.${key}`), key);
      (this.children ??= new Map()).set(key, node);
    }
    return node;
  }

  /** The path of an array's elements: `tags` → `tags{}` (at the root `{}`). */
  elements(): PathNode {
    return (this.element ??= new PathNode(this.builder, this.builder.slot(`${this.slot?.name ?? ""}{}`)));
  }
}

/**
 * The events' `_raw`, as UTF-8 bytes in chunks of 16 MB (see Utf8Column), each text in one chunk.
 * The line a parser read is then garbage as soon as its row is committed, instead of an object
 * for the garbage collector to move and visit for as long as the events are loaded.
 */
class RawStore implements TextPieces {
  private static readonly CHUNK = 16 * 1024 * 1024;
  private readonly chunks: Buffer[] = [];
  private chunk = Buffer.alloc(0);
  private used = 0;
  private chunkOf: Uint32Array = new Uint32Array(MIN_CAPACITY);
  private offsets: Uint32Array = new Uint32Array(MIN_CAPACITY);
  private lengths: Uint32Array = new Uint32Array(MIN_CAPACITY);
  private others: Map<number, string> | undefined;
  /** The last text added when it is ASCII (its bytes are its characters), and where its bytes are: see piece. */
  private asciiText: string | undefined;
  private asciiOffset = 0;

  add(row: number, text: string): void {
    if (row >= this.lengths.length) this.grow();
    this.asciiText = undefined;
    if (!(text as unknown as { isWellFormed(): boolean }).isWellFormed()) {
      // A lone surrogate would not come back from UTF-8: kept as it is.
      (this.others ??= new Map()).set(row, text);
      return;
    }
    let written = this.chunk.write(text, this.used, "utf8");
    if (this.chunk.length - this.used - written < 4 && written !== Buffer.byteLength(text)) {
      // It did not fit: a new chunk (of its own when the text is larger than a chunk).
      if (this.chunk.length > 0) this.chunks.push(this.chunk.subarray(0, this.used));
      this.chunk = Buffer.allocUnsafeSlow(Math.max(RawStore.CHUNK, Buffer.byteLength(text)));
      this.used = 0;
      written = this.chunk.write(text, 0, "utf8");
    }
    this.chunkOf[row] = this.chunks.length;
    this.offsets[row] = this.used;
    this.lengths[row] = written;
    if (written === text.length) {
      this.asciiText = text;
      this.asciiOffset = this.used;
    }
    this.used += written;
  }

  /** text[start, end) of the last text added, cut from its bytes when it is ASCII (a string of its own, not a view of the text). */
  piece(text: string, start: number, end: number): string {
    if (this.asciiText !== text) return text.slice(start, end);
    return this.chunk.toString("latin1", this.asciiOffset + start, this.asciiOffset + end);
  }

  private grow(): void {
    const grown = (a: Uint32Array): Uint32Array => {
      const b = new Uint32Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.chunkOf = grown(this.chunkOf);
    this.offsets = grown(this.offsets);
    this.lengths = grown(this.lengths);
  }

  finish(rows: number): Utf8Column {
    // The last chunk copied to its size, so the unused rest of it is not kept.
    const chunks = [...this.chunks, Buffer.from(this.chunk.subarray(0, this.used))];
    return new Utf8Column(chunks, this.chunkOf.slice(0, rows), this.offsets.slice(0, rows), this.lengths.slice(0, rows), this.others);
  }
}

export interface EventMetadata {
  host: string;
  source: string;
  sourcetype: string;
  index: string;
}

/** How a value of the row being read is held until commit. */
const enum Held {
  /** In `rowValues` (a Scalar, or a multivalue array). */
  Value = 0,
  /** A string: `rowStart`..`rowEnd` of `rowText`, with its hash. */
  Text = 1,
  /** A number, in `rowNumbers`. */
  Number = 2,
}

export class EventTableBuilder {
  private rows = 0;
  private times = new Float64Array(MIN_CAPACITY);
  private readonly raws = new RawStore();
  private readonly slots = new Map<string, FieldSlot>();
  /** Slots with a column, in the order their first value was kept. */
  private readonly order: FieldSlot[] = [];
  /** Reserved names found in kept events, with how many events had them. */
  readonly reservedSeen = new Map<string, number>();
  readonly root = new PathNode(this, undefined);

  // The row being read: one entry per slot with a value, in the order they came.
  private stamp = 0;
  private rowCount = 0;
  private readonly rowSlots: FieldSlot[] = [];
  private readonly rowValues: Array<Scalar | Scalar[] | undefined> = [];
  private rowHeld = new Uint8Array(64);
  private rowStart = new Int32Array(64);
  private rowEnd = new Int32Array(64);
  private rowHash = new Int32Array(64);
  private rowNumbers = new Float64Array(64);
  /** The text `addText` positions refer to (the line being read). */
  private rowText = "";

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
    this.rowCount = 0;
  }

  /** Adds a value to the row; a field given twice (a JSON array, a Zeek set) becomes a multivalue. */
  add(slot: FieldSlot, value: Scalar): void {
    if (slot.stamp === this.stamp) return this.addAgain(slot, value);
    this.rowValues[this.place(slot, Held.Value)] = value;
  }

  /** Adds the string text[start, end) (with its `hashText`); `text` is the same for the whole row. */
  addText(slot: FieldSlot, text: string, start: number, end: number, hash: number): void {
    if (slot.stamp === this.stamp) return this.addAgain(slot, text.slice(start, end));
    this.rowText = text;
    const i = this.place(slot, Held.Text);
    this.rowStart[i] = start;
    this.rowEnd[i] = end;
    this.rowHash[i] = hash;
  }

  addNumber(slot: FieldSlot, n: number): void {
    if (slot.stamp === this.stamp) return this.addAgain(slot, n);
    this.rowNumbers[this.place(slot, Held.Number)] = n;
  }

  /**
   * Puts the slot in the row, held as `held`; returns its place. (The row's arrays are reused from
   * row to row, never emptied: emptying an array gives its storage back, to be allocated again.)
   */
  private place(slot: FieldSlot, held: Held): number {
    const i = this.rowCount++;
    if (i >= this.rowHeld.length) this.growRow();
    slot.stamp = this.stamp;
    slot.pos = i;
    this.rowSlots[i] = slot;
    this.rowValues[i] = undefined;
    this.rowHeld[i] = held;
    return i;
  }

  /** A second value for a slot: the row holds a multivalue from now on. */
  private addAgain(slot: FieldSlot, value: Scalar): void {
    const i = slot.pos;
    const current = this.heldValue(i);
    this.rowHeld[i] = Held.Value;
    if (Array.isArray(current)) current.push(value);
    else this.rowValues[i] = [current, value];
  }

  private heldValue(i: number): Scalar | Scalar[] {
    switch (this.rowHeld[i]) {
      case Held.Text:
        return this.rowText.slice(this.rowStart[i], this.rowEnd[i]);
      case Held.Number:
        return this.rowNumbers[i]!;
      default:
        return this.rowValues[i]!;
    }
  }

  private growRow(): void {
    const size = this.rowHeld.length * 2;
    const grow = <T extends Uint8Array | Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.rowHeld = grow(this.rowHeld, (n) => new Uint8Array(n));
    this.rowStart = grow(this.rowStart, (n) => new Int32Array(n));
    this.rowEnd = grow(this.rowEnd, (n) => new Int32Array(n));
    this.rowHash = grow(this.rowHash, (n) => new Int32Array(n));
    this.rowNumbers = grow(this.rowNumbers, (n) => new Float64Array(n));
  }

  /** The first value the row has for a slot, or undefined. */
  first(slot: FieldSlot | undefined): Scalar | undefined {
    if (slot === undefined || slot.stamp !== this.stamp) return undefined;
    const v = this.heldValue(slot.pos);
    return Array.isArray(v) ? v[0] : v;
  }

  get rowSize(): number {
    return this.rowCount;
  }

  /** Keeps the row as an event. */
  commit(time: number, raw: string): void {
    const n = this.rows;
    // The raw text first: a JSON line's strings are then cut from its bytes (see RawStore.piece).
    this.raws.add(n, raw);
    for (let i = 0; i < this.rowCount; i++) {
      const slot = this.rowSlots[i]!;
      if (slot.reserved) {
        if (slot.name !== "") this.reservedSeen.set(slot.name, (this.reservedSeen.get(slot.name) ?? 0) + 1);
        continue;
      }
      let column = slot.column;
      if (column === undefined) {
        // A field first seen now: the earlier events get null.
        column = slot.column = new ColumnBuilder(this.times.length);
        this.order.push(slot);
      }
      switch (this.rowHeld[i]) {
        case Held.Text:
          column.setText(n, this.rowText, this.rowStart[i]!, this.rowEnd[i]!, this.rowHash[i]!, this.raws);
          break;
        case Held.Number:
          column.setNumber(n, this.rowNumbers[i]!);
          break;
        default:
          column.set(n, this.rowValues[i]!);
      }
    }
    if (n >= this.times.length) {
      const times = new Float64Array(this.times.length * 2);
      times.set(this.times);
      this.times = times;
    }
    this.times[n] = time;
    this.rows = n + 1;
  }

  /** The table: _time, _raw, host, source, sourcetype, index, then the fields in first-seen order. */
  finish(meta: EventMetadata): Table {
    const n = this.rows;
    const columns = new Map<string, Column>();
    columns.set("_time", new NumberColumn(this.times.length === n ? this.times : this.times.slice(0, n)));
    columns.set("_raw", this.raws.finish(n));
    columns.set("host", new ConstantColumn(n, meta.host));
    columns.set("source", new ConstantColumn(n, meta.source));
    columns.set("sourcetype", new ConstantColumn(n, meta.sourcetype));
    columns.set("index", new ConstantColumn(n, meta.index));
    for (const slot of this.order) columns.set(slot.name, slot.column!.finish(n));
    return new Table(n, columns);
  }
}

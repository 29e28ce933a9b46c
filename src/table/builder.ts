/**
 * A column built row by row: dictionary-coded (DictColumn) while its values repeat, plain once
 * they mostly do not (times, ids, byte counts): numbers in a Float64Array (NumberColumn), or any
 * values in an array (ArrayColumn). Coding a value that is seen once costs a hash-table insert
 * and a dictionary entry for nothing; on millions of events those are most of the time spent
 * loading, and a code per row besides.
 *
 * A column goes plain when its dictionary has grown past 4,096 values and holds more than half as
 * many values as rows were set (for numbers, more than an eighth: a number costs 8 bytes plain and
 * a dictionary of many numbers is slow to build), so columns with few distinct values always stay
 * dictionary-coded. Rows not set are null. Values are told apart as the dictionary tells them apart
 * (1 and "1" are two).
 */
import { ArrayColumn, type Column, DictColumn, narrowCodes, NumberColumn } from "./table.js";
import { DictionaryBuilder, hashText, type TextPieces } from "./dictionary.js";
import type { Scalar, Value } from "./value.js";

const enum Mode {
  Dictionary,
  Numbers,
  Values,
}

const FIRST_CHECK = 1 << 12;
const RECENT = 4;

export class ColumnBuilder {
  private mode = Mode.Dictionary;
  private codes: Int32Array;
  readonly dictionary = new DictionaryBuilder();
  /** Dictionary values that are not plain numbers (strings, multivalues, NaN): such a column cannot go to Numbers. */
  private nonNumbers = 0;
  private nextCheck = FIRST_CHECK;
  private numbers: Float64Array | undefined;
  private values: Value[] | undefined;
  /** Rows up to here may have been set. */
  private rows = 0;
  private arrays: Map<readonly Scalar[], number> | undefined;
  /** The last values setShared coded, and their codes. */
  private readonly recent: Array<Scalar | undefined> = new Array<Scalar | undefined>(RECENT).fill(undefined);
  private readonly recentCodes = new Int32Array(RECENT);
  private recentNext = 0;

  constructor(capacity: number) {
    this.codes = new Int32Array(Math.max(capacity, 64)).fill(-1);
  }

  /** The string text[start, end), whose `hashText` is `hash`, cut by `pieces` when kept (see DictionaryBuilder.codeOfText). */
  setText(row: number, text: string, start: number, end: number, hash: number, pieces?: TextPieces): void {
    if (this.mode !== Mode.Dictionary) return this.setPlain(row, pieces ? pieces.piece(text, start, end) : text.slice(start, end));
    const size = this.dictionary.size;
    const code = this.dictionary.codeOfText(text, start, end, hash, pieces);
    if (code === size) this.nonNumbers++;
    this.setCode(row, code);
  }

  setNumber(row: number, n: number): void {
    if (this.mode === Mode.Numbers && n === n) {
      this.reserve(row);
      this.numbers![row] = n;
      return;
    }
    if (this.mode !== Mode.Dictionary) return this.setPlain(row, n);
    const size = this.dictionary.size;
    const code = this.dictionary.codeOfNumber(n);
    if (code === size && n !== n) this.nonNumbers++;
    this.setCode(row, code);
  }

  /** Any value; null leaves the row null. A one-value multivalue is that value. */
  set(row: number, value: Value): void {
    this.setValue(row, value, false);
  }

  /**
   * As set, for values that rows share (the same array object for equal multivalues, as computed
   * columns have): an array is looked up by its text once, then by identity.
   */
  setShared(row: number, value: Value): void {
    // Computed values repeat, often as the very same string: the last few are checked first.
    if (this.mode === Mode.Dictionary && value !== null && typeof value !== "object") {
      const recent = this.recent;
      for (let i = 0; i < RECENT; i++) {
        if (recent[i] === value) {
          this.setCode(row, this.recentCodes[i]!);
          return;
        }
      }
      this.setValue(row, value, true);
      if (this.mode === Mode.Dictionary) {
        this.recentNext = (this.recentNext + 1) % RECENT;
        recent[this.recentNext] = value;
        this.recentCodes[this.recentNext] = this.codes[row]!;
      }
      return;
    }
    this.setValue(row, value, true);
  }

  private setValue(row: number, value: Value, shared: boolean): void {
    if (value === null) return;
    if (typeof value === "number") return this.setNumber(row, value);
    if (typeof value === "string") return this.setText(row, value, 0, value.length, hashText(value, 0, value.length));
    if (value.length === 1) return this.setValue(row, value[0]!, shared);
    if (this.mode !== Mode.Dictionary) return this.setPlain(row, Object.freeze([...value]));
    let code = shared ? this.arrays?.get(value) : undefined;
    if (code === undefined) {
      const size = this.dictionary.size;
      code = this.dictionary.codeOfMulti(value, true);
      if (code === size) this.nonNumbers++;
      if (shared) (this.arrays ??= new Map()).set(value, code);
    }
    this.setCode(row, code);
  }

  /** A dictionary code already found (`dictionary.code...`), while the column is dictionary-coded. */
  private setCode(row: number, code: number): void {
    if (row >= this.codes.length) this.grow(row + 1);
    this.codes[row] = code;
    if (row >= this.rows) this.rows = row + 1;
    if (this.dictionary.size >= this.nextCheck) this.check();
  }

  private grow(needed: number): void {
    let capacity = this.codes.length * 2;
    while (capacity < needed) capacity *= 2;
    const codes = new Int32Array(capacity).fill(-1);
    codes.set(this.codes);
    this.codes = codes;
  }

  /** Goes plain when most values so far were distinct (numbers: more than one in eight). */
  private check(): void {
    this.nextCheck *= 2;
    if (this.dictionary.size * (this.nonNumbers === 0 ? 8 : 2) <= this.rows) return;
    const dict = this.dictionary.values;
    const codes = this.codes;
    if (this.nonNumbers === 0) {
      const numbers = new Float64Array(codes.length);
      for (let row = 0; row < codes.length; row++) numbers[row] = codes[row]! < 0 ? NaN : (dict[codes[row]!] as number);
      this.numbers = numbers;
      this.mode = Mode.Numbers;
    } else {
      const values = new Array<Value>(codes.length);
      for (let row = 0; row < codes.length; row++) values[row] = codes[row]! < 0 ? null : dict[codes[row]!]!;
      this.values = values;
      this.mode = Mode.Values;
    }
    this.codes = new Int32Array(0);
    this.arrays = undefined;
  }

  private setPlain(row: number, v: Scalar | readonly Scalar[]): void {
    if (this.mode === Mode.Numbers) {
      // A value a Float64Array cannot hold: every value in an array from now on.
      const numbers = this.numbers!;
      const values = new Array<Value>(numbers.length);
      for (let r = 0; r < numbers.length; r++) values[r] = numbers[r] !== numbers[r] ? null : numbers[r]!;
      this.values = values;
      this.numbers = undefined;
      this.mode = Mode.Values;
    }
    const values = this.values!;
    while (values.length <= row) values.push(null);
    values[row] = v;
    if (row >= this.rows) this.rows = row + 1;
  }

  private reserve(row: number): void {
    const numbers = this.numbers!;
    if (row >= numbers.length) {
      let capacity = numbers.length * 2;
      while (capacity <= row) capacity *= 2;
      const grown = new Float64Array(capacity).fill(NaN);
      grown.set(numbers);
      this.numbers = grown;
    }
    if (row >= this.rows) this.rows = row + 1;
  }

  /** The column of `length` rows. */
  finish(length: number): Column {
    if (this.mode === Mode.Numbers) {
      const numbers = this.numbers!;
      if (numbers.length === length) return new NumberColumn(numbers);
      const exact = new Float64Array(length).fill(NaN);
      exact.set(numbers.subarray(0, Math.min(length, numbers.length)));
      return new NumberColumn(exact);
    }
    if (this.mode === Mode.Values) {
      const values = this.values!;
      if (values.length > length) values.length = length;
      while (values.length < length) values.push(null);
      return new ArrayColumn(values);
    }
    const dict = this.dictionary.values;
    let codes: Int32Array = this.codes;
    if (codes.length !== length) {
      const exact = new Int32Array(length).fill(-1);
      exact.set(codes.subarray(0, Math.min(length, codes.length)));
      codes = exact;
    }
    return new DictColumn(narrowCodes(codes, dict.length), dict);
  }
}

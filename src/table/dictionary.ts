/**
 * A dictionary under construction: each distinct value once, in first-seen order, and its code.
 * Values are told apart as a Map would tell them apart (1 and "1" are two values; -0 is 0); a
 * multivalue is one value, keyed by its JSON text.
 *
 * Strings and numbers are found through open-addressing hash tables of codes, not Maps: a string
 * can be looked up by where it is in a longer text (`codeOfText`) with a hash a parser computes
 * while it scans the string anyway, and numbers are hashed from their bits. This is where ingest
 * and summaries spend their time on large files.
 */
import type { Scalar, Value } from "./value.js";

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** The hash `codeOfText` expects: FNV-1a over the UTF-16 code units of text[start, end). */
export function hashText(text: string, start: number, end: number): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h;
}

/** Spreads a hash over all its bits (murmur3's finalizer), so that its low bits pick a slot well. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * Where a string found in a longer text is cut from when it must be kept: `text.slice` gives a view
 * of the text (for 13 characters or more, in V8), which keeps the whole text in memory for as long
 * as the piece is kept; a source of pieces can give a string of its own instead.
 */
export interface TextPieces {
  piece(text: string, start: number, end: number): string;
}

/** One step of `hashText`, for a parser that hashes while it scans: start from `HASH_START`. */
export const HASH_START = FNV_OFFSET;
export function hashStep(h: number, charCode: number): number {
  return Math.imul(h ^ charCode, FNV_PRIME);
}

const bits = new Float64Array(1);
const halves = new Int32Array(bits.buffer);

function hashNumber(n: number): number {
  if ((n | 0) === n) return mix(n); // small integers, 0 and -0 alike
  if (n !== n) return 0x7ff80000; // every NaN alike
  bits[0] = n;
  return mix(halves[0]! ^ Math.imul(halves[1]!, 0x9e3779b1));
}

/** Open addressing over codes + 1 (0 = empty), linear probing, at most half full. */
class CodeTable {
  slots = new Int32Array(64);
  size = 0;

  /** Makes room for one more entry; `rehash(code)` gives the hash of an entry already in. */
  reserve(rehash: (code: number) => number): void {
    if ((this.size + 1) * 2 <= this.slots.length) return;
    const old = this.slots;
    const slots = new Int32Array(old.length * 2);
    const mask = slots.length - 1;
    for (let i = 0; i < old.length; i++) {
      const entry = old[i]!;
      if (entry === 0) continue;
      let at = rehash(entry - 1) & mask;
      while (slots[at] !== 0) at = (at + 1) & mask;
      slots[at] = entry;
    }
    this.slots = slots;
  }
}

export class DictionaryBuilder {
  readonly values: Value[] = [];
  private readonly strings = new CodeTable();
  /** The hash of each string's code (other codes: unused). */
  private stringHashes = new Int32Array(64);
  private readonly numbers = new CodeTable();
  private multis: Map<string, number> | undefined;

  get size(): number {
    return this.values.length;
  }

  /** The code of a value (a one-value array is that value). */
  code(value: Scalar | readonly Scalar[]): number {
    if (typeof value === "string") return this.codeOfText(value, 0, value.length, hashText(value, 0, value.length));
    if (typeof value === "number") return this.codeOfNumber(value);
    if (value.length === 1) return this.code(value[0]!);
    return this.codeOfMulti(value, true);
  }

  /** The code of the string text[start, end), whose `hashText` is `hash`; the string is cut out of `text` (by `pieces` when given) only when new. */
  codeOfText(text: string, start: number, end: number, hash: number, pieces?: TextPieces): number {
    const { values, strings } = this;
    const slots = strings.slots;
    const mask = slots.length - 1;
    const length = end - start;
    // The candidate is compared as a string cut out of the text: on V8 that is faster than
    // comparing in place (startsWith with a position, or character by character).
    let piece = length === text.length ? text : undefined;
    for (let at = mix(hash) & mask; ; at = (at + 1) & mask) {
      const entry = slots[at]!;
      if (entry === 0) break;
      const code = entry - 1;
      if (this.stringHashes[code] !== hash) continue;
      const v = values[code] as string;
      if (v.length === length && v === (piece ??= text.slice(start, end))) return code;
    }
    const code = values.length;
    values.push(piece ?? (pieces ? pieces.piece(text, start, end) : text.slice(start, end)));
    if (code >= this.stringHashes.length) {
      const grown = new Int32Array(this.stringHashes.length * 2);
      grown.set(this.stringHashes);
      this.stringHashes = grown;
    }
    this.stringHashes[code] = hash;
    this.insert(strings, code, mix(hash), (c) => mix(this.stringHashes[c]!));
    return code;
  }

  codeOfNumber(n: number): number {
    const { values, numbers } = this;
    const slots = numbers.slots;
    const mask = slots.length - 1;
    const hash = hashNumber(n);
    for (let at = hash & mask; ; at = (at + 1) & mask) {
      const entry = slots[at]!;
      if (entry === 0) break;
      const v = values[entry - 1] as number;
      if (v === n || (v !== v && n !== n)) return entry - 1;
    }
    const code = values.length;
    values.push(n);
    this.insert(numbers, code, hash, (c) => hashNumber(values[c] as number));
    return code;
  }

  /** A multivalue's code; the dictionary keeps a frozen copy of it (`copy`) or the array itself. */
  codeOfMulti(value: readonly Scalar[], copy: boolean): number {
    const key = JSON.stringify(value);
    this.multis ??= new Map();
    let code = this.multis.get(key);
    if (code === undefined) {
      code = this.values.length;
      this.values.push(copy ? Object.freeze([...value]) : value);
      this.multis.set(key, code);
    }
    return code;
  }

  private insert(table: CodeTable, code: number, hash: number, rehash: (code: number) => number): void {
    table.reserve(rehash);
    const slots = table.slots;
    const mask = slots.length - 1;
    let at = hash & mask;
    while (slots[at] !== 0) at = (at + 1) & mask;
    slots[at] = code + 1;
    table.size++;
  }
}

/**
 * One JSON event flattened into fields the way Splunk names them for KV_MODE = json and
 * INDEXED_EXTRACTIONS = json (the spath naming):
 * - nested objects join their keys with dots: {"id":{"orig_h":"a"}} → id.orig_h; a key that
 *   already holds dots stays as it is ({"id.orig_h":"a"} → id.orig_h);
 * - arrays add `{}` to the name and give one value per element, so an array is a multivalue field
 *   (tags{}), an array of objects gives multivalue fields per key (a{}.b), and an array of arrays
 *   a{}{}. Source: props.conf.spec, JSON_TRIM_BRACES_IN_ARRAY_NAMES ("data.mount_point{}"), spath
 *   paths such as commits{}.author.name, and the Zeek add-on's `FIELDALIAS-... = tunnel_parents{} AS
 *   tunnel_parents`; ESCU searches use names like targetResources{}.modifiedProperties{}.newValue;
 * - a top-level array names its elements from `{}` (ESCU: {}.RequiredAppPermissions{}.EntitlementId);
 * - true/false become the strings "true"/"false" (the Zeek add-on compares local_orig="true");
 * - null, {} and [] give no value; a key given twice gives both values (a multivalue).
 *
 * Numbers stay numbers when JavaScript prints them back as written (62, 0.25, 1591367999.305988);
 * a number it would print differently (1.0, 1e3, 2^63 = 9223372036854775808) keeps the text it was
 * written with, as Splunk shows it; such a value is still numeric for every comparison.
 *
 * The parser is a small strict RFC 8259 reader written for this (not JSON.parse) so that nothing
 * but the fields is allocated, numbers keep their text, and nesting depth is bounded.
 */
import { HASH_START, hashStep } from "../table/dictionary.js";
import type { Scalar } from "../table/value.js";
import type { EventTableBuilder, PathNode } from "./columns.js";

/** Deeper nesting than this is refused (JSON.parse would recurse without a bound we control). */
export const MAX_JSON_DEPTH = 512;

/** Thrown inside the parser and caught in flattenJson; not an Error, so no stack trace is captured per bad line. */
class JsonSyntaxError {
  constructor(readonly message: string) {}
}

/**
 * Flattens one line of JSON into the builder's current row. Returns null when the line is valid
 * JSON, or a message saying where it is not ("expected ',' or '}' at column 17"); then the row has
 * some of the fields, and the caller does not commit it.
 */
export function flattenJson(text: string, row: EventTableBuilder): string | null {
  const p = new Parser(text, row);
  try {
    p.skipSpace();
    p.value(row.root, 0);
    p.skipSpace();
    if (p.pos < text.length) p.fail("unexpected text after the JSON value");
    return null;
  } catch (e) {
    if (e instanceof JsonSyntaxError) return e.message;
    throw e;
  }
}

class Parser {
  pos = 0;
  constructor(
    private readonly text: string,
    private readonly row: EventTableBuilder,
  ) {}

  fail(message: string, at = this.pos): never {
    throw new JsonSyntaxError(`malformed JSON: ${message} at column ${at + 1}`);
  }

  skipSpace(): void {
    const t = this.text;
    let i = this.pos;
    while (i < t.length) {
      const c = t.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else break;
    }
    this.pos = i;
  }

  /** A value at a path (the root at the top level, where only containers name fields). */
  value(node: PathNode, depth: number): void {
    const t = this.text;
    if (this.pos >= t.length) this.fail("the line ends where a value was expected");
    const c = t.charCodeAt(this.pos);
    switch (c) {
      case 0x7b /* { */:
        this.object(node, depth + 1);
        return;
      case 0x5b /* [ */:
        this.array(node, depth + 1);
        return;
      case 0x22 /* " */: {
        this.stringValue(node);
        return;
      }
      case 0x74 /* t */:
        this.literal("true");
        if (node.slot !== undefined) this.row.add(node.slot, "true");
        return;
      case 0x66 /* f */:
        this.literal("false");
        if (node.slot !== undefined) this.row.add(node.slot, "false");
        return;
      case 0x6e /* n */:
        this.literal("null");
        return;
      default: {
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
          const n = this.number();
          if (node.slot === undefined) return;
          if (typeof n === "number") this.row.addNumber(node.slot, n);
          else this.row.add(node.slot, n);
          return;
        }
        this.fail(`unexpected ${describe(t, this.pos)}`);
      }
    }
  }

  private object(node: PathNode, depth: number): void {
    if (depth > MAX_JSON_DEPTH) this.fail(`nested deeper than ${MAX_JSON_DEPTH} levels`);
    const t = this.text;
    this.pos++; // {
    this.skipSpace();
    if (t.charCodeAt(this.pos) === 0x7d /* } */) {
      this.pos++;
      return;
    }
    let previous: PathNode | undefined;
    for (;;) {
      if (t.charCodeAt(this.pos) !== 0x22) this.fail(this.pos >= t.length ? "the line ends where a key was expected" : `expected a key in double quotes but found ${describe(t, this.pos)}`);
      const child = this.key(node, previous);
      previous = child;
      this.skipSpace();
      if (t.charCodeAt(this.pos) !== 0x3a /* : */) this.fail(`expected ':' after the key but found ${describe(t, this.pos)}`);
      this.pos++;
      this.skipSpace();
      this.value(child, depth);
      this.skipSpace();
      const c = t.charCodeAt(this.pos);
      if (c === 0x2c /* , */) {
        this.pos++;
        this.skipSpace();
        continue;
      }
      if (c === 0x7d /* } */) {
        this.pos++;
        return;
      }
      this.fail(`expected ',' or '}' but found ${describe(t, this.pos)}`);
    }
  }

  private array(node: PathNode, depth: number): void {
    if (depth > MAX_JSON_DEPTH) this.fail(`nested deeper than ${MAX_JSON_DEPTH} levels`);
    const t = this.text;
    const elements = node.elements();
    this.pos++; // [
    this.skipSpace();
    if (t.charCodeAt(this.pos) === 0x5d /* ] */) {
      this.pos++;
      return;
    }
    for (;;) {
      this.value(elements, depth);
      this.skipSpace();
      const c = t.charCodeAt(this.pos);
      if (c === 0x2c /* , */) {
        this.pos++;
        this.skipSpace();
        continue;
      }
      if (c === 0x5d /* ] */) {
        this.pos++;
        return;
      }
      this.fail(`expected ',' or ']' but found ${describe(t, this.pos)}`);
    }
  }

  private literal(word: string): void {
    if (!this.text.startsWith(word, this.pos)) this.fail(`unexpected ${describe(this.text, this.pos)}`);
    this.pos += word.length;
  }

  /**
   * A number: a JavaScript number when it prints back as written, else its text. Integers of up to
   * 15 digits always do, and so do decimals of up to 15 digits without a trailing zero or exponent
   * (15 significant digits survive a double both ways), above 1e-6 (JavaScript prints smaller ones
   * with an exponent); so do decimals of 16 or 17 digits where decimals of that many digits are
   * further apart than doubles (see printsAsWritten); other literals are checked by printing them.
   *
   * The digits are read as an integer and divided by a power of ten: both exact below 2^53, so the
   * division's rounding is the one Number(text) does (the exact decimal to the nearest double).
   */
  private number(): Scalar {
    const t = this.text;
    const start = this.pos;
    let i = start;
    const negative = t.charCodeAt(i) === 0x2d;
    if (negative) i++;
    let digits = 0;
    let whole = 0;
    let c = t.charCodeAt(i);
    if (c === 0x30) {
      i++;
      digits++;
    } else if (c >= 0x31 && c <= 0x39) {
      while (c >= 0x30 && c <= 0x39) {
        whole = whole * 10 + (c - 0x30);
        digits++;
        c = t.charCodeAt(++i);
      }
    } else this.fail(`bad number ${describe(t, start)}`);
    let simple = true;
    let mantissa = whole;
    let fraction = 0;
    if (t.charCodeAt(i) === 0x2e /* . */) {
      const fractionStart = ++i;
      c = t.charCodeAt(i);
      while (c >= 0x30 && c <= 0x39) {
        mantissa = mantissa * 10 + (c - 0x30);
        digits++;
        c = t.charCodeAt(++i);
      }
      fraction = i - fractionStart;
      if (fraction === 0) this.fail("a number needs digits after its decimal point", i);
      if (t.charCodeAt(i - 1) === 0x30 || (whole === 0 && t.startsWith("000000", fractionStart))) simple = false;
    } else if (digits <= 15 && !(negative && whole === 0)) {
      c = t.charCodeAt(i);
      if (c !== 0x65 && c !== 0x45) {
        this.pos = i;
        return negative ? -whole : whole;
      }
    }
    c = t.charCodeAt(i);
    if (c === 0x65 || c === 0x45 /* e E */) {
      simple = false;
      c = t.charCodeAt(++i);
      if (c === 0x2b || c === 0x2d) c = t.charCodeAt(++i);
      const expStart = i;
      while (c >= 0x30 && c <= 0x39) c = t.charCodeAt(++i);
      if (i === expStart) this.fail("a number needs digits in its exponent", i);
    }
    this.pos = i;
    if (simple && fraction > 0 && digits <= 17 && mantissa <= MAX_EXACT) {
      const n = (negative ? -mantissa : mantissa) / POWERS_OF_TEN[fraction]!;
      if (digits <= 15 && !(negative && n === 0)) return n;
      if (whole > 0 && printsAsWritten(n, fraction)) return n;
    }
    const literal = t.slice(start, i);
    const n = Number(literal);
    if (simple && digits <= 15 && !(negative && n === 0)) return n;
    return String(n) === literal ? n : literal;
  }

  /**
   * The path of the key at the opening quote, in the object at `node`, after the key `previous`.
   * Lines of a log repeat their keys in the same order, so the key that came after `previous` last
   * time is checked first, by comparing text; only another key is cut out and looked up.
   */
  private key(node: PathNode, previous: PathNode | undefined): PathNode {
    const t = this.text;
    const guess = previous === undefined ? node.first : previous.next;
    const written = guess?.written;
    if (written !== undefined) {
      // (Comparing a slice is faster on V8 than startsWith at a position or a loop over characters.)
      const end = this.pos + 1 + written.length;
      if (t.charCodeAt(end) === 0x22 && t.slice(this.pos + 1, end) === written) {
        this.pos = end + 1;
        return guess!;
      }
    }
    const child = node.child(this.string());
    if (previous === undefined) node.first = child;
    else previous.next = child;
    return child;
  }

  /** A string value at `node`: added as where it is in the line when it has no escapes. */
  private stringValue(node: PathNode): void {
    const t = this.text;
    const start = this.pos + 1;
    let hash = HASH_START;
    for (let i = start; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (c === 0x22) {
        this.pos = i + 1;
        if (node.slot !== undefined) this.row.addText(node.slot, t, start, i, hash);
        return;
      }
      if (c === 0x5c || c < 0x20) break;
      hash = hashStep(hash, c);
    }
    const s = this.string();
    if (node.slot !== undefined) this.row.add(node.slot, s);
  }

  /** A string starting at the opening quote; returns its value, the position after the closing quote. */
  string(): string {
    const t = this.text;
    const start = this.pos + 1;
    let i = start;
    // Fast path: no escapes, the value is a slice of the line.
    while (i < t.length) {
      const c = t.charCodeAt(i);
      if (c === 0x22) {
        this.pos = i + 1;
        return t.slice(start, i);
      }
      if (c === 0x5c || c < 0x20) break;
      i++;
    }
    let out = t.slice(start, i);
    while (i < t.length) {
      const c = t.charCodeAt(i);
      if (c === 0x22) {
        this.pos = i + 1;
        return out;
      }
      if (c < 0x20) this.fail("control character inside a string", i);
      if (c !== 0x5c) {
        // Copy the run up to the next quote or backslash.
        let j = i + 1;
        while (j < t.length) {
          const d = t.charCodeAt(j);
          if (d === 0x22 || d === 0x5c || d < 0x20) break;
          j++;
        }
        out += t.slice(i, j);
        i = j;
        continue;
      }
      const e = t.charCodeAt(i + 1);
      switch (e) {
        case 0x22:
          out += '"';
          break;
        case 0x5c:
          out += "\\";
          break;
        case 0x2f:
          out += "/";
          break;
        case 0x62:
          out += "\b";
          break;
        case 0x66:
          out += "\f";
          break;
        case 0x6e:
          out += "\n";
          break;
        case 0x72:
          out += "\r";
          break;
        case 0x74:
          out += "\t";
          break;
        case 0x75: {
          const hex = t.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail("bad \\u escape", i);
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
          continue;
        }
        default:
          this.fail(Number.isNaN(e) ? "unterminated string" : `bad escape \\${t[i + 1]}`, i);
      }
      i += 2;
    }
    return this.fail("unterminated string", start - 1);
  }
}

/** 2^53: integers up to here are exact doubles. */
const MAX_EXACT = 2 ** 53;
/** 10^0 .. 10^17, all exact doubles. */
const POWERS_OF_TEN = Array.from({ length: 18 }, (_, k) => 10 ** k);
const LOG2_10 = Math.log2(10);
const bits = new Float64Array(1);
const high = new Int32Array(bits.buffer, 4, 1);

/**
 * Whether String(n) gives back the decimal it was read from, for a decimal of 16 or 17 significant
 * digits with a nonzero integer part, `fraction` digits after the point and no trailing zero.
 * JavaScript prints the fewest digits that read back as n (ECMA-262 Number::toString). When
 * decimals with that many fraction digits are further apart (10^-fraction) than n and the next
 * double (2^(e-52) for n in [2^e, 2^(e+1))), no other decimal of as many digits or fewer reads
 * back as n, as two that did would be closer together than that: the fewest digits are the
 * decimal's own, and it is printed as written. (fraction * log2(10) is never within 1e-6 of an
 * integer for fraction <= 17, so the comparison is exact.)
 */
function printsAsWritten(n: number, fraction: number): boolean {
  bits[0] = n;
  const e = ((high[0]! >>> 20) & 0x7ff) - 1023;
  return 52 - e > fraction * LOG2_10;
}

function describe(text: string, pos: number): string {
  if (pos >= text.length) return "the end of the line";
  const word = /[A-Za-z_][A-Za-z0-9_]{0,19}/y;
  word.lastIndex = pos;
  const w = word.exec(text);
  if (w !== null) return `'${w[0]}'`;
  const ch = text.codePointAt(pos)!;
  return ch < 0x20 ? `character 0x${ch.toString(16).padStart(2, "0")}` : `'${String.fromCodePoint(ch)}'`;
}

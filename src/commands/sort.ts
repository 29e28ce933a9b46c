import type { ArgReader } from "../parse/args.js";
import type { Span } from "../parse/ast.js";
import * as T from "../parse/lexer.js";
import { parseIp } from "../search/match.js";
import type { Column, Table } from "../table/table.js";
import { isMulti, scalarNumber, scalarText } from "../table/value.js";
import { defineCommand } from "./command.js";
import { intOption, isCount, readField, readOption, type FieldArg } from "./options.js";

/** How values compare: `auto` (numbers numerically, IPs as IPs, else lexicographically), or forced. */
export type SortCollation = "auto" | "str" | "ip" | "num";

/** One `[+|-]<field>` or `[+|-]num(<field>)` of a sort-by clause. */
export interface SortKey {
  readonly field: FieldArg;
  readonly descending: boolean;
  readonly collation: SortCollation;
  /** The whole key as written, sign included. */
  readonly span: Span;
}

/** `sort [<count> | limit=<count>] <sort-by-clause>... [d|desc]` (searchbnf 8.2.12 `[sort-command]`). */
export interface SortArgs {
  /** Rows kept: 10000 when no count is given (Splunk's default), 0 = all. */
  readonly limit: number;
  readonly keys: readonly SortKey[];
  /** A trailing `d`/`desc` reverses the final order. */
  readonly reverse: boolean;
}

const COLLATED = /^(auto|str|ip|num)\((.*)\)$/i;

/**
 * Sort-by clauses (`[+|-]<field>`, `[+|-](auto|str|ip|num)(<field>)`, commas optional), until the
 * end, a non-field, or `stop(r, keysSoFar)`. Shared with `dedup ... sortby`.
 * `-count` lexes as one word; a `-` followed by white space sets the direction of every following
 * field without its own sign (sort doc: "If white space follows +/-, the sort order is applied to all
 * following fields without a different explicit sort order").
 */
export function readSortKeys(r: ArgReader, stop: (r: ArgReader, keys: number) => boolean = () => false): SortKey[] {
  const keys: SortKey[] = [];
  let defaultDescending = false;
  let danglingSign: FieldArg | undefined;
  while (!r.atEnd()) {
    if (r.accept(T.Comma)) continue;
    if (stop(r, keys.length) || !r.atValue()) break;
    const quoted = r.peek()!.tokenType === T.DQString;
    const written = readField(r, "a field to sort by");
    let text = written.name;
    let start = written.span.start;
    let sign: string | undefined;
    if (!quoted && (text.startsWith("+") || text.startsWith("-"))) {
      [sign, text, start] = [text[0], text.slice(1), start + 1];
    }
    if (text === "") {
      defaultDescending = sign === "-";
      danglingSign = written;
      continue;
    }
    danglingSign = undefined;
    const collated = quoted ? null : COLLATED.exec(text);
    let field: FieldArg = { name: text, span: { start, end: written.span.end } };
    if (collated) {
      const inner = collated[2]!.trim();
      const name = /^".*"$/.test(inner) ? inner.slice(1, -1) : inner;
      if (name === "") r.fail("bad-argument", `${r.command}: expected a field name inside ${collated[1]}( )`, written.span);
      field = { name, span: { start: start + collated[1]!.length + 1, end: written.span.end - 1 } };
    }
    const collation = (collated?.[1]?.toLowerCase() ?? "auto") as SortCollation;
    keys.push({ field, descending: sign === undefined ? defaultDescending : sign === "-", collation, span: written.span });
  }
  if (danglingSign) r.fail("bad-argument", `${r.command}: '${danglingSign.name}' must be followed by a field to sort by`, danglingSign.span);
  return keys;
}

/** A final `d`/`desc` word (the last argument, after at least one key) is the reverse flag, not a field. */
const atReverse = (r: ArgReader, keys: number): boolean => keys > 0 && r.atWord("d", "desc") && r.peek(1) === undefined;

export const sort = defineCommand<SortArgs>({
  name: "sort",
  parse(r: ArgReader) {
    // "If no number is specified, the default limit of 10000 is used. If number is 0, all results
    // will be returned." The count may also be written limit=<int> (sort doc, 9.0).
    let limit = 10000;
    const t = r.peek();
    if (t?.tokenType === T.Word && isCount(t.image)) limit = Number(r.next().image);
    const keys: SortKey[] = [];
    let reverse = false;
    while (!r.atEnd()) {
      if (readOption(r, { limit: (o) => (limit = intOption(o, r)) })) continue;
      if (atReverse(r, keys.length)) {
        r.next();
        reverse = true;
        continue;
      }
      const more = readSortKeys(r, (r, n) => r.atOption() || atReverse(r, keys.length + n));
      if (more.length === 0) r.failHere("expected a field to sort by");
      keys.push(...more);
    }
    if (keys.length === 0) r.failHere("expected a field to sort by, as in sort -count");
    return { limit, keys, reverse };
  },
  run(args, input) {
    const order = sortOrder(input, args.keys, args.reverse);
    const n = args.limit === 0 ? order.length : Math.min(args.limit, order.length);
    return input.take(n === order.length ? order : order.subarray(0, n));
  },
});

// ---- ordering (shared with dedup ... sortby) --------------------------------------------------------

/**
 * Classes of sort values, in ascending order. Missing values are apart: "Results missing a given
 * field are treated as having the smallest or largest possible value of that field if the order is
 * descending or ascending, respectively" (sort doc 9.0,
 * https://help.splunk.com/splunk-enterprise/spl-search-reference/9.0/search-commands/sort), i.e.
 * last in both directions.
 */
const NUMBER = 0;
const IP = 1;
const TEXT = 2;
const MISSING = 3;

/** A string starting with a digit: "If the string starts with a number, the string is sorted numerically based on that number alone". */
const LEADING_NUMBER = /^\d+(?:\.\d+)?/;

/** An IP address as a string that orders like the address: IPv4 before IPv6, then byte by byte. */
function ipKey(text: string): string | undefined {
  const ip = parseIp(text);
  if (!ip) return undefined;
  let key = ip.kind() === "ipv4" ? "4" : "6";
  for (const byte of ip.toByteArray()) key += byte.toString(16).padStart(2, "0");
  return key;
}

/** One key's sort value for every row: a class, and a number or a string within the class. */
interface KeyValues {
  readonly cls: Uint8Array;
  readonly num: Float64Array;
  readonly text: Array<string | undefined>;
  readonly descending: boolean;
}

/**
 * Sort values of one key. A multivalue sorts by its first value (UNCONFIRMED).
 * - auto: numbers numerically; IP addresses as addresses; other strings starting with a digit by
 *   that leading number; other strings lexicographically (searchbnf [sort-command]: "auto: Determine
 *   automatically how to sort the field's values"; the leading-number rule is the sort doc's
 *   "Alphanumeric strings are sorted based on the data type of the first character", quoted at
 *   https://www.devopsschool.com/tutorial/splunk/commands/sort.html). Numbers come before IPs,
 *   IPs before other strings.
 * - num: numbers numerically, then non-numbers lexicographically; ip: addresses, then the rest
 *   lexicographically; str: everything lexicographically.
 * Lexicographic is by UTF-16 code unit, which is UTF-8 byte order ("Lexicographical order",
 * https://help.splunk.com/en/splunk-enterprise/search/spl2-search-manual/sort-and-order: numbers
 * before letters, uppercase before lowercase) except between surrogate pairs and U+E000-U+FFFF.
 */
function keyValues(column: Column | undefined, key: SortKey, length: number, reverse: boolean): KeyValues {
  const cls = new Uint8Array(length).fill(MISSING);
  const num = new Float64Array(length);
  const text = new Array<string | undefined>(length);
  if (column) {
    for (let row = 0; row < length; row++) {
      const value = column.get(row);
      const first = isMulti(value) ? value[0] : value;
      if (first === null || first === undefined) continue;
      if (key.collation !== "str") {
        const n = key.collation === "ip" ? null : scalarNumber(first);
        if (n !== null) {
          cls[row] = NUMBER;
          num[row] = n;
          continue;
        }
      }
      const s = scalarText(first);
      if (key.collation !== "str") {
        const ip = key.collation === "num" ? undefined : ipKey(s);
        if (ip !== undefined) {
          cls[row] = IP;
          text[row] = ip;
          continue;
        }
        const leading = key.collation === "auto" ? LEADING_NUMBER.exec(s) : null;
        if (leading) {
          cls[row] = NUMBER;
          num[row] = Number(leading[0]);
          continue;
        }
      }
      cls[row] = TEXT;
      text[row] = s;
    }
  }
  return { cls, num, text, descending: key.descending !== reverse };
}

/**
 * The row order of `table` sorted by `keys`: stable (ties keep their input order), missing values
 * last in both directions. `reverse` (a trailing d/desc) flips every key's direction: "Reverses the
 * order of the results. If multiple fields are specified, reverses the order of the values in the
 * fields in the order in which the fields are specified" (sort doc 9.0); missing values stay last.
 */
export function sortOrder(table: Table, keys: readonly SortKey[], reverse = false): Uint32Array {
  const length = table.length;
  const values = keys.map((k) => keyValues(table.column(k.field.name), k, length, reverse));
  const order = new Uint32Array(length);
  for (let i = 0; i < length; i++) order[i] = i;
  order.sort((a, b) => {
    for (const { cls, num, text, descending } of values) {
      const ca = cls[a]!;
      const cb = cls[b]!;
      if (ca === MISSING || cb === MISSING) {
        if (ca !== cb) return ca === MISSING ? 1 : -1;
        continue;
      }
      let d = ca - cb;
      if (d === 0) {
        if (ca === NUMBER) d = num[a]! < num[b]! ? -1 : num[a]! > num[b]! ? 1 : 0;
        else d = text[a]! < text[b]! ? -1 : text[a]! > text[b]! ? 1 : 0;
      }
      if (d !== 0) return descending ? -d : d;
    }
    return a - b;
  });
  return order;
}

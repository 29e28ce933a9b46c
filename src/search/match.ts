/**
 * Search-language matching (the `search` command, tstats WHERE, eventtype and data model constraints),
 * compiled once per table and run per row.
 *
 * Splunk's rules (spl_semantics.md §1.3, §4.5): field names are case-sensitive, values are not;
 * `*` is a wildcard; a CIDR value matches IP addresses inside it; a multivalue field matches when any
 * of its values does; `field!=v` needs the field present while `NOT field=v` does not; a bare term
 * matches a whole token of `_raw`; `earliest=`/`latest=` bound `_time`.
 *
 * Each value predicate is evaluated once per distinct value of a dictionary-coded column and
 * remembered, which is the cost of a tsidx lexicon probe rather than of a scan of strings.
 */
import ipaddr from "ipaddr.js";
import type { SearchExpr, SearchValue, Span } from "../parse/ast.js";
import { type Codes, type Column, DictColumn, type DictIndex, type Table, TakeColumn } from "../table/table.js";
import { scalarNumber, scalarText, type Scalar, type Value, valuesOf } from "../table/value.js";
import { parseTimeArg } from "../time/relative.js";

export interface MatchContext {
  readonly now: number;
  readonly tz: string;
}

/** A search-time error in a search expression (bad time modifier...), with where it was written. */
export class MatchError extends Error {
  constructor(
    message: string,
    readonly span: Span,
  ) {
    super(message);
  }
}

export type RowPredicate = (row: number) => boolean;

export function compileSearchExpr(expr: SearchExpr, table: Table, ctx: MatchContext): RowPredicate {
  return compile(expr, table, ctx, 0).test;
}

/**
 * The rows of `within` (all rows when absent), ascending, where the expression is true. Where the
 * columns have inverted indexes (data model summaries, see DictIndex), the rows come from them: the
 * part of an AND that matches the fewest rows lists its rows from the postings of the codes it
 * matches (an OR: the union of its parts'), and only those rows are tested for the rest (an OR's
 * parts' rows each, before the union), as Splunk answers tstats from tsidx. Without indexes, every
 * row is tested.
 */
export function selectRows(expr: SearchExpr, table: Table, ctx: MatchContext, within?: Uint32Array): Uint32Array {
  const plan = compile(expr, table, ctx, 0);
  if (plan.indexed) {
    const rows = plan.indexed.rows();
    if (!within) return rows;
    const listed = new Uint8Array(table.length);
    for (let i = 0; i < rows.length; i++) listed[rows[i]!] = 1;
    return within.filter((row) => listed[row] === 1);
  }
  const test = plan.test;
  const n = within ? within.length : table.length;
  const out = new Uint32Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const row = within ? within[i]! : i;
    if (test(row)) out[k++] = row;
  }
  return out.subarray(0, k);
}

/** A compiled expression: its row test, and, when indexes can answer it, its rows from them. */
interface Plan {
  readonly test: RowPredicate;
  readonly indexed?: {
    /** How many rows the index lists (an upper bound for an AND). */
    estimate(): number;
    /** The rows, ascending. */
    rows(): Uint32Array;
    /** For an OR: its parts' rows, each ascending, which together are its rows. */
    lists?(): Uint32Array[];
  };
  /**
   * The rows of a list where the expression is true (with `negate`, false), written to `out` (which
   * may be the list itself) where it can be: a loop over codes, for a dictionary-coded field.
   */
  readonly filter?: (rows: Uint32Array, negate: boolean, out: Uint32Array) => Uint32Array;
}

/**
 * The rows of `rows` where the plan's expression is true (or false, with `negate`), in `rows` itself
 * when `owned` (the caller's own array), else in a new array.
 */
function filterRows(plan: Plan, rows: Uint32Array, negate: boolean, owned: boolean): Uint32Array {
  const out = owned ? rows : new Uint32Array(rows.length);
  if (plan.filter) return plan.filter(rows, negate, out);
  let k = 0;
  for (let i = 0; i < rows.length; i++) if (plan.test(rows[i]!) !== negate) out[k++] = rows[i]!;
  return out.subarray(0, k);
}

const MAX_DEPTH = 200;

function compile(expr: SearchExpr, table: Table, ctx: MatchContext, depth: number): Plan {
  if (depth > MAX_DEPTH) throw new MatchError("search expression nested too deeply", expr.span);
  switch (expr.kind) {
    case "and": {
      // (a b) c is a b c: one AND, so that its parts are ordered together.
      const parts = flatten(expr.items, "and").map((e) => compile(e, table, ctx, depth + 1));
      const filter = (rows: Uint32Array, negate: boolean, out: Uint32Array): Uint32Array => {
        if (negate) return filterRows({ test: every(parts.map((p) => p.test)) }, rows, true, rows === out);
        let owned = rows === out;
        for (const p of parts) {
          rows = filterRows(p, rows, false, owned);
          owned = true;
        }
        return rows;
      };
      return { test: every(parts.map((p) => p.test)), indexed: andIndexed(parts, table.length), filter };
    }
    case "or": {
      const parts = flatten(expr.items, "or").map((e) => compile(e, table, ctx, depth + 1));
      return { test: some(parts.map((p) => p.test)), indexed: orIndexed(parts, table.length) };
    }
    case "not": {
      const inner = compile(expr.expr, table, ctx, depth + 1);
      const test = inner.test;
      return { test: (row) => !test(row), filter: (rows, negate, out) => filterRows(inner, rows, !negate, rows === out) };
    }
    case "compare":
      return compileCompare(expr.field, expr.op, [expr.value], table, ctx, expr.span);
    case "in":
      return compileCompare(expr.field, "=", expr.values, table, ctx, expr.span);
    case "term":
      return { test: compileTerm(expr.value, table) };
    case "subsearch":
      throw new MatchError("subsearch was not run before matching (internal error)", expr.span);
  }
}

/** The items of nested ANDs (or ORs) as one list. */
function flatten(items: readonly SearchExpr[], kind: "and" | "or"): SearchExpr[] {
  const out: SearchExpr[] = [];
  const stack = [...items].reverse();
  for (let e = stack.pop(); e !== undefined; e = stack.pop()) {
    if (e.kind === kind) for (let i = e.items.length - 1; i >= 0; i--) stack.push(e.items[i]!);
    else out.push(e);
  }
  return out;
}

/** Rows where every test is true (written out for two, the common case: this runs per row). */
function every(tests: readonly RowPredicate[]): RowPredicate {
  if (tests.length === 1) return tests[0]!;
  if (tests.length === 2) {
    const [a, b] = tests as [RowPredicate, RowPredicate];
    return (row) => a(row) && b(row);
  }
  return (row) => {
    for (let i = 0; i < tests.length; i++) if (!tests[i]!(row)) return false;
    return true;
  };
}

/** Rows where some test is true. */
function some(tests: readonly RowPredicate[]): RowPredicate {
  if (tests.length === 1) return tests[0]!;
  if (tests.length === 2) {
    const [a, b] = tests as [RowPredicate, RowPredicate];
    return (row) => a(row) || b(row);
  }
  return (row) => {
    for (let i = 0; i < tests.length; i++) if (tests[i]!(row)) return true;
    return false;
  };
}

/**
 * An AND from the part listing the fewest rows, the others tested row by row. When that part is an
 * OR, the others test each of its parts' rows before they are joined (a AND (b OR c) is
 * (a AND b) OR (a AND c)): a union of the few rows that pass rather than of all.
 */
function andIndexed(parts: readonly Plan[], tableLength: number): Plan["indexed"] {
  const listed = parts.filter((p) => p.indexed);
  if (listed.length === 0) return undefined;
  let best: Plan | undefined;
  let bestEstimate = Infinity;
  const choose = (): Plan => {
    if (best) return best;
    for (const p of listed) {
      const e = p.indexed!.estimate();
      if (e < bestEstimate) [best, bestEstimate] = [p, e];
    }
    return best ?? listed[0]!;
  };
  return {
    estimate: () => (choose(), bestEstimate),
    rows: () => {
      const driver = choose();
      const lists = driver.indexed!.lists?.() ?? [driver.indexed!.rows()];
      // The parts that let fewest rows through first (judged on a sample of the rows), so that the later ones test fewer.
      const rest = parts.filter((p) => p !== driver).map((p) => ({ p, passes: passRate(p, lists) }));
      rest.sort((a, b) => a.passes - b.passes);
      const passed = lists.map((list) => {
        let rows = list;
        let owned = false;
        for (const { p } of rest) {
          if (rows.length === 0) break;
          rows = filterRows(p, rows, false, owned);
          owned = true;
        }
        return rows;
      });
      return passed.length === 1 ? passed[0]! : union(passed, tableLength);
    },
  };
}

/** The share of up to 64 rows spread over the lists (as if one after another) that the plan lets through. */
function passRate(plan: Plan, lists: readonly Uint32Array[]): number {
  const total = lists.reduce((n, l) => n + l.length, 0);
  const samples = Math.min(64, total);
  let passed = 0;
  for (let i = 0, list = 0, before = 0; i < samples; i++) {
    const at = Math.floor((i * total) / samples);
    while (at - before >= lists[list]!.length) before += lists[list++]!.length;
    if (plan.test(lists[list]![at - before]!)) passed++;
  }
  return samples === 0 ? 0 : passed / samples;
}

/** An OR from the union of its parts' rows, when every part has them. */
function orIndexed(parts: readonly Plan[], tableLength: number): Plan["indexed"] {
  if (parts.length === 0 || !parts.every((p) => p.indexed)) return undefined;
  const lists = () => parts.map((p) => p.indexed!.rows());
  return {
    estimate: () => parts.reduce((n, p) => n + p.indexed!.estimate(), 0),
    rows: () => union(lists(), tableLength),
    lists,
  };
}

/** The union of ascending row lists, ascending (the lists themselves are not changed). */
function union(lists: readonly Uint32Array[], tableLength: number): Uint32Array {
  const nonEmpty = lists.filter((l) => l.length > 0);
  if (nonEmpty.length <= 1) return nonEmpty[0] ?? new Uint32Array(0);
  const total = nonEmpty.reduce((n, l) => n + l.length, 0);
  if (nonEmpty.length <= 8) {
    // A few lists (an OR of values): merged pairwise.
    let merged = nonEmpty[0]!;
    for (let i = 1; i < nonEmpty.length; i++) merged = merge(merged, nonEmpty[i]!);
    return merged;
  }
  if (total * 8 < tableLength) {
    // Few rows: all of them, sorted, without repeats.
    const all = new Uint32Array(total);
    let k = 0;
    for (const l of nonEmpty) (all.set(l, k), (k += l.length));
    all.sort();
    let m = 0;
    for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[m++] = all[i]!;
    return all.subarray(0, m);
  }
  const marked = new Uint8Array(tableLength);
  let count = 0;
  for (const l of nonEmpty) {
    for (let i = 0; i < l.length; i++) {
      const row = l[i]!;
      if (marked[row] === 0) (marked[row] = 1), count++;
    }
  }
  const out = new Uint32Array(count);
  for (let row = 0, k = 0; k < count; row++) if (marked[row] === 1) out[k++] = row;
  return out;
}

/** Two ascending lists as one, without repeats. */
function merge(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x <= y) {
      out[k++] = x;
      i++;
      if (x === y) j++;
    } else {
      out[k++] = y;
      j++;
    }
  }
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out.subarray(0, k);
}

type CompareOp = "=" | "!=" | "<" | "<=" | ">" | ">=";

function compileCompare(field: string, op: CompareOp, values: readonly SearchValue[], table: Table, ctx: MatchContext, span: Span): Plan {
  const timeBound = timeModifier(field, op, values, ctx, span);
  if (timeBound) return { test: timeBound(table) };
  const column = table.column(field);
  if (!column) {
    // An absent field: `x=*` and `x=v` match nothing, `x!=v` needs the field, so nothing either.
    return { test: () => false, indexed: { estimate: () => 0, rows: () => new Uint32Array(0) } };
  }
  if (op !== "=" && op !== "!=") {
    const test = orderPredicate(op, values[0]!);
    return rowTest(column, { test }, false);
  }
  const tests = values.map(valuePredicate);
  const test =
    tests.length === 1
      ? tests[0]!
      : (v: Scalar): boolean => {
          for (let i = 0; i < tests.length; i++) if (tests[i]!(v)) return true;
          return false;
        };
  // For an address column with its IPv4 addresses as integers: CIDR values test those.
  const ranges = tests.map((t) => t.cidr4);
  const cidrs = ranges.every((r) => r !== undefined)
    ? { networks: Uint32Array.from(ranges, (r) => r!.network), masks: Uint32Array.from(ranges, (r) => r!.mask) }
    : undefined;
  const exacts = tests.map((t) => t.exact);
  const exact = exacts.every((e) => e !== undefined) ? (lexicon: Lexicon) => exacts.flatMap((e) => e!(lexicon)) : undefined;
  // `field!=v`: the field is present and none of its values is v (spl_semantics §4.5).
  return op === "="
    ? rowTest(column, { test, ipv4: cidrs && { ...cidrs, negated: false }, exact }, false)
    : rowTest(column, { test: (v) => !test(v), ipv4: cidrs && { ...cidrs, negated: true } }, true);
}

/** `earliest=-1h`, `latest=now`: bounds on _time, not field comparisons. */
function timeModifier(field: string, op: CompareOp, values: readonly SearchValue[], ctx: MatchContext, span: Span) {
  const name = field.toLowerCase();
  if (name !== "earliest" && name !== "latest") return undefined;
  const value = values[0];
  if (op !== "=" || values.length !== 1 || !value) throw new MatchError(`${field} takes one time, as ${field}=-24h`, span);
  const bound = parseTimeArg(value.text, ctx.now, ctx.tz);
  if (bound === undefined) throw new MatchError(`${field}=${value.text} is not a time (expected e.g. -24h@h, now, or an epoch time)`, value.span);
  return (table: Table): RowPredicate => {
    const time = table.column("_time");
    if (!time) return () => false;
    return name === "earliest"
      ? (row) => (scalarNumber((time.get(row) as Scalar | null) ?? NaN) ?? NaN) >= bound
      : (row) => (scalarNumber((time.get(row) as Scalar | null) ?? NaN) ?? NaN) < bound;
  };
}

/** A test of single values. */
interface ValueTest {
  readonly test: (v: Scalar) => boolean;
  /**
   * When the test is of IPv4 CIDR ranges (`negated`: of none of them): the ranges, so that
   * addresses held as integers are tested without a call per value. A value that is no IPv4
   * address is in none of them.
   */
  readonly ipv4?: { readonly networks: Uint32Array; readonly masks: Uint32Array; readonly negated: boolean } | undefined;
  /** The codes that match, from the dictionary's lexicon, when the test is of plain values. */
  readonly exact?: ((lexicon: Lexicon) => readonly number[]) | undefined;
}

/**
 * A row test from a per-value test: any value of a multivalue matches (or, with `all`, every value
 * must pass: the `!=` case). Dictionary columns evaluate each distinct value once; a column with
 * an inverted index can also list the rows that match, from the postings of the codes that do.
 */
function rowTest(column: Column, { test, ipv4, exact }: ValueTest, all: boolean): Plan {
  const ofValue = (v: Value): boolean => {
    if (v === null) return false;
    if (Array.isArray(v)) return all ? v.every(test) : v.some(test);
    return test(v as Scalar);
  };
  const dict = dictionaryOf(column);
  if (!dict) return { test: (row) => ofValue(column.get(row)) };
  // Per code: 0 = not yet known, 1 = matches, 2 = does not.
  const memo = new Uint8Array(dict.dict.length);
  const { codes, rows, dict: values } = dict;
  const index = rows ? undefined : dict.index;
  // CIDR ranges over an index with addresses: each code decided from its integer.
  const addresses = ipv4 && index?.ipv4 ? addressesOf(values, index) : undefined;
  const decide = (code: number): number => {
    const kind = addresses ? addresses.kinds[code]! : 0;
    if (kind === 0) return ofValue(values[code]!) ? 1 : 2;
    const inside = kind === IPV4 && inRanges(addresses!.addresses[code]!, ipv4!);
    return inside !== ipv4!.negated ? 1 : 2;
  };
  const known = (code: number): number => {
    let k = memo[code]!;
    if (k === 0) memo[code] = k = decide(code);
    return k;
  };
  const test1 = (row: number): boolean => {
    const code = rows ? codes[rows[row]!]! : codes[row]!;
    return code >= 0 && known(code) === 1;
  };
  if (rows) return { test: test1 };

  // Every code decided at once.
  let decided = false;
  const decideAll = (): void => {
    if (decided) return;
    decided = true;
    if (addresses) decideAddresses(memo, addresses, ipv4!);
    for (let code = 0; code < values.length; code++) if (memo[code] === 0) memo[code] = decide(code);
  };
  const filter = (list: Uint32Array, negate: boolean, out: Uint32Array): Uint32Array => {
    // Deciding codes as rows meet them costs little more than reading the memo when they are addresses.
    if (list.length >= values.length && !addresses) decideAll();
    const want = negate ? 2 : 1;
    let k = 0;
    if (decided) {
      // Every code known: a read of the memo per row (a null, code -1, matches nothing).
      for (let i = 0; i < list.length; i++) {
        const row = list[i]!;
        const code = codes[row]!;
        if ((code < 0 ? 2 : memo[code]!) === want) out[k++] = row;
      }
      return out.subarray(0, k);
    }
    for (let i = 0; i < list.length; i++) {
      const code = codes[list[i]!]!;
      if ((code < 0 ? 2 : known(code)) === want) out[k++] = list[i]!;
    }
    return out.subarray(0, k);
  };
  if (!index) return { test: test1, filter };

  // The postings of the matching codes: those the lexicon lists for plain values, else every code tested.
  let matching: number[] | undefined;
  let count = 0;
  const match = (): number[] => {
    if (matching) return matching;
    const found: number[] = [];
    const take = (code: number): void => {
      const n = index.starts[code + 1]! - index.starts[code]!;
      if (n > 0) {
        found.push(code);
        count += n;
      }
    };
    if (exact) {
      for (const code of new Set(exact(lexiconOf(values)))) {
        memo[code] = 1;
        take(code);
      }
      found.sort((a, b) => a - b);
    } else {
      decideAll();
      for (let code = 0; code < values.length; code++) if (memo[code] === 1) take(code);
    }
    return (matching = found);
  };
  // Listing the rows costs a test of every dictionary value unless the lexicon has them: worth it
  // only for a dictionary much smaller than the table (else testing the rows is as cheap).
  if (!exact && values.length * 16 > codes.length) return { test: test1, filter };
  return {
    test: test1,
    filter,
    indexed: {
      estimate: () => (match(), count),
      rows: () =>
        union(
          match().map((code) => index.rows.subarray(index.starts[code]!, index.starts[code + 1]!)),
          column.length,
        ),
    },
  };
}

function dictionaryOf(column: Column): { codes: Codes; dict: readonly Value[]; rows?: Uint32Array; index?: DictIndex } | undefined {
  if (column instanceof DictColumn) return { codes: column.codes, dict: column.dict, ...(column.index ? { index: column.index } : {}) };
  if (column instanceof TakeColumn && column.base instanceof DictColumn) return { codes: column.base.codes, dict: column.base.dict, rows: column.rows };
  return undefined;
}

const IPV4 = 1;
const NOT_IPV4 = 2;

/**
 * What each value of an address dictionary is, as CIDR matching sees it (parseIp): an IPv4 address
 * (IPV4, its integer in `addresses`: dotted quads from the index, IPv4-mapped IPv6 parsed), a
 * single value that is none (NOT_IPV4: IPv6, text, numbers), or 0 (null, multivalues: tested value
 * by value). Made once per dictionary, at the first CIDR search of one of its columns.
 */
interface Addresses {
  readonly kinds: Uint8Array;
  readonly addresses: Uint32Array;
}

const addressCache = new WeakMap<readonly Value[], Addresses>();

function addressesOf(dict: readonly Value[], index: DictIndex): Addresses {
  let found = addressCache.get(dict);
  if (found && found.kinds.length === dict.length) return found;
  const kinds = new Uint8Array(dict.length);
  const addresses = new Uint32Array(dict.length);
  const valid = index.ipv4Valid;
  for (let code = 0; code < dict.length; code++) {
    if (valid?.[code] === 1) {
      kinds[code] = IPV4;
      addresses[code] = index.ipv4![code]!;
      continue;
    }
    const v = dict[code] ?? null;
    if (v === null || Array.isArray(v)) continue;
    const ip = parseIp(scalarText(v as Scalar));
    if (ip?.kind() === "ipv4") {
      kinds[code] = IPV4;
      addresses[code] = ipv4Number(ip.toString());
    } else kinds[code] = NOT_IPV4;
  }
  addressCache.set(dict, (found = { kinds, addresses }));
  return found;
}

/** The memo (1 = matches, 2 = does not) of every single-valued code of an address dictionary, from CIDR ranges tested on integers. */
function decideAddresses(memo: Uint8Array, { kinds, addresses }: Addresses, ranges: NonNullable<ValueTest["ipv4"]>): void {
  const inside = ranges.negated ? 2 : 1;
  const outside = ranges.negated ? 1 : 2;
  for (let code = 0; code < kinds.length; code++) {
    const kind = kinds[code]!;
    if (kind === 0 || memo[code] !== 0) continue;
    memo[code] = kind === IPV4 && inRanges(addresses[code]!, ranges) ? inside : outside;
  }
}

/** Whether an IPv4 address (an integer) is in one of the ranges. */
function inRanges(ip: number, { networks, masks }: NonNullable<ValueTest["ipv4"]>): boolean {
  for (let r = 0; r < networks.length; r++) if ((ip & masks[r]!) >>> 0 === networks[r]!) return true;
  return false;
}

/**
 * A test of one field value; `cidr4`, for an IPv4 CIDR value, is its range, to test addresses held
 * as integers; `exact`, for a plain value (no wildcard, no CIDR), finds the values it matches in a
 * dictionary's lexicon.
 */
export type ValuePredicate = ((v: Scalar) => boolean) & { cidr4?: { network: number; mask: number }; exact?: (lexicon: Lexicon) => readonly number[] };

/** The test of one field value against one search value: wildcard, CIDR, number or case-insensitive text. */
export function valuePredicate(value: SearchValue): ValuePredicate {
  const text = value.text;
  if (text === "*") return () => true;
  const cidr = parseCidr(text);
  if (cidr) {
    const general = (v: Scalar): boolean => {
      const ip = parseIp(scalarText(v));
      return ip !== undefined && ip.kind() === cidr[0].kind() && ip.match(cidr);
    };
    if (cidr[0].kind() !== "ipv4") return general;
    // Dotted quads are tested as integers; anything else (IPv6, IPv4-mapped IPv6) as before.
    const bits = cidr[1];
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    const network = (ipv4Number(cidr[0].toString()) & mask) >>> 0;
    const ipv4 = (ip: number): boolean => (ip & mask) >>> 0 === network;
    return Object.assign(
      (v: Scalar): boolean => {
        const ip = typeof v === "string" ? ipv4Number(v) : -1;
        return ip >= 0 ? ipv4(ip) : general(v);
      },
      { cidr4: { network, mask } },
    );
  }
  if (hasWildcard(text)) {
    const re = wildcardRegExp(text, value.caseSensitive);
    return (v) => re.test(scalarText(v));
  }
  const literal = unescapeSearch(text);
  const n = scalarNumber(literal);
  if (n !== null) {
    // A value that is not numeric never equals numeric text, so only numeric values can match.
    return Object.assign(
      (v: Scalar): boolean => {
        const m = scalarNumber(v);
        return m !== null ? m === n : equalText(scalarText(v), literal, value.caseSensitive);
      },
      { exact: (lexicon: Lexicon) => (n === n ? (lexicon.numbers.get(n) ?? []) : []) },
    );
  }
  const lower = literal.toLowerCase();
  const test = value.caseSensitive ? (v: Scalar) => scalarText(v) === literal : (v: Scalar) => scalarText(v).toLowerCase() === lower;
  return Object.assign(test, {
    exact: (lexicon: Lexicon) => {
      const codes = lexicon.texts.get(lower) ?? [];
      return value.caseSensitive ? codes.filter((code) => valuesOf(lexicon.dict[code]!).some(test)) : codes;
    },
  });
}

/**
 * A dictionary's lexicon (the term → codes half of an inverted index): the codes of its numeric
 * values by the number they stand for, and of its other values by their lower-case text; a
 * multivalue is under each of its values. Made once per dictionary, on the first search for a
 * plain value in a column with an index.
 */
export interface Lexicon {
  readonly dict: readonly Value[];
  readonly numbers: Map<number, number[]>;
  readonly texts: Map<string, number[]>;
}

const lexicons = new WeakMap<readonly Value[], Lexicon>();

function lexiconOf(dict: readonly Value[]): Lexicon {
  let lexicon = lexicons.get(dict);
  if (lexicon) return lexicon;
  const numbers = new Map<number, number[]>();
  const texts = new Map<string, number[]>();
  const file = <K>(map: Map<K, number[]>, key: K, code: number): void => {
    const codes = map.get(key);
    if (!codes) map.set(key, [code]);
    else if (codes[codes.length - 1] !== code) codes.push(code);
  };
  for (let code = 0; code < dict.length; code++) {
    for (const v of valuesOf(dict[code] ?? null)) {
      const n = scalarNumber(v);
      if (n !== null && n === n) file(numbers, n, code);
      // Text that is not numeric: other strings, and the numbers printed NaN, Infinity, -Infinity.
      const text = scalarText(v);
      if (typeof v === "string" ? n === null : scalarNumber(text) === null) file(texts, text.toLowerCase(), code);
    }
  }
  lexicons.set(dict, (lexicon = { dict, numbers, texts }));
  return lexicon;
}

function equalText(a: string, b: string, caseSensitive: boolean): boolean {
  return caseSensitive ? a === b : a.toLowerCase() === b.toLowerCase();
}

/** `<`, `>`...: numeric when both sides are numbers, else string order. */
function orderPredicate(op: CompareOp, value: SearchValue): (v: Scalar) => boolean {
  const literal = unescapeSearch(value.text);
  const n = scalarNumber(literal);
  const cmp = (c: number) => (op === "<" ? c < 0 : op === "<=" ? c <= 0 : op === ">" ? c > 0 : c >= 0);
  return (v) => {
    const m = scalarNumber(v);
    if (n !== null && m !== null) return cmp(m - n);
    const s = scalarText(v);
    return cmp(s < literal ? -1 : s > literal ? 1 : 0);
  };
}

/** A bare term or quoted phrase: found in `_raw` as whole tokens, case-insensitively. */
function compileTerm(value: SearchValue, table: Table): RowPredicate {
  const raw = table.column("_raw");
  if (value.text === "*") return () => true;
  if (!raw) return () => false;
  const pattern = value.text
    .split("*")
    .map((part) => escapeRegExp(unescapeSearch(part)))
    .join("\\S*");
  // Tokens are bounded by Splunk's breakers; a leading or trailing * lets the token continue.
  const before = value.text.startsWith("*") ? "" : "(?<![A-Za-z0-9_])";
  const after = value.text.endsWith("*") ? "" : "(?![A-Za-z0-9_])";
  const re = new RegExp(`${before}${pattern}${after}`, value.caseSensitive ? "" : "i");
  return (row) => {
    const v = raw.get(row);
    return v !== null && re.test(typeof v === "string" ? v : String(v));
  };
}

const wildcardCache = new Map<string, RegExp>();

function wildcardRegExp(text: string, caseSensitive: boolean): RegExp {
  const key = `${caseSensitive ? "c" : "i"}:${text}`;
  let re = wildcardCache.get(key);
  if (!re) {
    let pattern = "";
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (c === "\\" && i + 1 < text.length) pattern += escapeRegExp(text[++i]!);
      else if (c === "*") pattern += "[\\s\\S]*";
      else pattern += escapeRegExp(c);
    }
    re = new RegExp(`^${pattern}$`, caseSensitive ? "" : "i");
    if (wildcardCache.size > 10_000) wildcardCache.clear();
    wildcardCache.set(key, re);
  }
  return re;
}

function hasWildcard(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === "*") return true;
  }
  return false;
}

/** In unquoted search values a backslash escapes the next character (`\\` is one backslash). */
function unescapeSearch(text: string): string {
  return text.includes("\\") ? text.replace(/\\(.)/g, "$1") : text;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

const cidrShape = /^[0-9A-Fa-f:.]+\/\d{1,3}$/;

/** `10.0.0.0/8`, `FE80::/10`: a CIDR range, or undefined for any other value. */
export function parseCidr(text: string): Cidr | undefined {
  if (!cidrShape.test(text)) return undefined;
  try {
    return ipaddr.parseCIDR(text) as Cidr;
  } catch {
    return undefined;
  }
}

/**
 * A dotted-quad IPv4 address as an unsigned 32-bit integer, or -1: exactly the texts parseIp reads
 * as IPv4 without IPv6 notation (four decimal parts of 0 to 255, no leading zeros).
 */
export function ipv4Number(text: string): number {
  const n = text.length;
  if (n < 7 || n > 15) return -1;
  let ip = 0;
  let part = 0;
  let digits = 0;
  let parts = 0;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 0x2e;
    if (c === 0x2e) {
      if (digits === 0 || part > 255 || ++parts > 4) return -1;
      ip = ip * 256 + part;
      part = 0;
      digits = 0;
    } else if (c >= 0x30 && c <= 0x39) {
      if (digits === 1 && part === 0) return -1; // a leading zero
      part = part * 10 + (c - 0x30);
      digits++;
    } else return -1;
  }
  return parts === 4 ? ip : -1;
}

const ipCache = new Map<string, ipaddr.IPv4 | ipaddr.IPv6 | null>();

/** An IPv4 or IPv6 address (IPv4-mapped IPv6 seen as IPv4), or undefined. */
export function parseIp(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  let ip = ipCache.get(text);
  if (ip === undefined) {
    ip = null;
    // Only dotted-quad IPv4: ipaddr.js would also read legacy forms such as "10" or "0xa" as addresses.
    if (ipaddr.IPv4.isValidFourPartDecimal(text) || (text.includes(":") && ipaddr.IPv6.isValid(text))) {
      const parsed = ipaddr.parse(text);
      ip = parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress() ? (parsed as ipaddr.IPv6).toIPv4Address() : parsed;
    }
    if (ipCache.size > 100_000) ipCache.clear();
    ipCache.set(text, ip);
  }
  return ip ?? undefined;
}

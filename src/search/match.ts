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
import { DictColumn, TakeColumn, type Column, type Table } from "../table/table.js";
import { scalarNumber, scalarText, type Scalar, type Value } from "../table/value.js";
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
  return compile(expr, table, ctx, 0);
}

const MAX_DEPTH = 200;

function compile(expr: SearchExpr, table: Table, ctx: MatchContext, depth: number): RowPredicate {
  if (depth > MAX_DEPTH) throw new MatchError("search expression nested too deeply", expr.span);
  switch (expr.kind) {
    case "and": {
      const parts = expr.items.map((e) => compile(e, table, ctx, depth + 1));
      return (row) => parts.every((p) => p(row));
    }
    case "or": {
      const parts = expr.items.map((e) => compile(e, table, ctx, depth + 1));
      return (row) => parts.some((p) => p(row));
    }
    case "not": {
      const inner = compile(expr.expr, table, ctx, depth + 1);
      return (row) => !inner(row);
    }
    case "compare":
      return compileCompare(expr.field, expr.op, [expr.value], table, ctx, expr.span);
    case "in":
      return compileCompare(expr.field, "=", expr.values, table, ctx, expr.span);
    case "term":
      return compileTerm(expr.value, table);
    case "subsearch":
      throw new MatchError("subsearch was not run before matching (internal error)", expr.span);
  }
}

type CompareOp = "=" | "!=" | "<" | "<=" | ">" | ">=";

function compileCompare(field: string, op: CompareOp, values: readonly SearchValue[], table: Table, ctx: MatchContext, span: Span): RowPredicate {
  const timeBound = timeModifier(field, op, values, ctx, span);
  if (timeBound) return timeBound(table);
  const column = table.column(field);
  if (!column) {
    // An absent field: `x=*` and `x=v` match nothing, `x!=v` needs the field, so nothing either.
    return () => false;
  }
  if (op !== "=" && op !== "!=") {
    const test = orderPredicate(op, values[0]!);
    return rowTest(column, test, false);
  }
  const tests = values.map(valuePredicate);
  const any = (v: Scalar) => tests.some((t) => t(v));
  // `field!=v`: the field is present and none of its values is v (spl_semantics §4.5).
  return op === "=" ? rowTest(column, any, false) : rowTest(column, (v) => !any(v), true);
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

/**
 * A row test from a per-value test: any value of a multivalue matches (or, with `all`, every value
 * must pass: the `!=` case). Dictionary columns evaluate each distinct value once.
 */
function rowTest(column: Column, test: (v: Scalar) => boolean, all: boolean): RowPredicate {
  const ofValue = (v: Value): boolean => {
    if (v === null) return false;
    if (Array.isArray(v)) return all ? v.every(test) : v.some(test);
    return test(v as Scalar);
  };
  const dict = dictionaryOf(column);
  if (!dict) return (row) => ofValue(column.get(row));
  // 0 = not yet known, 1 = matches, 2 = does not.
  const memo = new Uint8Array(dict.dict.length);
  const { codes, rows, dict: values } = dict;
  return (row) => {
    const code = rows ? codes[rows[row]!]! : codes[row]!;
    if (code < 0) return false;
    let known = memo[code]!;
    if (known === 0) {
      known = ofValue(values[code]!) ? 1 : 2;
      memo[code] = known;
    }
    return known === 1;
  };
}

function dictionaryOf(column: Column): { codes: Int32Array; dict: readonly Value[]; rows?: Uint32Array } | undefined {
  if (column instanceof DictColumn) return { codes: column.codes, dict: column.dict };
  if (column instanceof TakeColumn && column.base instanceof DictColumn) return { codes: column.base.codes, dict: column.base.dict, rows: column.rows };
  return undefined;
}

/** The test of one field value against one search value: wildcard, CIDR, number or case-insensitive text. */
export function valuePredicate(value: SearchValue): (v: Scalar) => boolean {
  const text = value.text;
  if (text === "*") return () => true;
  const cidr = parseCidr(text);
  if (cidr) {
    return (v) => {
      const ip = parseIp(scalarText(v));
      return ip !== undefined && ip.kind() === cidr[0].kind() && ip.match(cidr);
    };
  }
  if (hasWildcard(text)) {
    const re = wildcardRegExp(text, value.caseSensitive);
    return (v) => re.test(scalarText(v));
  }
  const literal = unescapeSearch(text);
  const n = scalarNumber(literal);
  if (n !== null) {
    return (v) => {
      const m = scalarNumber(v);
      return m !== null ? m === n : equalText(scalarText(v), literal, value.caseSensitive);
    };
  }
  const lower = literal.toLowerCase();
  return value.caseSensitive ? (v) => scalarText(v) === literal : (v) => scalarText(v).toLowerCase() === lower;
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

/**
 * Aggregation terms shared by stats and tstats: `count`, `dc(x)`, `values(x) AS y`,
 * `count(eval(x>1))`, `perc95(x)`, and by-clauses.
 */
import type { EvalExpr, Span } from "../parse/ast.js";
import type { ArgReader } from "../parse/args.js";
import * as T from "../parse/lexer.js";
import { ArrayColumn, type Column, Table } from "../table/table.js";
import { fromValues, scalarNumber, scalarText, toNumber, valuesOf, type Scalar, type Value } from "../table/value.js";

export interface Aggregation {
  /** Canonical function name: `count`, `dc`, `avg`, `values`, `perc` ... (aliases resolved). */
  readonly fn: string;
  /** For perc/p/exactperc/upperperc: the percentile (perc95 → 95). */
  readonly percentile?: number;
  /** The field aggregated; absent for a bare `count` or an `eval(...)` argument. */
  readonly field?: string;
  /** `count(eval(x>1))`: the expression whose non-null values are aggregated. */
  readonly evalExpr?: EvalExpr;
  /** Output column: the AS name, else the call as written (`values(All_Traffic.dest_port)`), as Splunk names it. */
  readonly as: string;
  readonly span: Span;
}

const aliases: Record<string, string> = { c: "count", distinct_count: "dc", mean: "avg" };

/** searchbnf 8.2.12 [stats-command] function list; perc<N>, p<N>, exactperc<N>, upperperc<N> take a number. */
const functions = new Set([
  "count", "dc", "avg", "stdev", "stdevp", "var", "varp", "sum", "sumsq", "min", "max", "range", "mode", "median",
  "earliest", "latest", "earliest_time", "latest_time", "first", "last", "list", "values", "estdc", "estdc_error",
  "rate", "rate_avg", "rate_sum", "sparkline",
]);

const percentile = /^(perc|p|exactperc|upperperc)(\d+(?:\.\d+)?)$/i;

export function isAggregationStart(r: ArgReader): boolean {
  if (!r.atValue()) return false;
  const word = r.peek()!.image.toLowerCase();
  return functions.has(aliases[word] ?? word) || percentile.test(word);
}

/** One aggregation term with its optional `AS name`. */
export function readAggregation(r: ArgReader): Aggregation {
  const nameToken = r.next();
  const written = nameToken.image.toLowerCase();
  const pct = percentile.exec(written);
  const fn = pct ? pct[1]!.toLowerCase() : (aliases[written] ?? written);
  if (!pct && !functions.has(fn)) {
    r.fail("bad-argument", `${r.command}: unknown statistical function '${nameToken.image}'`, {
      start: nameToken.startOffset,
      end: T.tokenEnd(nameToken),
    });
  }
  let field: string | undefined;
  let evalExpr: EvalExpr | undefined;
  const start = nameToken.startOffset;
  if (r.peek()?.tokenType === T.LParen && r.peek()!.startOffset === T.tokenEnd(nameToken)) {
    const { inner } = r.parenthesised();
    if (fn === "sparkline") {
      // sparkline(count(x), 1h): a chart of another aggregation, kept as written.
      while (!inner.atEnd()) inner.next();
    } else if (inner.atWord("eval") && inner.peek(1)?.tokenType === T.LParen) {
      inner.next();
      const { inner: expr } = inner.parenthesised();
      evalExpr = expr.evalExpression();
    } else {
      field = inner.value("a field name").text;
    }
    inner.end();
  } else if (fn !== "count" && fn !== "sparkline") {
    r.fail("bad-argument", `${r.command}: ${nameToken.image} needs a field, as ${nameToken.image}(field)`, {
      start: nameToken.startOffset,
      end: T.tokenEnd(nameToken),
    });
  }
  const callEnd = r.offset;
  const callText = r.text.slice(start, callEnd).replace(/\s+/g, "");
  let as = callText;
  if (r.acceptWord("as")) as = readOutputName(r);
  const base = { fn, as, span: { start, end: r.offset } };
  return {
    ...base,
    ...(pct ? { percentile: Number(pct[2]) } : {}),
    ...(field !== undefined ? { field } : {}),
    ...(evalExpr ? { evalExpr } : {}),
  };
}

/** Fields of a `by` clause, separated by spaces or commas, up to a word in `stopWords` or an option. */
export function readFieldList(r: ArgReader, stopWords: readonly string[] = [], stopAtOption = false): Array<{ field: string; span: Span }> {
  const out: Array<{ field: string; span: Span }> = [];
  while (!r.atEnd()) {
    if (r.accept(T.Comma)) continue;
    if (stopAtOption && r.atOption()) break;
    if (stopWords.length > 0 && r.atWord(...stopWords)) break;
    if (!r.atValue()) break;
    const v = r.value("a field name");
    out.push({ field: v.text, span: v.span });
  }
  return out;
}

/** An AS name; Splunk keeps `aceFlags(inheritance)` as one name, parentheses and all. */
function readOutputName(r: ArgReader): string {
  const value = r.value("an output field name after AS");
  let name = value.text;
  while (r.peek()?.tokenType === T.LParen && r.peek()!.startOffset === r.offset) {
    const { span } = r.parenthesised();
    name += r.text.slice(span.start, span.end);
  }
  return name;
}

// ---- running aggregations (stats, tstats, eventstats) ------------------------------------------------

/** A group-by field as the output names it, and where its values come from. */
export interface GroupField {
  /** Output column name (the field as written). */
  readonly name: string;
  /** Values for a row (already binned for `_time span=`). */
  readonly values: (row: number) => Value;
}

export interface AggregateOptions {
  /** tstats fillnull_value: a null group-by value becomes this string instead of dropping the row. */
  readonly fillnull?: string;
  /** Per-aggregation value sources: the field's column, or a compiled eval(...) expression. */
  readonly source: (agg: Aggregation) => ((row: number) => Value) | undefined;
  /** `_time` of a row, for earliest/latest. */
  readonly time?: (row: number) => Value;
}

/**
 * One output row per distinct combination of group-by values (a multivalue group-by value puts the
 * row in one group per value, as stats does), sorted by the group-by values; columns are the
 * group-by fields then the aggregations (spl_semantics §1.4, §1.5).
 */
export function aggregate(rows: ArrayLike<number>, by: readonly GroupField[], aggs: readonly Aggregation[], options: AggregateOptions): Table {
  const sources = aggs.map((a) => options.source(a));
  const bare = aggs.map((a) => a.field === undefined && a.evalExpr === undefined);
  const groups = new GroupIndex(by.length);
  const addRow = (row: number, key: readonly Scalar[]): void => {
    const group = groups.get(key, () => ({ key: [...key], accs: aggs.map(newAccumulator) }));
    const t = options.time ? toNumber(options.time(row)) : null;
    for (let a = 0; a < aggs.length; a++) group.accs[a]!.add(sources[a] ? sources[a]!(row) : null, t, bare[a]!);
  };
  const values: Value[] = new Array(by.length);
  const keyParts: Scalar[][] = by.map(() => []);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    let dropped = false;
    let multi = false;
    for (let b = 0; b < by.length; b++) {
      const v = by[b]!.values(row);
      if (v === null || (Array.isArray(v) && v.length === 0)) {
        if (options.fillnull === undefined) {
          dropped = true;
          break;
        }
        values[b] = options.fillnull;
      } else {
        values[b] = v;
        if (Array.isArray(v)) multi = true;
      }
    }
    if (dropped) continue;
    // One value per field (the usual case) is one group; multivalues, one per combination.
    if (!multi) addRow(row, values as Scalar[]);
    else {
      for (let b = 0; b < by.length; b++) keyParts[b] = valuesOf(values[b]!) as Scalar[];
      forEachCombination(keyParts, (combination) => addRow(row, combination));
    }
  }
  // Without a by clause, stats still gives one row (count 0) over no input.
  if (by.length === 0 && groups.size === 0) groups.get([], () => ({ key: [], accs: aggs.map(newAccumulator) }));
  return groupTable(sortGroups(groups.inOrder), by, aggs);
}

/** The output: the by-fields, then the aggregations, one row per group. */
function groupTable(sorted: readonly Group[], by: readonly GroupField[], aggs: readonly Aggregation[]): Table {
  const columns: Array<[string, Column]> = by.map((b, i) => [b.name, new ArrayColumn(sorted.map((g) => g.key[i]!))]);
  aggs.forEach((agg, a) => columns.push([agg.as, new ArrayColumn(sorted.map((g) => g.accs[a]!.result()))]));
  return new Table(sorted.length, new Map(columns));
}

/**
 * Groups by their key: the by-values' text joined by U+0000 (rows whose values print the same are
 * one group: 445 and "445"), in the order they were made. Keys without a U+0000 in their values are
 * looked up in nested maps, one level per field, so that no joined text is built per row; the
 * others by their joined text (two keys join the same only if one of them has a U+0000 inside a
 * value, as each joined text of such keys has more of them than fields).
 */
class GroupIndex {
  private readonly root = new Map<string, unknown>();
  private readonly joined = new Map<string, Group>();
  private readonly texts: string[];
  readonly inOrder: Group[] = [];
  constructor(private readonly width: number) {
    this.texts = new Array<string>(width);
  }

  get size(): number {
    return this.inOrder.length;
  }

  get(key: readonly Scalar[], make: () => Group): Group {
    if (this.width === 0) return (this.inOrder[0] ??= make());
    const texts = this.texts;
    let nul = false;
    for (let b = 0; b < this.width; b++) {
      texts[b] = scalarText(key[b]!);
      if (texts[b]!.includes("\u0000")) nul = true;
    }
    if (nul) {
      const id = texts.join("\u0000");
      let group = this.joined.get(id);
      if (group === undefined) this.joined.set(id, (group = this.made(make)));
      return group;
    }
    let level = this.root;
    for (let b = 0; b < this.width - 1; b++) {
      let next = level.get(texts[b]!) as Map<string, unknown> | undefined;
      if (next === undefined) level.set(texts[b]!, (next = new Map()));
      level = next;
    }
    let group = level.get(texts[this.width - 1]!) as Group | undefined;
    if (group === undefined) level.set(texts[this.width - 1]!, (group = this.made(make)));
    return group;
  }

  private made(make: () => Group): Group {
    const group = make();
    this.inOrder.push(group);
    return group;
  }
}

interface Group {
  key: Scalar[];
  accs: Accumulator[];
}

/**
 * Groups sorted by their keys, field by field as compareScalars orders values, each key's number
 * (when numeric) and text worked out once, not once per comparison.
 */
function sortGroups(groups: Group[]): Group[] {
  const width = groups[0]?.key.length ?? 0;
  const fields = Array.from({ length: width }, (_, b) => scalarComparator(groups.map((g) => g.key[b]!)));
  const order = groups.map((_, i) => i);
  order.sort((i, j) => {
    for (let b = 0; b < width; b++) {
      const c = fields[b]!(i, j);
      if (c !== 0) return c;
    }
    return 0;
  });
  return order.map((i) => groups[i]!);
}

/** compareScalars of values[i] and values[j], each value's number and text worked out once. */
function scalarComparator(values: readonly Scalar[]): (i: number, j: number) => number {
  const numbers = new Float64Array(values.length);
  const numeric = new Uint8Array(values.length);
  const texts = new Array<string>(values.length);
  values.forEach((v, i) => {
    const n = scalarNumber(v);
    if (n !== null) (numbers[i] = n), (numeric[i] = 1);
    texts[i] = scalarText(v);
  });
  return (i, j) => {
    if (numeric[i] && numeric[j]) return numbers[i]! - numbers[j]!;
    if (numeric[i]) return -1;
    if (numeric[j]) return 1;
    const s = texts[i]!;
    const t = texts[j]!;
    return s < t ? -1 : s > t ? 1 : 0;
  };
}

const MAX_COMBINATIONS = 10_000;

/** Every combination of one value per group-by field (bounded: a row of huge multivalues cannot explode). */
function forEachCombination(parts: Scalar[][], visit: (key: Scalar[]) => void): void {
  const key: Scalar[] = new Array(parts.length);
  let emitted = 0;
  const walk = (i: number): void => {
    if (emitted >= MAX_COMBINATIONS) return;
    if (i === parts.length) {
      emitted++;
      visit(key);
      return;
    }
    for (const v of parts[i]!) {
      key[i] = v;
      walk(i + 1);
    }
  };
  walk(0);
}

/** Splunk's natural sort of stats output: numbers numerically (before strings), strings lexicographically. */
export function compareScalars(a: Scalar, b: Scalar): number {
  const x = scalarNumber(a);
  const y = scalarNumber(b);
  if (x !== null && y !== null) return x - y;
  if (x !== null) return -1;
  if (y !== null) return 1;
  const s = scalarText(a);
  const t = scalarText(b);
  return s < t ? -1 : s > t ? 1 : 0;
}

interface Accumulator {
  /** `bare` is true for a bare `count` (counts rows, not values). */
  add(value: Value, time: number | null, bare: boolean): void;
  result(): Value;
}

function newAccumulator(agg: Aggregation): Accumulator {
  switch (agg.fn) {
    case "count":
      return new Counter();
    case "dc":
      return new Distinct(distinctCount);
    case "values":
      return new Distinct(sortedValues);
    case "list":
      return listOf(100);
    case "min":
    case "max":
      return extreme(agg.fn);
    case "earliest":
    case "latest":
    case "earliest_time":
    case "latest_time":
      return new Timed(agg.fn.startsWith("earliest"), agg.fn.endsWith("_time"));
    case "first":
    case "last":
      return positional(agg.fn);
    default:
      return numeric(agg);
  }
}

// The accumulators of every group of every row go through these, so the common ones are small
// classes rather than closures, and a single value is not wrapped in an array to be counted.

class Counter implements Accumulator {
  private n = 0;
  add(value: Value, _time: number | null, bare: boolean): void {
    this.n += bare ? 1 : value === null ? 0 : Array.isArray(value) ? value.length : 1;
  }
  result(): Value {
    return this.n;
  }
}

const distinctCount = (values: string[]): Value => values.length;
/** "Order of values is lexigraphical" (searchbnf [stats-values]): string order, values as strings. */
const sortedValues = (values: string[]): Value => fromValues(values.sort());

/** The distinct values as text; most groups have one, so the Set is made at the second. */
class Distinct implements Accumulator {
  private only: string | undefined;
  private set: Set<string> | undefined;
  constructor(private readonly finish: (values: string[]) => Value) {}
  add(value: Value): void {
    if (value === null) return;
    if (Array.isArray(value)) for (const v of value) this.addText(scalarText(v));
    else this.addText(scalarText(value as Scalar));
  }
  private addText(text: string): void {
    if (this.set) this.set.add(text);
    else if (this.only === undefined) this.only = text;
    else if (text !== this.only) this.set = new Set([this.only, text]);
  }
  result(): Value {
    return this.finish(this.set ? [...this.set] : this.only === undefined ? [] : [this.only]);
  }
}

/** earliest/latest (the value at the first/last time) and earliest_time/latest_time (that time). */
class Timed implements Accumulator {
  private bestTime: number | null = null;
  private best: Value = null;
  constructor(
    private readonly earlier: boolean,
    private readonly timeOnly: boolean,
  ) {}
  add(value: Value, time: number | null): void {
    if (value === null || time === null) return;
    if (this.bestTime === null || (this.earlier ? time < this.bestTime : time > this.bestTime)) {
      this.bestTime = time;
      this.best = value;
    }
  }
  result(): Value {
    return this.timeOnly ? this.bestTime : this.best;
  }
}

function listOf(max: number): Accumulator {
  const out: Scalar[] = [];
  return {
    add(value) {
      for (const v of valuesOf(value)) if (out.length < max) out.push(v);
    },
    result: () => fromValues(out),
  };
}

/** min/max: numerically when there are numbers, else lexicographically (searchbnf [stats-min]). */
function extreme(fn: "min" | "max"): Accumulator {
  let num: number | null = null;
  let text: string | null = null;
  const better = fn === "min" ? (a: number, b: number) => a < b : (a: number, b: number) => a > b;
  return {
    add(value) {
      for (const v of valuesOf(value)) {
        const n = scalarNumber(v);
        if (n !== null) {
          if (num === null || better(n, num)) num = n;
        } else {
          const s = scalarText(v);
          if (text === null || (fn === "min" ? s < text : s > text)) text = s;
        }
      }
    },
    result: () => num ?? text,
  };
}

function positional(fn: "first" | "last"): Accumulator {
  let seen = false;
  let kept: Value = null;
  return {
    add(value) {
      if (value === null) return;
      if (fn === "last" || !seen) kept = value;
      seen = true;
    },
    result: () => kept,
  };
}

/** Functions of the numbers among the values; non-numeric values are ignored (stats docs, 9.3). */
function numeric(agg: Aggregation): Accumulator {
  const xs: number[] = [];
  return {
    add(value) {
      for (const v of valuesOf(value)) {
        const n = scalarNumber(v);
        if (n !== null) xs.push(n);
      }
    },
    result: () => numericResult(agg, xs),
  };
}

function numericResult(agg: Aggregation, xs: number[]): Value {
  const n = xs.length;
  if (n === 0) return null;
  const sum = xs.reduce((s, x) => s + x, 0);
  const mean = sum / n;
  const squares = xs.reduce((s, x) => s + (x - mean) * (x - mean), 0);
  switch (agg.fn) {
    case "sum":
      return sum;
    case "avg":
      return mean;
    case "sumsq":
      return xs.reduce((s, x) => s + x * x, 0);
    case "var":
      return n > 1 ? squares / (n - 1) : null;
    case "varp":
      return squares / n;
    case "stdev":
      return n > 1 ? Math.sqrt(squares / (n - 1)) : null;
    case "stdevp":
      return Math.sqrt(squares / n);
    case "range":
      return Math.max(...xs) - Math.min(...xs);
    case "median":
      return nearestRank(xs, 50);
    case "perc":
    case "p":
    case "exactperc":
    case "upperperc":
      return nearestRank(xs, agg.percentile ?? 50);
    case "mode": {
      const counts = new Map<number, number>();
      let best = xs[0]!;
      for (const x of xs) {
        const c = (counts.get(x) ?? 0) + 1;
        counts.set(x, c);
        if (c > (counts.get(best) ?? 0)) best = x;
      }
      return best;
    }
    default:
      throw new Error(`statistical function ${agg.fn} is not supported yet`);
  }
}

/** limits.conf [stats] perc_method = nearest-rank (the default). */
function nearestRank(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

/** Functions `aggregate` can compute; others are refused before a search runs. */
export const runnableFunctions: ReadonlySet<string> = new Set([
  "count", "dc", "values", "list", "min", "max", "earliest", "latest", "earliest_time", "latest_time", "first", "last",
  "sum", "avg", "sumsq", "var", "varp", "stdev", "stdevp", "range", "median", "perc", "p", "exactperc", "upperperc", "mode",
]);

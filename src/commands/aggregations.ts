/**
 * Aggregation terms shared by stats and tstats: `count`, `dc(x)`, `values(x) AS y`,
 * `count(eval(x>1))`, `perc95(x)`, and by-clauses.
 */
import type { EvalExpr, Span } from "../parse/ast.js";
import type { ArgReader } from "../parse/args.js";
import * as T from "../parse/lexer.js";
import { ArrayColumn, type Codes, type Column, DictColumn, NumberColumn, Table } from "../table/table.js";
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
  /** The column `values` reads, when it reads one as it is (not binned): dictionary codes group faster than text. */
  readonly column?: Column;
}

export interface AggregateOptions {
  /** tstats fillnull_value: a null group-by value becomes this string instead of dropping the row. */
  readonly fillnull?: string;
  /** Per-aggregation value sources: the field's column, or a compiled eval(...) expression. */
  readonly source: (agg: Aggregation) => ((row: number) => Value) | undefined;
  /** The column an aggregation's `source` reads as it is, when it reads one. */
  readonly sourceColumn?: (agg: Aggregation) => Column | undefined;
  /** `_time` of a row, for earliest/latest. */
  readonly time?: (row: number) => Value;
  /** The same times as numbers (NaN where `time` gives null), when they are in one array. */
  readonly times?: Float64Array;
}

/**
 * One output row per distinct combination of group-by values (a multivalue group-by value puts the
 * row in one group per value, as stats does), sorted by the group-by values; columns are the
 * group-by fields then the aggregations (spl_semantics §1.4, §1.5).
 */
export function aggregate(rows: ArrayLike<number>, by: readonly GroupField[], aggs: readonly Aggregation[], options: AggregateOptions): Table {
  const grouping = byCodes(rows, by, options.fillnull) ?? byText(rows, by, options.fillnull);
  const order = sortedGroups(grouping.keys, grouping.count, grouping.ranks);
  const n = order.length;
  const columns: Array<[string, Column]> = by.map((b, i) => {
    const keys = grouping.keys[i]!;
    const values = new Array<Value>(n);
    for (let j = 0; j < n; j++) values[j] = keys[order[j]!]!;
    return [b.name, new ArrayColumn(values)];
  });
  for (const agg of aggs) {
    const acc = groupedAccumulator(agg, grouping.count, options);
    acc.addAll(grouping.rows, grouping.groups, grouping.length);
    const values = new Array<Value>(n);
    for (let j = 0; j < n; j++) values[j] = acc.result(order[j]!);
    columns.push([agg.as, new ArrayColumn(values)]);
  }
  return new Table(n, new Map(columns));
}

/** Rows put in groups: row `rows[i]` in group `groups[i]`, for i < length (a row once per group it is in). */
interface Grouping {
  readonly count: number;
  readonly rows: ArrayLike<number>;
  readonly groups: Int32Array;
  readonly length: number;
  /** Per by-field, each group's value (its first row's). */
  readonly keys: ReadonlyArray<readonly Scalar[]>;
  /** Per by-field, when known: numbers in the order of the groups' values (equal for values that compare equal). */
  readonly ranks?: ReadonlyArray<Int32Array | undefined>;
}

const NO_VALUE = -1;
/** A multivalue, or text with a U+0000 (which GroupIndex joins with the next field's): grouped by text. */
const BY_TEXT = -2;

/**
 * What grouping and sorting by a dictionary's codes need to know of its values, worked out once per
 * dictionary (dictionaries do not change) as codes are met:
 *
 * - which codes print the same (a summary's dictionary holds 445 and "445" apart, and rows whose
 *   values print the same are one group): each code's representative, the first code looked at
 *   with its text;
 * - the values' order (compareScalars), as a tsidx lexicon is sorted: made at the first sort of
 *   groups many enough that sorting their values would cost about as much.
 */
class DictionaryKeys {
  /** Per code: its representative + 1; 0 = not yet looked at; NO_VALUE (null, []), BY_TEXT. */
  private reps: Int32Array;
  private readonly byText = new Map<string, number>();
  private all = false;
  /** null: a value the order cannot place (a number that is not finite). */
  private sorted: DictionaryOrder | null | undefined;
  private sortedLength = 0;
  constructor(private readonly dict: readonly Value[]) {
    this.reps = new Int32Array(dict.length);
  }

  /** The representative of a code (≥ 0), or NO_VALUE, or BY_TEXT. */
  of(code: number): number {
    const r = code < this.reps.length ? this.reps[code]! : 0;
    return r > 0 ? r - 1 : r < 0 ? r : this.learn(code);
  }

  /** The representative of the values that print as `text`, or NO_VALUE when the dictionary has none. */
  ofText(text: string): number {
    if (!this.all || this.reps.length < this.dict.length) {
      for (let code = 0; code < this.dict.length; code++) this.of(code);
      this.all = true;
    }
    return this.byText.get(text) ?? NO_VALUE;
  }

  /** The values' order, when it has been made or `groups` sorted otherwise would cost about as much; undefined when it cannot be made. */
  order(groups: number): DictionaryOrder | undefined {
    if (this.sortedLength !== this.dict.length) this.sorted = undefined;
    if (this.sorted === undefined && groups * 32 >= this.dict.length) {
      this.sorted = sortDictionary(this.dict) ?? null;
      this.sortedLength = this.dict.length;
    }
    return this.sorted ?? undefined;
  }

  private learn(code: number): number {
    if (this.reps.length < this.dict.length) {
      // A dictionary that grew after it was first seen: the codes before keep their representatives.
      const reps = new Int32Array(this.dict.length);
      reps.set(this.reps);
      this.reps = reps;
    }
    const v = this.dict[code] ?? null;
    let rep: number;
    if (v === null || (Array.isArray(v) && v.length === 0)) rep = NO_VALUE;
    else if (Array.isArray(v)) rep = BY_TEXT;
    else {
      const text = scalarText(v as Scalar);
      rep = this.byText.get(text) ?? code;
      if (rep === code) this.byText.set(text, code);
      if (text.includes("\u0000")) rep = BY_TEXT;
    }
    this.reps[code] = rep >= 0 ? rep + 1 : rep;
    return rep;
  }
}

const dictionaryKeys = new WeakMap<readonly Value[], DictionaryKeys>();

function dictionaryKeysOf(dict: readonly Value[]): DictionaryKeys {
  let keys = dictionaryKeys.get(dict);
  if (!keys) dictionaryKeys.set(dict, (keys = new DictionaryKeys(dict)));
  return keys;
}

/**
 * A dictionary's values in compareScalars order. Rank i is the i-th distinct number, ascending, or
 * past the numbers, the (i - numbers.length)-th distinct text of the other values, in string order.
 */
interface DictionaryOrder {
  /** Per code: 2 × its value's rank + 1 (values that compare equal, the same); -1 for null or a multivalue. */
  readonly ranks: Int32Array;
  readonly numbers: Float64Array;
  readonly texts: readonly string[];
}

/** The dictionary's order, or undefined when it has a number that is not finite (compareScalars does not order those consistently). */
function sortDictionary(dict: readonly Value[]): DictionaryOrder | undefined {
  const n = dict.length;
  const values = new Float64Array(n);
  const kinds = new Uint8Array(n); // 1: a number, 2: other text
  const texts: string[] = [];
  let numberCount = 0;
  for (let code = 0; code < n; code++) {
    const v = dict[code] ?? null;
    if (v === null || Array.isArray(v)) continue;
    const x = scalarNumber(v as Scalar);
    if (x === null) {
      kinds[code] = 2;
      texts.push(v as string);
    } else {
      if (!Number.isFinite(x)) return undefined;
      kinds[code] = 1;
      values[code] = x;
      numberCount++;
    }
  }
  const all = new Float64Array(numberCount);
  for (let code = 0, k = 0; code < n; code++) if (kinds[code] === 1) all[k++] = values[code]!;
  all.sort();
  const numbers = all.slice(0, distinctPrefix(all));
  texts.sort();
  texts.length = distinctPrefix(texts);
  const textRank = new Map<string, number>();
  for (let i = 0; i < texts.length; i++) textRank.set(texts[i]!, numbers.length + i);
  const ranks = new Int32Array(n).fill(-1);
  for (let code = 0; code < n; code++) {
    if (kinds[code] === 1) ranks[code] = 2 * lowerBound(numbers, numbers.length, values[code]!) + 1;
    else if (kinds[code] === 2) ranks[code] = 2 * textRank.get(dict[code] as string)! + 1;
  }
  return { ranks, numbers, texts };
}

/** Where a value not in the dictionary (a fillnull_value) sorts among its ranks: as an equal value, or between two; undefined for a number that is not finite. */
function rankAmong(order: DictionaryOrder, v: Scalar): number | undefined {
  const x = scalarNumber(v);
  if (x !== null) {
    if (!Number.isFinite(x)) return undefined;
    const i = lowerBound(order.numbers, order.numbers.length, x);
    return order.numbers[i] === x ? 2 * i + 1 : 2 * i;
  }
  const text = v as string;
  const { texts } = order;
  let lo = 0;
  let hi = texts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (texts[mid]! < text) lo = mid + 1;
    else hi = mid;
  }
  const i = order.numbers.length + lo;
  return texts[lo] === text ? 2 * i + 1 : 2 * i;
}

/** Makes a sorted array's first elements its distinct ones (0 and -0 are one); how many. */
function distinctPrefix<T extends number | string>(sorted: { [i: number]: T; length: number }): number {
  let k = 0;
  for (let i = 0; i < sorted.length; i++) if (k === 0 || sorted[i] !== sorted[k - 1]) sorted[k++] = sorted[i]!;
  return k;
}

/** The first index below `length` of an ascending array whose element is not less than x. */
function lowerBound(sorted: { readonly [i: number]: number }, length: number, x: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Groups by the dictionary codes of the by-fields, when every one is a dictionary-coded column: a
 * group is a combination of representatives (see DictionaryKeys), numbered in one integer, so a
 * row costs a few array reads and a probe of a hash table of numbers. Undefined when a by-field is
 * not dictionary-coded or a row has a multivalue or text with a U+0000 (byText does those).
 */
function byCodes(rows: ArrayLike<number>, by: readonly GroupField[], fillnull: string | undefined): Grouping | undefined {
  const width = by.length;
  if (width === 0) return undefined;
  const codes: Codes[] = [];
  const dicts: Array<readonly Value[]> = [];
  const reps: DictionaryKeys[] = [];
  // Field b's part of a group's number: its representative, or dict.length for a null made fillnull_value.
  const radix: number[] = [];
  let range = 1;
  for (const field of by) {
    const column = field.column;
    if (!(column instanceof DictColumn)) return undefined;
    codes.push(column.codes);
    dicts.push(column.dict);
    reps.push(dictionaryKeysOf(column.dict));
    radix.push(column.dict.length + 1);
    range *= column.dict.length + 1;
  }
  if (range > Number.MAX_SAFE_INTEGER || fillnull?.includes("\u0000")) return undefined;
  const filled: number[] = new Array<number>(width).fill(NaN);

  const n = rows.length;
  const pairRows = new Uint32Array(n);
  const groupOf = new Int32Array(n);
  const table = new NumberTable();
  // Per group, the codes of its first row (-1: a null made fillnull_value).
  let firsts = new Int32Array(64 * width);
  let k = 0;
  next: for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    let key = 0;
    for (let b = 0; b < width; b++) {
      const code = codes[b]![row]!;
      let id = code >= 0 ? reps[b]!.of(code) : NO_VALUE;
      if (id < 0) {
        if (id === BY_TEXT) return undefined;
        if (fillnull === undefined) continue next;
        id = filled[b]!;
        if (id !== id) {
          // The fill value is in the group of the values that print as it, if there are any.
          const rep = reps[b]!.ofText(fillnull);
          filled[b] = id = rep >= 0 ? rep : dicts[b]!.length;
        }
      }
      key = key * radix[b]! + id;
    }
    let g = table.get(key);
    if (g < 0) {
      g = table.add(key);
      if ((g + 1) * width > firsts.length) {
        const more = new Int32Array(firsts.length * 2);
        more.set(firsts);
        firsts = more;
      }
      for (let b = 0; b < width; b++) {
        const code = codes[b]![row]!;
        firsts[g * width + b] = code >= 0 && reps[b]!.of(code) >= 0 ? code : -1;
      }
    }
    pairRows[k] = row;
    groupOf[k++] = g;
  }
  const count = table.size;
  const keys = dicts.map((dict, b) => {
    const values = new Array<Scalar>(count);
    for (let g = 0; g < count; g++) {
      const code = firsts[g * width + b]!;
      values[g] = code >= 0 ? (dict[code] as Scalar) : fillnull!;
    }
    return values;
  });
  // The groups' order from the dictionaries' (where they have one).
  const ranks = reps.map((r, b) => {
    const order = r.order(count);
    const fill = order && fillnull !== undefined ? rankAmong(order, fillnull) : -1;
    if (!order || fill === undefined) return undefined;
    const out = new Int32Array(count);
    for (let g = 0; g < count; g++) {
      const code = firsts[g * width + b]!;
      out[g] = code >= 0 ? order.ranks[code]! : fill;
    }
    return out;
  });
  return { count, rows: pairRows, groups: groupOf, length: k, keys, ranks };
}

/** Integers (below 2^53) to group numbers 0, 1, ... in the order they were added: open addressing. */
class NumberTable {
  private keys = new Float64Array(64);
  private ids = new Int32Array(64).fill(-1);
  size = 0;

  get(key: number): number {
    const mask = this.ids.length - 1;
    for (let slot = hashNumber(key) & mask; ; slot = (slot + 1) & mask) {
      const id = this.ids[slot]!;
      if (id < 0 || this.keys[slot] === key) return id;
    }
  }

  /** Adds a key that get did not find; its group number. */
  add(key: number): number {
    if ((this.size + 1) * 2 > this.ids.length) this.grow();
    this.put(key, this.size);
    return this.size++;
  }

  private put(key: number, id: number): void {
    const mask = this.ids.length - 1;
    let slot = hashNumber(key) & mask;
    while (this.ids[slot]! >= 0) slot = (slot + 1) & mask;
    this.keys[slot] = key;
    this.ids[slot] = id;
  }

  private grow(): void {
    const { keys, ids } = this;
    this.keys = new Float64Array(keys.length * 2);
    this.ids = new Int32Array(ids.length * 2).fill(-1);
    for (let slot = 0; slot < ids.length; slot++) if (ids[slot]! >= 0) this.put(keys[slot]!, ids[slot]!);
  }
}

function hashNumber(key: number): number {
  const low = key >>> 0;
  const high = (key / 4294967296) >>> 0;
  const h = Math.imul(low ^ Math.imul(high, 0x85ebca6b), 0x9e3779b1);
  return h ^ (h >>> 15);
}

/** Groups by the by-values' text (any column, multivalues, binned times). */
function byText(rows: ArrayLike<number>, by: readonly GroupField[], fillnull: string | undefined): Grouping {
  const width = by.length;
  const index = new GroupIndex(width);
  let pairRows = new Uint32Array(Math.max(rows.length, 16));
  let groupOf = new Int32Array(pairRows.length);
  let k = 0;
  const addRow = (row: number, key: readonly Scalar[]): void => {
    if (k === pairRows.length) {
      const moreRows = new Uint32Array(k * 2);
      const moreGroups = new Int32Array(k * 2);
      moreRows.set(pairRows);
      moreGroups.set(groupOf);
      [pairRows, groupOf] = [moreRows, moreGroups];
    }
    pairRows[k] = row;
    groupOf[k++] = index.get(key);
  };
  const values: Value[] = new Array(width);
  const keyParts: Scalar[][] = by.map(() => []);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    let dropped = false;
    let multi = false;
    for (let b = 0; b < width; b++) {
      const v = by[b]!.values(row);
      if (v === null || (Array.isArray(v) && v.length === 0)) {
        if (fillnull === undefined) {
          dropped = true;
          break;
        }
        values[b] = fillnull;
      } else {
        values[b] = v;
        if (Array.isArray(v)) multi = true;
      }
    }
    if (dropped) continue;
    // One value per field (the usual case) is one group; multivalues, one per combination.
    if (!multi) addRow(row, values as Scalar[]);
    else {
      for (let b = 0; b < width; b++) keyParts[b] = valuesOf(values[b]!) as Scalar[];
      forEachCombination(keyParts, (combination) => addRow(row, combination));
    }
  }
  // Without a by clause, stats still gives one row (count 0) over no input.
  if (width === 0 && index.count === 0) index.get([]);
  return { count: index.count, rows: pairRows, groups: groupOf, length: k, keys: index.keys };
}

/**
 * Groups by their key: the by-values' text joined by U+0000 (rows whose values print the same are
 * one group: 445 and "445"), numbered in the order they were made. Keys without a U+0000 in their
 * values are looked up in nested maps, one level per field, so that no joined text is built per
 * row; the others by their joined text (two keys join the same only if one of them has a U+0000
 * inside a value, as each joined text of such keys has more of them than fields).
 */
class GroupIndex {
  private readonly root = new Map<string, unknown>();
  private readonly joined = new Map<string, number>();
  private readonly texts: string[];
  /** Per field, each group's value (the first key's). */
  readonly keys: Scalar[][];
  count = 0;
  constructor(private readonly width: number) {
    this.texts = new Array<string>(width);
    this.keys = Array.from({ length: width }, () => []);
  }

  get(key: readonly Scalar[]): number {
    if (this.width === 0) return this.count === 0 ? this.made(key) : 0;
    const texts = this.texts;
    let nul = false;
    for (let b = 0; b < this.width; b++) {
      texts[b] = scalarText(key[b]!);
      if (texts[b]!.includes("\u0000")) nul = true;
    }
    if (nul) {
      const id = texts.join("\u0000");
      let group = this.joined.get(id);
      if (group === undefined) this.joined.set(id, (group = this.made(key)));
      return group;
    }
    let level = this.root;
    for (let b = 0; b < this.width - 1; b++) {
      let next = level.get(texts[b]!) as Map<string, unknown> | undefined;
      if (next === undefined) level.set(texts[b]!, (next = new Map()));
      level = next;
    }
    let group = level.get(texts[this.width - 1]!) as number | undefined;
    if (group === undefined) level.set(texts[this.width - 1]!, (group = this.made(key)));
    return group;
  }

  private made(key: readonly Scalar[]): number {
    for (let b = 0; b < this.width; b++) this.keys[b]!.push(key[b]!);
    return this.count++;
  }
}

/**
 * Group numbers sorted by their keys, field by field as compareScalars orders values (stably: equal
 * keys in the order the groups were made). Each field's values are ranked once, so that the sort
 * is of numbers, with no comparison function, when the ranks fit one.
 */
function sortedGroups(keys: ReadonlyArray<readonly Scalar[]>, count: number, known?: ReadonlyArray<Int32Array | undefined>): Int32Array {
  const order = new Int32Array(count);
  for (let g = 0; g < count; g++) order[g] = g;
  if (keys.length === 0 || count < 2) return order;
  const ranks: Int32Array[] = [];
  const sizes: number[] = [];
  let span = count;
  for (let b = 0; b < keys.length; b++) {
    const given = known?.[b];
    const ranked = given ? dense(given) : rank(keys[b]!);
    if (!ranked) return sortedByComparison(keys, order);
    ranks.push(ranked.ranks);
    sizes.push(ranked.size);
    span *= ranked.size;
  }
  if (span > Number.MAX_SAFE_INTEGER) {
    return order.sort((i, j) => {
      for (let b = 0; b < ranks.length; b++) {
        const c = ranks[b]![i]! - ranks[b]![j]!;
        if (c !== 0) return c;
      }
      return i - j;
    });
  }
  // One number per group: its ranks, then the group's own number (so equal keys keep their order).
  const sortKeys = new Float64Array(count);
  for (let g = 0; g < count; g++) {
    let key = 0;
    for (let b = 0; b < ranks.length; b++) key = key * sizes[b]! + ranks[b]![g]!;
    sortKeys[g] = key * count + g;
  }
  sortKeys.sort();
  for (let i = 0; i < count; i++) order[i] = sortKeys[i]! % count;
  return order;
}

/** Ranks 0, 1, ... in the order of the given numbers (equal numbers, the same), and how many. */
function dense(given: Int32Array): { ranks: Int32Array; size: number } {
  const sorted = given.slice().sort();
  const size = distinctPrefix(sorted);
  const ranks = new Int32Array(given.length);
  for (let i = 0; i < given.length; i++) ranks[i] = lowerBound(sorted, size, given[i]!);
  return { ranks, size };
}

/**
 * Each value's rank in compareScalars order (values that compare equal, the same rank), and how many
 * ranks; undefined when a value is a number that is not finite, which compareScalars does not
 * order consistently (Infinity - Infinity is NaN).
 */
function rank(values: readonly Scalar[]): { ranks: Int32Array; size: number } | undefined {
  const n = values.length;
  const numbers = new Float64Array(n);
  const numeric = new Uint8Array(n);
  const texts: string[] = [];
  let numericCount = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    const x = scalarNumber(v);
    if (x === null) texts.push(v as string);
    else {
      if (!Number.isFinite(x)) return undefined;
      numbers[i] = x;
      numeric[i] = 1;
      numericCount++;
    }
  }
  const sorted = new Float64Array(numericCount);
  for (let i = 0, k = 0; i < n; i++) if (numeric[i] === 1) sorted[k++] = numbers[i]!;
  sorted.sort();
  const distinct = distinctPrefix(sorted);
  // The other values' texts, in string order, after the numbers.
  texts.sort();
  const textRank = new Map<string, number>();
  for (const text of texts) if (!textRank.has(text)) textRank.set(text, distinct + textRank.size);
  const ranks = new Int32Array(n);
  for (let i = 0; i < n; i++) ranks[i] = numeric[i] === 1 ? lowerBound(sorted, distinct, numbers[i]!) : textRank.get(values[i] as string)!;
  return { ranks, size: distinct + textRank.size };
}

/** Group numbers sorted by compareScalars of their keys, field by field, each key's number and text worked out once. */
function sortedByComparison(keys: ReadonlyArray<readonly Scalar[]>, order: Int32Array): Int32Array {
  const fields = keys.map(scalarComparator);
  const sorted = Array.from(order).sort((i, j) => {
    for (let b = 0; b < fields.length; b++) {
      const c = fields[b]!(i, j);
      if (c !== 0) return c;
    }
    return 0;
  });
  return Int32Array.from(sorted);
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

// ---- accumulators: one per aggregation, over every group at once ------------------------------------

/** An aggregation's state for every group; the common functions in arrays, the others in one Accumulator per group. */
interface GroupedAccumulator {
  /** Adds row rows[i] to group groups[i], for i < n. */
  addAll(rows: ArrayLike<number>, groups: Int32Array, n: number): void;
  result(group: number): Value;
}

function groupedAccumulator(agg: Aggregation, count: number, options: AggregateOptions): GroupedAccumulator {
  const source = options.source(agg) ?? (() => null);
  const column = options.sourceColumn?.(agg);
  switch (agg.fn) {
    case "count":
      return agg.field === undefined && agg.evalExpr === undefined ? new RowCounts(count) : new ValueCounts(count, source);
    case "values":
    case "dc":
      if (column instanceof DictColumn) return new DistinctCodes(count, column, agg.fn === "dc");
      break;
    case "earliest":
    case "latest":
    case "earliest_time":
    case "latest_time":
      return new TimedGroups(count, agg.fn.startsWith("earliest"), agg.fn.endsWith("_time"), source, column, options);
  }
  return new PerGroup(count, agg, source, options);
}

/** A bare `count`: rows. */
class RowCounts implements GroupedAccumulator {
  private readonly counts: Float64Array;
  constructor(count: number) {
    this.counts = new Float64Array(count);
  }
  addAll(_rows: ArrayLike<number>, groups: Int32Array, n: number): void {
    const counts = this.counts;
    for (let i = 0; i < n; i++) counts[groups[i]!]!++;
  }
  result(group: number): Value {
    return this.counts[group]!;
  }
}

/** `count(x)`: values (each value of a multivalue). */
class ValueCounts implements GroupedAccumulator {
  private readonly counts: Float64Array;
  constructor(
    count: number,
    private readonly source: (row: number) => Value,
  ) {
    this.counts = new Float64Array(count);
  }
  addAll(rows: ArrayLike<number>, groups: Int32Array, n: number): void {
    for (let i = 0; i < n; i++) {
      const v = this.source(rows[i]!);
      if (v !== null) this.counts[groups[i]!]! += Array.isArray(v) ? v.length : 1;
    }
  }
  result(group: number): Value {
    return this.counts[group]!;
  }
}

const distinctCount = (values: string[]): Value => values.length;
/** "Order of values is lexigraphical" (searchbnf [stats-values]): string order, values as strings. */
const sortedValues = (values: string[]): Value => fromValues(values.sort());

/**
 * values(x)/dc(x) of a dictionary-coded column: distinct values are distinct representatives (codes
 * that print the same are one value). Most groups have one value, held as its code; a group with
 * more (or a multivalue) holds a Set of texts.
 */
class DistinctCodes implements GroupedAccumulator {
  /** Per group: the representative of its one value; NO_VALUE for none; BY_TEXT when `sets` has its values. */
  private readonly only: Int32Array;
  private readonly sets = new Map<number, Set<string>>();
  private readonly reps: DictionaryKeys;
  constructor(
    count: number,
    private readonly column: DictColumn,
    private readonly countOnly: boolean,
  ) {
    this.only = new Int32Array(count).fill(NO_VALUE);
    this.reps = dictionaryKeysOf(column.dict);
  }
  addAll(rows: ArrayLike<number>, groups: Int32Array, n: number): void {
    const { codes, dict } = this.column;
    const only = this.only;
    for (let i = 0; i < n; i++) {
      const code = codes[rows[i]!]!;
      if (code < 0) continue;
      const rep = this.reps.of(code);
      if (rep === NO_VALUE) continue;
      const g = groups[i]!;
      const held = only[g]!;
      if (held === rep) continue;
      if (held === NO_VALUE && rep >= 0) {
        only[g] = rep;
        continue;
      }
      let set = this.sets.get(g);
      if (!set) {
        this.sets.set(g, (set = new Set()));
        if (held >= 0) set.add(scalarText(dict[held] as Scalar));
        only[g] = BY_TEXT;
      }
      for (const v of valuesOf(dict[code]!)) set.add(scalarText(v));
    }
  }
  result(group: number): Value {
    const held = this.only[group]!;
    if (held >= 0) return this.countOnly ? 1 : scalarText(this.column.dict[held] as Scalar);
    const finish = this.countOnly ? distinctCount : sortedValues;
    return finish(held === NO_VALUE ? [] : [...this.sets.get(group)!]);
  }
}

/**
 * earliest/latest (the value at the first/last time; the first such row on a tie) and
 * earliest_time/latest_time (that time), over rows with both a value and a time.
 */
class TimedGroups implements GroupedAccumulator {
  private readonly best: Float64Array;
  private readonly seen: Uint8Array;
  private readonly bestRow: Int32Array;
  /** The values, for a source that is not a column (an eval expression is not read twice). */
  private readonly bestValue: Value[] | undefined;
  constructor(
    count: number,
    private readonly earlier: boolean,
    private readonly timeOnly: boolean,
    private readonly source: (row: number) => Value,
    private readonly column: Column | undefined,
    private readonly options: AggregateOptions,
  ) {
    this.best = new Float64Array(count);
    this.seen = new Uint8Array(count);
    this.bestRow = new Int32Array(count);
    this.bestValue = column ? undefined : new Array<Value>(count).fill(null);
  }
  addAll(rows: ArrayLike<number>, groups: Int32Array, n: number): void {
    const { best, seen, bestRow, bestValue, earlier, source, column } = this;
    const { times, time } = this.options;
    // Whether a row has a value, without boxing one: from the column's arrays where it has them.
    const numbers = column instanceof NumberColumn ? column.values : undefined;
    const dict = column instanceof DictColumn ? column : undefined;
    for (let i = 0; i < n; i++) {
      const row = rows[i]!;
      let t: number;
      if (times) {
        t = times[row]!;
        if (t !== t) continue;
      } else {
        const x = time ? toNumber(time(row)) : null;
        if (x === null) continue;
        t = x;
      }
      const g = groups[i]!;
      if (seen[g] === 1 && !(earlier ? t < best[g]! : t > best[g]!)) continue;
      let value: Value = null;
      if (numbers) {
        if (numbers[row] !== numbers[row]) continue;
      } else if (dict) {
        const code = dict.codes[row]!;
        if (code < 0 || (dict.dict[code] ?? null) === null) continue;
      } else {
        value = source(row);
        if (value === null) continue;
      }
      seen[g] = 1;
      best[g] = t;
      bestRow[g] = row;
      if (bestValue) bestValue[g] = value;
    }
  }
  result(group: number): Value {
    if (this.seen[group] === 0) return null;
    if (this.timeOnly) return this.best[group]!;
    return this.bestValue ? this.bestValue[group]! : this.column!.get(this.bestRow[group]!);
  }
}

/** Any function: an Accumulator per group, made at the group's first row. */
class PerGroup implements GroupedAccumulator {
  private readonly accs: Array<Accumulator | undefined>;
  private readonly bare: boolean;
  constructor(
    count: number,
    private readonly agg: Aggregation,
    private readonly source: (row: number) => Value,
    private readonly options: AggregateOptions,
  ) {
    this.accs = new Array<Accumulator | undefined>(count).fill(undefined);
    this.bare = agg.field === undefined && agg.evalExpr === undefined;
  }
  addAll(rows: ArrayLike<number>, groups: Int32Array, n: number): void {
    const time = this.options.time;
    for (let i = 0; i < n; i++) {
      const row = rows[i]!;
      const g = groups[i]!;
      const acc = (this.accs[g] ??= newAccumulator(this.agg));
      acc.add(this.source(row), time ? toNumber(time(row)) : null, this.bare);
    }
  }
  result(group: number): Value {
    return (this.accs[group] ?? newAccumulator(this.agg)).result();
  }
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

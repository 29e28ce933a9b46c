/**
 * Data model summaries: what an accelerated data model holds, built at load time from the events
 * (DESIGN.md, "Data model acceleration at load").
 *
 * For each root dataset: its rows are the events matching its constraint; each declared field takes
 * the event field of the same name; then the calculated fields are evaluated in order, each seeing
 * the events' fields and the calculated fields before it (spl_semantics.md §2.3), and may use any
 * event field, not only the model's (vendor_product reads vendor, product and sourcetype). A child
 * dataset's rows are its parent's rows that also match its own constraint, evaluated on the same
 * values (the event fields with the model's calculated fields applied), so `action=*` under
 * All_Traffic matches every row: action is never null after its calculation.
 *
 * The summary table has one row per event in at least one root dataset (event order), columns
 * `_time`, `host`, `source`, `sourcetype`, `index` unprefixed, then `<Root>.<field>` for every field
 * of every root (All_Traffic.src_ip ...), and `<Child>.<field>` for fields a child dataset declares
 * or calculates itself (none in CIM Network_Traffic), null outside its rows. Columns are
 * dictionary-coded (DictColumn), so searches over them test each distinct value once, except those
 * whose values are mostly distinct (times, ids, byte counts: NumberColumn or ArrayColumn). A column
 * whose values are an event column's is that column's codes (no copy); columns all null or all one
 * value share one code array. Each dictionary-coded column with a dictionary of at most a quarter
 * as many values as rows has an inverted index (DictIndex: the rows of each code, and IPv4
 * addresses as integers), which tstats answers its WHERE clause from (search/match.ts selectRows).
 * Fields of type "number" hold numbers where the value is numeric ("445" → 445); other values stay
 * as they are.
 *
 * Decision: build one summary per model over all datasets at once: call buildSummary on
 * Table.concat of every dataset's search-time events (Knowledge.applySearchTime per dataset first,
 * since knowledge depends on the sourcetype). That gives one dictionary per column. concatSummaries
 * joins summaries built separately (datasets added later) when that is more convenient.
 */
import { compileEval, evalToValue, isDeterministic } from "../eval/compile.js";
import type { EvalExpr } from "../parse/ast.js";
import { compileSearchExpr, ipv4Number } from "../search/match.js";
import { type Codes, type Column, DictColumn, type DictIndex, LazyIndex, NumberColumn, Table } from "../table/table.js";
import { scalarNumber, type Value } from "../table/value.js";
import { evaluateByCodes } from "../table/memo.js";
import { encode, encodeComputed, encodeValues, SharedCodes } from "./encode.js";
import { BASE_EVENT_FIELDS, type DataModel, type DataModelDataset, type DataModelField, datasetFields } from "./datamodel.js";

export interface DataModelSummary {
  readonly model: DataModel;
  readonly table: Table;
  /** Dataset name (e.g. "Allowed_Traffic") → the summary rows in that dataset, ascending. */
  readonly membership: ReadonlyMap<string, Uint32Array>;
  /** Calculations or constraints that could not run (each is skipped; the rest is built). */
  readonly problems: readonly string[];
}

export interface SummaryContext {
  readonly now: number;
  readonly tz: string;
}

/** Unprefixed columns of every summary row. */
export const SUMMARY_BASE_FIELDS = [...BASE_EVENT_FIELDS, "index"] as const;

export function buildSummary(model: DataModel, events: Table, ctx: SummaryContext): DataModelSummary {
  const problems: string[] = [];
  const roots = model.datasets.filter((d) => d.parent === "BaseEvent");

  // Each root's event rows, then their union in event order.
  const rootRows = new Map<string, Uint32Array>();
  for (const root of roots) {
    rootRows.set(root.name, matchingRows(root, events, undefined, ctx, problems));
  }
  const inAny = new Uint8Array(events.length);
  for (const rows of rootRows.values()) for (const r of rows) inAny[r] = 1;
  let unionCount = 0;
  for (let r = 0; r < events.length; r++) unionCount += inAny[r]!;
  const union = new Uint32Array(unionCount);
  const summaryRowOf = new Int32Array(events.length).fill(-1);
  for (let r = 0, k = 0; r < events.length; r++) {
    if (inAny[r]) {
      summaryRowOf[r] = k;
      union[k++] = r;
    }
  }
  // Every event in the summary (the usual case): its columns are the events' own, not views.
  const everyEvent = union.length === events.length;
  const shared = new SharedCodes(union.length);

  const columns = new Map<string, Column>();
  const base = everyEvent ? events : events.take(union);
  for (const f of SUMMARY_BASE_FIELDS) {
    const c = base.column(f);
    if (c) columns.set(f, f === "_time" ? times(c, union.length) : encode(c, union.length, false, shared));
  }
  const membership = new Map<string, Uint32Array>();

  for (const root of roots) {
    const rows = rootRows.get(root.name)!;
    // Where each root-local row sits in the summary (identity when this root covers every row).
    const identity = rows.length === union.length;
    const position = identity ? undefined : Int32Array.from(rows, (r) => summaryRowOf[r]!);
    const place = (c: Column | undefined): Column | undefined => (position && c ? new ScatterColumn(c, position, union.length) : c);
    const toSummaryRows = (local: Uint32Array): Uint32Array => (position ? Uint32Array.from(local, (i) => position[i]!) : local);

    const all = allRows(rows.length);
    let work = calculate(root, rows.length === events.length ? events : events.take(rows), ctx, problems, shared);
    for (const field of datasetFields(root)) {
      const c = work.column(field.name);
      columns.set(`${root.name}.${field.name}`, encode(place(c), union.length, isNumeric(field), shared));
    }
    membership.set(root.name, toSummaryRows(all));

    // Children, parents first (the model lists datasets that way).
    const localMembers = new Map<string, Uint32Array>([[root.name, all]]);
    for (const child of model.datasets) {
      if (child.root !== root.name || child.name === root.name) continue;
      const parentRows = localMembers.get(child.parent);
      if (!parentRows) continue;
      work = calculate(child, work, ctx, problems, shared);
      const members = matchingRows(child, work, parentRows, ctx, problems);
      localMembers.set(child.name, members);
      membership.set(child.name, toSummaryRows(members));
      const own = datasetFields(child);
      if (own.length === 0) continue;
      const mask = new Uint8Array(rows.length);
      for (const i of members) mask[i] = 1;
      for (const field of own) {
        const c = new MaskColumn(work.column(field.name), mask);
        columns.set(`${child.name}.${field.name}`, encode(place(c), union.length, isNumeric(field), shared));
      }
    }
  }
  // Columns with the same codes (src and src_ip ...) share one index.
  const indexes = new Map<Codes, DictColumn>();
  for (const [name, column] of columns) {
    if (!(column instanceof DictColumn)) continue;
    const same = indexes.get(column.codes);
    const withIndex = same?.dict === column.dict ? new DictColumn(column.codes, column.dict, same.indexSource) : indexed(column);
    if (!same) indexes.set(column.codes, withIndex);
    columns.set(name, withIndex);
  }
  return { model, table: new Table(union.length, columns), membership, problems };
}

/** Summaries built separately, one after another (rows renumbered; fields in first-seen order). */
export function concatSummaries(model: DataModel, parts: readonly DataModelSummary[]): DataModelSummary {
  const table = Table.concat(parts.map((p) => p.table));
  const membership = new Map<string, Uint32Array>();
  for (const ds of model.datasets) {
    const total = parts.reduce((n, p) => n + (p.membership.get(ds.name)?.length ?? 0), 0);
    const rows = new Uint32Array(total);
    let k = 0;
    let offset = 0;
    for (const p of parts) {
      for (const r of p.membership.get(ds.name) ?? []) rows[k++] = r + offset;
      offset += p.table.length;
    }
    membership.set(ds.name, rows);
  }
  return { model, table, membership, problems: parts.flatMap((p) => p.problems) };
}

/** Rows of `table` (all, or those listed in `within`) matching the dataset's constraint. */
function matchingRows(ds: DataModelDataset, table: Table, within: Uint32Array | undefined, ctx: SummaryContext, problems: string[]): Uint32Array {
  const all = within ?? allRows(table.length);
  if (!ds.constraintExpr) return all;
  const expr = ds.constraintExpr;
  let matches: (i: number) => boolean;
  try {
    // Tested once per distinct combination of the values the constraint reads (tag=network ...).
    const over = within ? table.take(within) : table;
    const { ids, results } = evaluateByCodes(over, (view) => compileSearchExpr(expr, view, ctx));
    matches = (i) => results[ids[i]!]!;
  } catch (e) {
    problems.push(`${ds.lineage}: constraint ${ds.constraint}: ${(e as Error).message}; the dataset is empty`);
    return new Uint32Array(0);
  }
  const out = new Uint32Array(all.length);
  let k = 0;
  for (let i = 0; i < all.length; i++) if (matches(i)) out[k++] = all[i]!;
  // Every row matching: the same array, so datasets with the same rows share it.
  return k === all.length ? all : out.slice(0, k);
}

/** 0, 1, ... n-1. */
function allRows(n: number): Uint32Array {
  const rows = new Uint32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return rows;
}

/**
 * The dataset's calculated fields, in order, each added to the table the next one sees. Each is
 * computed once per distinct combination of the values it reads (encodeComputed).
 */
function calculate(ds: DataModelDataset, table: Table, ctx: SummaryContext, problems: string[], shared: SharedCodes): Table {
  let t = table;
  for (const calc of ds.calculations) {
    const field = calc.outputFields[0]!;
    try {
      const compile = (over: Table) => {
        const f = compileEval(calc.expr, over, ctx);
        return (row: number) => evalToValue(f(row));
      };
      let column: Column;
      if (isDeterministic(calc.expr)) column = encodeComputed(t, compile, shared);
      else {
        const f = compile(t);
        const values = new Array<Value>(t.length);
        for (let row = 0; row < t.length; row++) values[row] = f(row);
        column = encodeValues(values);
      }
      t = t.withColumn(field.name, column);
    } catch (e) {
      problems.push(`${ds.lineage}: calculation ${calc.id} (${field.name} = ${calc.expression}): ${(e as Error).message}; skipped`);
    }
  }
  return t;
}

/**
 * A summary column with its inverted index, built when a search first filters on the column
 * (LazyIndex): the rows of each code (a counting sort of the codes), and for a column of addresses,
 * each code's IPv4 address as an integer. Columns whose values are nearly all distinct (times, ids,
 * byte counts) are not indexed: a scan of their codes is as fast as postings would be, and postings
 * would cost 4 bytes a row.
 */
export function indexed(column: DictColumn): DictColumn {
  const { codes, dict } = column;
  if (dict.length < 2 || dict.length * 4 > codes.length) return column;
  return new DictColumn(codes, dict, new LazyIndex(() => invertedIndex(codes, dict)));
}

/** The rows of each code (a counting sort of the codes) and, for addresses, each code's IPv4 address as an integer. */
function invertedIndex(codes: Codes, dict: readonly Value[]): DictIndex {
  const n = codes.length;
  const starts = new Int32Array(dict.length + 1);
  // Counts first: code c's in starts[c + 1] (nulls, code -1, in starts[0], then dropped).
  for (let row = 0; row < n; row++) {
    const at = codes[row]! + 1;
    starts[at] = starts[at]! + 1;
  }
  starts[0] = 0;
  for (let c = 0; c < dict.length; c++) starts[c + 1] = starts[c + 1]! + starts[c]!;
  const next = starts.slice(0, dict.length);
  const rows = new Uint32Array(starts[dict.length]!);
  for (let row = 0; row < n; row++) {
    const c = codes[row]!;
    if (c >= 0) {
      rows[next[c]!] = row;
      next[c] = next[c]! + 1;
    }
  }
  const index: { -readonly [K in keyof DictIndex]: DictIndex[K] } = { starts, rows };
  const addresses = new Uint32Array(dict.length);
  const valid = new Uint8Array(dict.length);
  let any = false;
  for (let c = 0; c < dict.length; c++) {
    const v = dict[c];
    const ip = typeof v === "string" ? ipv4Number(v) : -1;
    if (ip >= 0) {
      addresses[c] = ip;
      valid[c] = 1;
      any = true;
    }
  }
  if (any) {
    index.ipv4 = addresses;
    index.ipv4Valid = valid;
  }
  return index;
}

/** _time as a NumberColumn (NaN for a missing or non-numeric time); the events' own when they have one. */
function times(column: Column, length: number): NumberColumn {
  if (column instanceof NumberColumn && column.length === length) return column;
  const values = new Float64Array(length);
  for (let row = 0; row < length; row++) {
    const v = column.get(row);
    values[row] = typeof v === "number" ? v : typeof v === "string" ? (scalarNumber(v) ?? NaN) : NaN;
  }
  return new NumberColumn(values);
}

function isNumeric(field: DataModelField): boolean {
  return field.type === "number";
}

/** A root's column placed at its rows of the summary; null elsewhere. */
class ScatterColumn implements Column {
  private readonly localOf: Int32Array;
  constructor(
    private readonly base: Column,
    position: Int32Array,
    readonly length: number,
  ) {
    this.localOf = new Int32Array(length).fill(-1);
    for (let i = 0; i < position.length; i++) this.localOf[position[i]!] = i;
  }
  get(row: number): Value {
    const i = this.localOf[row] ?? -1;
    return i < 0 ? null : this.base.get(i);
  }
}

/** A column's values on the rows of a mask; null elsewhere. */
class MaskColumn implements Column {
  constructor(
    private readonly base: Column | undefined,
    private readonly mask: Uint8Array,
  ) {}
  get length(): number {
    return this.mask.length;
  }
  get(row: number): Value {
    return this.mask[row] && this.base ? this.base.get(row) : null;
  }
}

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
 * dictionary-coded (DictColumn), so searches over them test each distinct value once. Fields of
 * type "number" hold numbers where the value is numeric ("445" → 445); other values stay as they are.
 *
 * Decision: build one summary per model over all datasets at once: call buildSummary on
 * Table.concat of every dataset's search-time events (Knowledge.applySearchTime per dataset first,
 * since knowledge depends on the sourcetype). That gives one dictionary per column. concatSummaries
 * joins summaries built separately (datasets added later) when that is more convenient.
 */
import { compileEval, evalToValue } from "../eval/compile.js";
import { compileSearchExpr } from "../search/match.js";
import { type Column, NumberColumn, Table } from "../table/table.js";
import { scalarNumber, type Value } from "../table/value.js";
import { encode, encodeValues } from "./encode.js";
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

  const columns = new Map<string, Column>();
  const base = events.take(union);
  for (const f of SUMMARY_BASE_FIELDS) {
    const c = base.column(f);
    if (c) columns.set(f, f === "_time" ? times(c, union.length) : encode(c, union.length, false));
  }
  const membership = new Map<string, Uint32Array>();

  for (const root of roots) {
    const rows = rootRows.get(root.name)!;
    // Where each root-local row sits in the summary (identity when this root covers every row).
    const identity = rows.length === union.length;
    const position = identity ? undefined : Int32Array.from(rows, (r) => summaryRowOf[r]!);
    const place = (c: Column | undefined): Column | undefined => (position && c ? new ScatterColumn(c, position, union.length) : c);
    const toSummaryRows = (local: Uint32Array): Uint32Array => (position ? Uint32Array.from(local, (i) => position[i]!) : local);

    let work = calculate(root, events.take(rows), ctx, problems);
    for (const field of datasetFields(root)) {
      const c = work.column(field.name);
      columns.set(`${root.name}.${field.name}`, encode(place(c), union.length, isNumeric(field)));
    }
    membership.set(root.name, toSummaryRows(Uint32Array.from({ length: rows.length }, (_, i) => i)));

    // Children, parents first (the model lists datasets that way).
    const localMembers = new Map<string, Uint32Array>([[root.name, Uint32Array.from({ length: rows.length }, (_, i) => i)]]);
    for (const child of model.datasets) {
      if (child.root !== root.name || child.name === root.name) continue;
      const parentRows = localMembers.get(child.parent);
      if (!parentRows) continue;
      work = calculate(child, work, ctx, problems);
      const members = matchingRows(child, work, parentRows, ctx, problems);
      localMembers.set(child.name, members);
      membership.set(child.name, toSummaryRows(members));
      const own = datasetFields(child);
      if (own.length === 0) continue;
      const mask = new Uint8Array(rows.length);
      for (const i of members) mask[i] = 1;
      for (const field of own) {
        const c = new MaskColumn(work.column(field.name), mask);
        columns.set(`${child.name}.${field.name}`, encode(place(c), union.length, isNumeric(field)));
      }
    }
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
  const all = within ?? Uint32Array.from({ length: table.length }, (_, i) => i);
  if (!ds.constraintExpr) return all;
  let test: (row: number) => boolean;
  try {
    test = compileSearchExpr(ds.constraintExpr, table, ctx);
  } catch (e) {
    problems.push(`${ds.lineage}: constraint ${ds.constraint}: ${(e as Error).message}; the dataset is empty`);
    return new Uint32Array(0);
  }
  const out: number[] = [];
  for (const r of all) if (test(r)) out.push(r);
  return Uint32Array.from(out);
}

/** The dataset's calculated fields, in order, each added to the table the next one sees. */
function calculate(ds: DataModelDataset, table: Table, ctx: SummaryContext, problems: string[]): Table {
  let t = table;
  for (const calc of ds.calculations) {
    const field = calc.outputFields[0]!;
    try {
      const f = compileEval(calc.expr, t, ctx);
      const values = new Array<Value>(t.length);
      for (let row = 0; row < t.length; row++) values[row] = evalToValue(f(row));
      t = t.withColumn(field.name, encodeValues(values));
    } catch (e) {
      problems.push(`${ds.lineage}: calculation ${calc.id} (${field.name} = ${calc.expression}): ${(e as Error).message}; skipped`);
    }
  }
  return t;
}

/** _time as a NumberColumn (NaN for a missing or non-numeric time). */
function times(column: Column, length: number): NumberColumn {
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

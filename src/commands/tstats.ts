import { RuntimeError, type ExecContext } from "../exec/context.js";
import type { DataModelSummary } from "../knowledge/summary.js";
import type { SearchExpr, Span, Stage } from "../parse/ast.js";
import type { ArgReader } from "../parse/args.js";
import { MatchError, selectRows } from "../search/match.js";
import { type Column, NumberColumn, type Table } from "../table/table.js";
import { toNumber, type Value } from "../table/value.js";
import { binStart } from "../time/bins.js";
import { parseTimespan, type Timespan } from "../time/timespan.js";
import * as T from "../parse/lexer.js";
import { parseBool } from "./options.js";
import { aggregate, isAggregationStart, readAggregation, readFieldList, runnableFunctions, type Aggregation, type GroupField } from "./aggregations.js";
import { defineCommand } from "./command.js";

/**
 * `tstats [options] <aggregation>... [FROM datamodel=<DM>[.<dataset>]] [WHERE <search-expr>] [BY <fields> [span=<timespan>]]`
 * (searchbnf 8.2.12 [tstats-command]; spl_semantics.md §1).
 */
export interface TstatsArgs {
  readonly prestats: boolean;
  readonly append: boolean;
  readonly local: boolean;
  readonly summariesonly: boolean;
  readonly allow_old_summaries: boolean;
  readonly include_reduced_buckets: boolean;
  /** When set, null group-by values become this string instead of dropping the row (ESCU passes "null"). */
  readonly fillnull_value?: string;
  readonly aggregations: readonly Aggregation[];
  /** `from datamodel=Network_Traffic.All_Traffic` → { datamodel: "Network_Traffic", dataset: "All_Traffic" }. */
  readonly from?: { readonly datamodel: string; readonly dataset?: string; readonly span: Span };
  /** `where nodename=All_Traffic.Traffic_By_Action`, taken out of the WHERE clause. */
  readonly nodename?: string;
  readonly where?: SearchExpr;
  readonly by: ReadonlyArray<{ readonly field: string; readonly span: Span }>;
  /** `span=1h` of a `by _time` clause, as written. */
  readonly span?: { readonly text: string; readonly span: Span };
}

const booleanOptions = ["prestats", "append", "local", "summariesonly", "allow_old_summaries", "include_reduced_buckets"] as const;
const otherOptions = new Set(["chunk_size", "fillnull_value", "use_summary_index_values"]);

export const tstats = defineCommand<TstatsArgs>({
  name: "tstats",
  // "Except in 'append=t' mode, this is a generating processor, so it must be the first command in a search."
  generating: (args) => !(args.prestats && args.append),
  run: (args, _input, ctx, stage) => runTstats(args, ctx, stage),
  parse(r) {
    const flags: Record<string, boolean> = {};
    let fillnull: string | undefined;
    const readOptions = () => {
      while (r.atOption() && !r.atOption("datamodel")) {
        const o = r.option();
        if ((booleanOptions as readonly string[]).includes(o.key)) flags[o.key] = parseBool(o.value, r);
        else if (o.key === "fillnull_value") fillnull = o.value.text;
        else if (!otherOptions.has(o.key)) r.fail("bad-argument", `tstats: unknown option '${o.key}'`, o.span);
      }
    };
    readOptions();
    const aggregations: Aggregation[] = [];
    // ESCU separates tstats aggregations with commas as often as with spaces.
    while (isAggregationStart(r)) {
      aggregations.push(readAggregation(r));
      while (r.accept(T.Comma));
      readOptions();
    }
    if (aggregations.length === 0) r.failHere("expected a statistical function such as count or values(field)");

    let from: TstatsArgs["from"];
    let where: SearchExpr | undefined;
    let by: TstatsArgs["by"] = [];
    let span: TstatsArgs["span"];
    while (!r.atEnd()) {
      if (!from && r.acceptWord("from")) {
        from = readFrom(r);
      } else if (!where && r.acceptWord("where")) {
        where = r.searchExpression(["by", "groupby", "from"]);
      } else if (by.length === 0 && r.acceptWord("by", "groupby")) {
        const fields: Array<TstatsArgs["by"][number]> = [];
        while (!r.atEnd()) {
          if (r.atOption("span")) {
            const o = r.option();
            span = { text: o.value.text, span: o.value.span };
            continue;
          }
          const more = readFieldList(r, [], true);
          if (more.length === 0) break;
          fields.push(...more);
        }
        if (fields.length === 0) r.failHere("expected a field name after BY");
        by = fields;
      } else {
        r.failHere("expected FROM, WHERE or BY");
      }
    }
    if (span && !parseTimespan(span.text)) r.fail("bad-argument", `tstats: span=${span.text} is not a time span (e.g. 1h, 10m, 1d)`, span.span);
    const { nodename, rest } = takeNodename(where);
    return {
      prestats: flags.prestats ?? false,
      append: flags.append ?? false,
      local: flags.local ?? false,
      summariesonly: flags.summariesonly ?? false,
      allow_old_summaries: flags.allow_old_summaries ?? false,
      include_reduced_buckets: flags.include_reduced_buckets ?? false,
      ...(fillnull !== undefined ? { fillnull_value: fillnull } : {}),
      aggregations,
      ...(from ? { from } : {}),
      ...(nodename ? { nodename } : {}),
      ...(rest ? { where: rest } : {}),
      by,
      ...(span ? { span } : {}),
    };
  },
});

/**
 * tstats over a data model summary: every model is summarised at load, so summariesonly=true and
 * false give the same rows, as for a fully accelerated model (DESIGN.md).
 */
function runTstats(args: TstatsArgs, ctx: ExecContext, stage: Stage<TstatsArgs>): Table {
  if (!args.from) throw new RuntimeError("tstats without FROM datamodel=... (over indexed fields) is not supported yet", stage.nameSpan);
  if (args.prestats) throw new RuntimeError("tstats prestats=true is not supported yet", stage.nameSpan);
  for (const agg of args.aggregations) {
    if (!runnableFunctions.has(agg.fn)) throw new RuntimeError(`tstats: function ${agg.fn} is not supported yet`, agg.span);
  }
  const summary = ctx.data.summary(args.from.datamodel);
  if (!summary) {
    throw new RuntimeError(`data model ${args.from.datamodel} is not loaded (add its JSON in an app with --apps)`, args.from.span);
  }
  const table = withDatasetPrefixes(summary);
  const dataset = datasetRows(summary, args.from.dataset ?? args.nodename?.split(".").pop(), args.from.span);
  let rows = args.where ? filter(dataset, args.where, table, ctx) : (dataset ?? allRows(table.length));
  rows = inTimeRange(rows, table, ctx);
  const bin = args.span ? parseTimespan(args.span.text) : undefined;
  const by: GroupField[] = args.by.map(({ field }) => groupField(field, table, field === "_time" ? bin : undefined, ctx.tz));
  const time = table.column("_time");
  return aggregate(rows, by, args.aggregations, {
    ...(args.fillnull_value !== undefined ? { fillnull: args.fillnull_value } : {}),
    source: (agg) => (agg.field !== undefined ? columnValues(table.column(agg.field)) : undefined),
    sourceColumn: (agg) => (agg.field !== undefined ? table.column(agg.field) : undefined),
    time: columnValues(time),
    ...(time instanceof NumberColumn ? { times: time.values } : {}),
  });
}

/** Child datasets' fields are their root's: `Allowed_Traffic.action` reads `All_Traffic.action`. */
function withDatasetPrefixes(summary: DataModelSummary): Table {
  let table = summary.table;
  const extra: Array<[string, Column]> = [];
  for (const dataset of summary.model.datasets) {
    if (dataset.name === dataset.root) continue;
    const prefix = `${dataset.root}.`;
    for (const field of table.fields()) {
      const name = `${dataset.name}.${field.slice(prefix.length)}`;
      if (field.startsWith(prefix) && !table.has(name)) extra.push([name, table.column(field)!]);
    }
  }
  if (extra.length > 0) table = table.withColumns(extra);
  return table;
}

/** The rows of a dataset of the model; undefined for the whole model (every row). */
function datasetRows(summary: DataModelSummary, dataset: string | undefined, span: Span): Uint32Array | undefined {
  if (dataset === undefined) return undefined;
  const rows = summary.membership.get(dataset);
  if (!rows) {
    const known = summary.model.datasets.map((d) => d.name).join(", ");
    throw new RuntimeError(`data model ${summary.model.name} has no dataset ${dataset} (it has ${known})`, span);
  }
  return rows;
}

/** The rows (of the dataset, or all) where the WHERE clause is true: from the summary's inverted indexes where it can be. */
function filter(rows: Uint32Array | undefined, where: SearchExpr, table: Table, ctx: ExecContext): Uint32Array {
  try {
    return selectRows(where, table, ctx, rows);
  } catch (error) {
    if (error instanceof MatchError) throw new RuntimeError(error.message, error.span);
    throw error;
  }
}

function allRows(n: number): Uint32Array {
  const rows = new Uint32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return rows;
}

function inTimeRange(rows: Uint32Array, table: Table, ctx: ExecContext): Uint32Array {
  if (ctx.earliest === undefined && ctx.latest === undefined) return rows;
  const time = table.column("_time");
  const lo = ctx.earliest ?? -Infinity;
  const hi = ctx.latest ?? Infinity;
  return rows.filter((row) => {
    const t = toNumber(time?.get(row) ?? null);
    return t !== null && t >= lo && t < hi;
  });
}

function columnValues(column: Column | undefined): (row: number) => Value {
  return column ? (row) => column.get(row) : () => null;
}

/** A by-field; `_time` is cut to the start of its span (sub-day spans from epoch 0, longer ones on local calendar boundaries). */
function groupField(field: string, table: Table, bin: Timespan | undefined, tz: string): GroupField {
  const column = table.column(field);
  if (!column) return { name: field, values: () => null };
  if (!bin) return { name: field, values: (row) => column.get(row), column };
  return {
    name: field,
    values: (row) => {
      const t = toNumber(column.get(row));
      return t === null ? null : binStart(t, bin, tz);
    },
  };
}

function readFrom(r: ArgReader): TstatsArgs["from"] {
  if (!r.atOption("datamodel")) r.failHere("expected datamodel=<data model name> after FROM");
  const o = r.option();
  const [datamodel, ...dataset] = o.value.text.split(".");
  if (!datamodel) r.fail("bad-argument", "tstats: expected a data model name after datamodel=", o.value.span);
  return dataset.length > 0 ? { datamodel, dataset: dataset.join("."), span: o.span } : { datamodel, span: o.span };
}

/** `nodename=A.B` selects a child dataset; it is not a filter on events, so it leaves the WHERE expression. */
function takeNodename(where: SearchExpr | undefined): { nodename?: string; rest?: SearchExpr } {
  if (!where) return {};
  const isNode = (e: SearchExpr) => e.kind === "compare" && e.op === "=" && e.field.toLowerCase() === "nodename";
  if (isNode(where) && where.kind === "compare") return { nodename: where.value.text };
  if (where.kind === "and") {
    const node = where.items.find(isNode);
    if (node && node.kind === "compare") {
      const items = where.items.filter((e) => e !== node);
      const rest: SearchExpr = items.length === 1 ? items[0]! : { ...where, items };
      return { nodename: node.value.text, rest };
    }
  }
  return { rest: where };
}

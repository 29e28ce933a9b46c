import { compileEval, type EvalResult } from "../eval/compile.js";
import { EvalCompileError } from "../eval/types.js";
import { RuntimeError, type ExecContext } from "../exec/context.js";
import type { Span } from "../parse/ast.js";
import type { ArgReader } from "../parse/args.js";
import * as T from "../parse/lexer.js";
import type { Column, Table } from "../table/table.js";
import type { Value } from "../table/value.js";
import { aggregate, isAggregationStart, readAggregation, readFieldList, runnableFunctions, type Aggregation, type GroupField } from "./aggregations.js";
import { defineCommand } from "./command.js";

/** `stats [options] <aggregation>... [by <field-list>]` (searchbnf [stats-command]). */
export interface StatsArgs {
  readonly options: Readonly<Record<string, string>>;
  readonly aggregations: readonly Aggregation[];
  readonly by: ReadonlyArray<{ readonly field: string; readonly span: Span }>;
}

const statsOptions: ReadonlySet<string> = new Set(["allnum", "delim", "partitions", "dedup_splitvals"]);

/**
 * The arguments of stats and of the commands that share its syntax (eventstats): options from
 * `allowedOptions`, then aggregation terms (commas allowed between them), then `BY <fields>`.
 */
export function parseStatsArgs(r: ArgReader, allowedOptions: ReadonlySet<string> = statsOptions): StatsArgs {
  const options: Record<string, string> = {};
  const aggregations: Aggregation[] = [];
  while (r.atOption()) {
    const o = r.option();
    if (!allowedOptions.has(o.key)) r.fail("bad-argument", `${r.command}: unknown option '${o.key}'`, o.span);
    options[o.key] = o.value.text;
  }
  while (!r.atEnd() && !r.atWord("by")) {
    if (r.accept(T.Comma)) continue;
    if (!isAggregationStart(r)) r.failHere("expected a statistical function such as count, dc(x) or values(x)");
    aggregations.push(readAggregation(r));
  }
  if (aggregations.length === 0) r.failHere("expected at least one statistical function");
  let by: StatsArgs["by"] = [];
  if (r.acceptWord("by")) {
    by = readFieldList(r);
    if (by.length === 0) r.failHere("expected a field name after BY");
  }
  r.end();
  return { options, aggregations, by };
}

export const stats = defineCommand<StatsArgs>({
  name: "stats",
  parse: (r) => parseStatsArgs(r),
  run: (args, input, ctx) => runAggregations(args, input, ctx, "stats").table,
});

/**
 * The stats table of `input`: one row per distinct combination of by-values (rows with a null
 * by-value are left out, a multivalue by-value puts the row in one group per value), sorted by the
 * by-values; without BY, exactly one row, even over no input (count 0). See aggregations.ts and
 * spl_semantics.md §1.4, §1.5, §4.8.
 *
 * `func(eval(expr))` is "equivalent to `eval temp_field = expr | stats func(temp_field)`" (SPL2
 * Search Reference, "Overview of SPL2 stats and chart functions"; the Search Manual's "Use the eval
 * command and functions" uses `count(eval(status=404))` to count 404 events). A comparison inside
 * eval(...) is true or false; false and null are no value (not counted), and true is taken as the
 * value 1, so count(eval(x>1)) counts the rows where x>1 and sum(eval(x>1)) agrees with it.
 * UNCONFIRMED: what value Splunk gives `true` (visible only through values()/sum()).
 *
 * Returns the aggregations actually computed, with their AS names: `values(*) AS *` is expanded over
 * the input's fields.
 */
export function runAggregations(
  args: StatsArgs,
  input: Table,
  ctx: ExecContext,
  command: string,
  /** Name the aggregation columns `\u0000<i>` (the i-th aggregation) so none can hide a by-field. */
  internalNames = false,
): { table: Table; aggregations: Aggregation[] } {
  const byNames = new Set(args.by.map((b) => b.field));
  const expanded = expandWildcards(args.aggregations, input, byNames, command);
  const aggregations = internalNames ? expanded.map((agg, i) => ({ ...agg, as: `\u0000${i}` })) : expanded;
  if (args.options.allnum !== undefined && /^(t|true|1|yes|y)$/i.test(args.options.allnum)) {
    ctx.warn(`${command}: allnum=true is not supported yet and is ignored (non-numeric values are skipped, as with allnum=false)`);
  }
  // Each eval(...) argument is compiled once, before any row is read.
  const sources = new Map<Aggregation, (row: number) => Value>();
  for (const agg of aggregations) {
    if (agg.evalExpr) sources.set(agg, compileStatsEval(agg, input, ctx));
    else if (agg.field !== undefined) sources.set(agg, columnValues(input.column(agg.field)));
  }
  const by: GroupField[] = args.by.map(({ field }) => ({ name: field, values: columnValues(input.column(field)) }));
  const table = aggregate(allRows(input.length), by, aggregations, {
    source: (agg) => sources.get(agg),
    time: columnValues(input.column("_time")),
  });
  return { table, aggregations: expanded };
}

function compileStatsEval(agg: Aggregation, input: Table, ctx: ExecContext): (row: number) => Value {
  let compiled: (row: number) => EvalResult;
  try {
    compiled = compileEval(agg.evalExpr!, input, { now: ctx.now, tz: ctx.tz });
  } catch (error) {
    if (error instanceof EvalCompileError) throw new RuntimeError(error.message, error.span);
    throw error;
  }
  return (row) => {
    const r = compiled(row);
    if (r === true) return 1;
    if (r === false) return null;
    return r;
  };
}

/**
 * Functions spelunk cannot compute are refused at the aggregation; a wildcard field (`values(*) AS *`,
 * "You can use wild card characters in field names", stats docs) becomes one aggregation per matching
 * input field, the `*`s of the AS name replaced by what the wildcards matched. The by-fields are not
 * aggregated, and neither are internal `_` fields unless the pattern names them (searchbnf: fields
 * that begin with "_" "are not used in many of the commands that by default operate on all the fields").
 */
function expandWildcards(aggs: readonly Aggregation[], input: Table, byNames: ReadonlySet<string>, command: string): Aggregation[] {
  const out: Aggregation[] = [];
  for (const agg of aggs) {
    if (!runnableFunctions.has(agg.fn)) throw new RuntimeError(`${command}: function ${agg.fn} is not supported yet`, agg.span);
    if (agg.field === undefined || !agg.field.includes("*")) {
      out.push(agg);
      continue;
    }
    const pattern = wildcardPattern(agg.field);
    for (const field of input.fields()) {
      if (byNames.has(field) || (field.startsWith("_") && !agg.field.startsWith("_"))) continue;
      const m = pattern.exec(field);
      if (!m) continue;
      let k = 1;
      const as = agg.as.replace(/\*/g, () => m[k++] ?? "");
      out.push({ ...agg, field, as });
    }
  }
  return out;
}

function wildcardPattern(text: string): RegExp {
  const parts = text.split("*").map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"));
  return new RegExp(`^${parts.join("([\\s\\S]*)")}$`);
}

function allRows(n: number): Uint32Array {
  const rows = new Uint32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return rows;
}

function columnValues(column: Column | undefined): (row: number) => Value {
  return column ? (row) => column.get(row) : () => null;
}

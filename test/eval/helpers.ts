/** Run eval expressions over small tables, as `where` parses them. */
import type { WhereArgs } from "../../src/commands/where.js";
import { compileEval, type EvalContext, type EvalResult } from "../../src/eval/compile.js";
import type { EvalExpr } from "../../src/parse/ast.js";
import { parseSearch } from "../../src/parse/pipeline.js";
import { Table } from "../../src/table/table.js";
import type { Value } from "../../src/table/value.js";

export const ctx: EvalContext = { now: 1591367999, tz: "UTC" };

export function expr(text: string): EvalExpr {
  return (parseSearch(`| where ${text}`).stages[0]!.args as WhereArgs).predicate;
}

/** The expression's result for each row. */
export function evalRows(text: string, rows: ReadonlyArray<Record<string, Value>>, context: EvalContext = ctx): EvalResult[] {
  const table = Table.fromRows(rows);
  const f = compileEval(expr(text), table, context);
  return rows.map((_, i) => f(i));
}

/** The expression's result for one row (no fields unless given). */
export function ev(text: string, row: Record<string, Value> = {}, context: EvalContext = ctx): EvalResult {
  return evalRows(text, [row], context)[0]!;
}

import { RuntimeError } from "../exec/context.js";
import { checkEvalAssignment, compileEval, EvalCompileError, evalToValue, type EvalContext, type EvalResult } from "../eval/compile.js";
import type { EvalAssignment, EvalExpr } from "../parse/ast.js";
import { ArrayColumn, type Table } from "../table/table.js";
import type { Value } from "../table/value.js";
import { defineCommand } from "./command.js";

/** `eval field=expr [, field=expr]...` */
export interface EvalArgs {
  readonly assignments: readonly EvalAssignment[];
}

export const evalCommand = defineCommand<EvalArgs>({
  name: "eval",
  parse: (r) => ({ assignments: r.evalAssignments() }),
  run: (args, input, ctx) => runEval(args, input, ctx),
});

/**
 * Compile an expression over `table`; an error in it (unknown function, wrong arity ...) becomes a
 * located RuntimeError. Shared by where and head.
 */
export function compileOrFail(expr: EvalExpr, table: Table, ctx: EvalContext): (row: number) => EvalResult {
  try {
    return compileEval(expr, table, { now: ctx.now, tz: ctx.tz });
  } catch (error) {
    if (error instanceof EvalCompileError) throw new RuntimeError(error.message, error.span);
    throw error;
  }
}

/**
 * Assignments run left to right, each over the table the previous ones left, so `eval a=1, b=a+1`
 * sees the new a (searchbnf [eval-command] allows several comma-separated assignments).
 * - "the result of an eval statement is not allowed to be boolean": checked for every assignment
 *   before anything runs.
 * - An existing field is replaced in place (keeps its column); a new one is added at the end.
 * - "If search time evaluation of the expression is unsuccessful for a given event, eval erases the
 *   value in the result field" and "Setting a field to null will clear its value": a null result
 *   removes the field from that row; a field left with no value in any row is removed altogether.
 */
function runEval(args: EvalArgs, input: Table, ctx: EvalContext): Table {
  for (const a of args.assignments) {
    const message = checkEvalAssignment(a.expr);
    if (message) throw new RuntimeError(message, a.expr.span);
  }
  let table = input;
  for (const a of args.assignments) {
    const f = compileOrFail(a.expr, table, ctx);
    const values = new Array<Value>(table.length);
    let any = false;
    for (let row = 0; row < table.length; row++) {
      const v = evalToValue(f(row));
      values[row] = v;
      if (v !== null) any = true;
    }
    if (any) table = table.withColumn(a.field, new ArrayColumn(values));
    else if (table.has(a.field)) table = table.without([a.field]);
  }
  return table;
}

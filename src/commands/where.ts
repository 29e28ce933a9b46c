import type { EvalExpr } from "../parse/ast.js";
import { isTrue } from "../eval/compile.js";
import { defineCommand } from "./command.js";
import { compileOrFail } from "./eval.js";

/** `where <eval-expression>`: keeps the rows for which the expression is true (AND binds tighter than OR). */
export interface WhereArgs {
  readonly predicate: EvalExpr;
}

export const where = defineCommand<WhereArgs>({
  name: "where",
  parse: (r) => ({ predicate: r.evalExpression() }),
  /**
   * "Keeps only the results for which the evaluation was successful and the boolean result was
   * true" (searchbnf [where-command]): null, false and non-boolean results drop the row.
   */
  run(args, input, ctx) {
    const f = compileOrFail(args.predicate, input, ctx);
    const keep = new Uint32Array(input.length);
    let n = 0;
    for (let row = 0; row < input.length; row++) if (isTrue(f(row))) keep[n++] = row;
    return n === input.length ? input : input.take(keep.subarray(0, n));
  },
});

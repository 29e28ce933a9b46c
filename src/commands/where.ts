import type { EvalExpr } from "../parse/ast.js";
import { defineCommand } from "./command.js";

/** `where <eval-expression>`: keeps the rows for which the expression is true (AND binds tighter than OR). */
export interface WhereArgs {
  readonly predicate: EvalExpr;
}

export const where = defineCommand<WhereArgs>({
  name: "where",
  parse: (r) => ({ predicate: r.evalExpression() }),
});

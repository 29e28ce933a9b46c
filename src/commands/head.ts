import type { ArgReader } from "../parse/args.js";
import type { EvalExpr } from "../parse/ast.js";
import * as T from "../parse/lexer.js";
import { defineCommand } from "./command.js";
import { boolOption, intOption, isCount, readOption, type OptionHandlers } from "./options.js";

/**
 * `head [<int> | (<eval-expression>)] [limit=<int>] [null=<bool>] [keeplast=<bool>]`
 * (searchbnf `[head-command]`): "Returns the first n results, or 10 if no integer is specified";
 * with an expression, returns results until the expression is false.
 */
export interface HeadArgs {
  /** Resolved count: the positional count or limit=, else 10. */
  readonly limit: number;
  /** `head (action="startup")`: stop at the first result for which this is false. */
  readonly predicate?: EvalExpr;
  /** null=true: a null predicate result counts as true (default false). */
  readonly null: boolean;
  /** keeplast=true: also keep the result that ended the run (default false). */
  readonly keeplast: boolean;
}

export const head = defineCommand<HeadArgs>({
  name: "head",
  parse(r: ArgReader) {
    let limit = 10;
    let predicate: EvalExpr | undefined;
    let nullIsTrue = false;
    let keeplast = false;
    const t = r.peek();
    if (t?.tokenType === T.LParen) {
      const { inner } = r.parenthesised();
      if (inner.atEnd()) inner.failHere("expected an eval expression inside head ( )");
      predicate = inner.evalExpression();
    } else if (t?.tokenType === T.Word && isCount(t.image)) {
      limit = Number(r.next().image);
    } else if (t && !r.atOption()) {
      r.failHere("expected a whole number of results (as in head 10) or (<eval-expression>)");
    }
    const options: OptionHandlers = {
      limit: (o) => (limit = intOption(o, r)),
      null: (o) => (nullIsTrue = boolOption(o, r)),
      keeplast: (o) => (keeplast = boolOption(o, r)),
    };
    while (!r.atEnd()) {
      if (!readOption(r, options)) r.failHere("expected limit=, null= or keeplast=");
    }
    return predicate ? { limit, predicate, null: nullIsTrue, keeplast } : { limit, null: nullIsTrue, keeplast };
  },
});

import type { ArgReader } from "../parse/args.js";
import type { EvalExpr } from "../parse/ast.js";
import * as T from "../parse/lexer.js";
import { defineCommand } from "./command.js";
import { compileOrFail } from "./eval.js";
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
  /**
   * head doc (9.3, https://help.splunk.com/splunk-enterprise/spl-search-reference/9.3/search-commands/head):
   * - "If no options or limits are specified, the head command returns the first 10 results"; the
   *   limit also applies with an expression ("Returns up to 10 results, which is the default number,
   *   or until ..." for `head (timerange<100)`, SPL2 head examples), so the smaller one wins.
   * - With an expression, results are returned "until this expression evaluates to false".
   * - null=<bool>: a NULL result counts as true with null=true (the row is kept and head goes on),
   *   as false with null=false, the default (head stops there).
   * - keeplast: "The last result returned is the result that caused the eval-expression to evaluate
   *   to false or NULL. Set keeplast to true to retain the last result"; it counts within the limit.
   * A non-boolean result (a number, a string) is neither true nor NULL: it stops head, as false.
   */
  run(args, input, ctx) {
    const limit = Math.min(args.limit, input.length);
    if (!args.predicate) return limit === input.length ? input : input.take(rowRange(limit));
    const f = compileOrFail(args.predicate, input, ctx);
    let n = 0;
    while (n < limit) {
      const r = f(n);
      if (r === true || (r === null && args.null)) {
        n++;
        continue;
      }
      if (args.keeplast) n++;
      break;
    }
    return n === input.length ? input : input.take(rowRange(n));
  },
});

/** Rows 0 .. n-1. */
function rowRange(n: number): Uint32Array {
  const rows = new Uint32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return rows;
}

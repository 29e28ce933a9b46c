import type { SearchExpr } from "../parse/ast.js";
import { defineCommand } from "./command.js";

/** `search <logical-expression>`: the implicit first command, and a filter later in the pipeline. */
export interface SearchArgs {
  readonly expr: SearchExpr;
}

export const search = defineCommand<SearchArgs>({
  name: "search",
  parse(r) {
    if (r.atEnd()) r.failHere("expected a search expression (use `search *` to match everything)");
    const expr = r.searchExpression();
    r.end();
    return { expr };
  },
});

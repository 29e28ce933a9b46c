import type { ExecContext } from "../exec/context.js";
import { RuntimeError } from "../exec/context.js";
import type { SearchExpr, SearchValue, Span } from "../parse/ast.js";
import { compileSearchExpr, MatchError } from "../search/match.js";
import type { Table } from "../table/table.js";
import { scalarText, valuesOf } from "../table/value.js";
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
  async run(args, input, ctx) {
    return filterRows(input, await resolveSubsearches(args.expr, ctx), ctx);
  },
});

/** Rows of `table` matching `expr` (search semantics), as a view. */
export function filterRows(table: Table, expr: SearchExpr, ctx: ExecContext): Table {
  let matches;
  try {
    matches = compileSearchExpr(expr, table, ctx);
  } catch (error) {
    if (error instanceof MatchError) throw new RuntimeError(error.message, error.span);
    throw error;
  }
  const keep = new Uint32Array(table.length);
  let n = 0;
  for (let row = 0; row < table.length; row++) if (matches(row)) keep[n++] = row;
  return n === table.length ? table : table.take(keep.subarray(0, n));
}

/** Subsearch results become search terms: OR of rows, each an AND of its fields (Splunk's implicit `format`). */
export async function resolveSubsearches(expr: SearchExpr, ctx: ExecContext): Promise<SearchExpr> {
  switch (expr.kind) {
    case "and":
    case "or":
      return { ...expr, items: await Promise.all(expr.items.map((e) => resolveSubsearches(e, ctx))) };
    case "not":
      return { ...expr, expr: await resolveSubsearches(expr.expr, ctx) };
    case "subsearch":
      return formatResults(await ctx.runSubsearch(expr.pipeline), expr.span);
    default:
      return expr;
  }
}

/** Subsearch output limit (limits.conf [subsearch] maxout default 10000). */
const SUBSEARCH_MAXOUT = 10_000;

function formatResults(table: Table, span: Span): SearchExpr {
  const fields = table.fields().filter((f) => !f.startsWith("_"));
  const rows: SearchExpr[] = [];
  for (let row = 0; row < Math.min(table.length, SUBSEARCH_MAXOUT); row++) {
    const terms: SearchExpr[] = [];
    for (const field of fields) {
      const values = valuesOf(table.get(row, field));
      if (values.length === 0) continue;
      const compares: SearchExpr[] = values.map((v) => ({ kind: "compare", field, op: "=", value: literal(scalarText(v), span), span }));
      terms.push(compares.length === 1 ? compares[0]! : { kind: "or", items: compares, span });
    }
    if (terms.length > 0) rows.push(terms.length === 1 ? terms[0]! : { kind: "and", items: terms, span });
  }
  // No results: a subsearch that found nothing matches nothing.
  if (rows.length === 0) return { kind: "not", expr: { kind: "term", value: literal("*", span), span }, span };
  return rows.length === 1 ? rows[0]! : { kind: "or", items: rows, span };
}

function literal(text: string, span: Span): SearchValue {
  // Subsearch values are exact: escape wildcards so that a value containing * matches only itself.
  return { text: text.replace(/[\\*]/g, "\\$&"), quoted: true, term: false, caseSensitive: false, span };
}

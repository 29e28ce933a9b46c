import type { Span } from "../parse/ast.js";
import * as T from "../parse/lexer.js";
import { isAggregationStart, readAggregation, readFieldList, type Aggregation } from "./aggregations.js";
import { defineCommand } from "./command.js";

/** `stats [options] <aggregation>... [by <field-list>]` (searchbnf [stats-command]). */
export interface StatsArgs {
  readonly options: Readonly<Record<string, string>>;
  readonly aggregations: readonly Aggregation[];
  readonly by: ReadonlyArray<{ readonly field: string; readonly span: Span }>;
}

const statsOptions = new Set(["allnum", "delim", "partitions", "dedup_splitvals"]);

export const stats = defineCommand<StatsArgs>({
  name: "stats",
  parse(r) {
    const options: Record<string, string> = {};
    const aggregations: Aggregation[] = [];
    while (r.atOption()) {
      const o = r.option();
      if (!statsOptions.has(o.key)) r.fail("bad-argument", `stats: unknown option '${o.key}'`, o.span);
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
  },
});

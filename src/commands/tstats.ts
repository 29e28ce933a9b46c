import type { SearchExpr, Span } from "../parse/ast.js";
import type { ArgReader } from "../parse/args.js";
import * as T from "../parse/lexer.js";
import { parseBool } from "./options.js";
import { isAggregationStart, readAggregation, readFieldList, type Aggregation } from "./aggregations.js";
import { defineCommand } from "./command.js";

/**
 * `tstats [options] <aggregation>... [FROM datamodel=<DM>[.<dataset>]] [WHERE <search-expr>] [BY <fields> [span=<timespan>]]`
 * (searchbnf 8.2.12 [tstats-command]; spl_semantics.md §1).
 */
export interface TstatsArgs {
  readonly prestats: boolean;
  readonly append: boolean;
  readonly local: boolean;
  readonly summariesonly: boolean;
  readonly allow_old_summaries: boolean;
  readonly include_reduced_buckets: boolean;
  /** When set, null group-by values become this string instead of dropping the row (ESCU passes "null"). */
  readonly fillnull_value?: string;
  readonly aggregations: readonly Aggregation[];
  /** `from datamodel=Network_Traffic.All_Traffic` → { datamodel: "Network_Traffic", dataset: "All_Traffic" }. */
  readonly from?: { readonly datamodel: string; readonly dataset?: string; readonly span: Span };
  /** `where nodename=All_Traffic.Traffic_By_Action`, taken out of the WHERE clause. */
  readonly nodename?: string;
  readonly where?: SearchExpr;
  readonly by: ReadonlyArray<{ readonly field: string; readonly span: Span }>;
  /** `span=1h` of a `by _time` clause, as written. */
  readonly span?: { readonly text: string; readonly span: Span };
}

const booleanOptions = ["prestats", "append", "local", "summariesonly", "allow_old_summaries", "include_reduced_buckets"] as const;
const otherOptions = new Set(["chunk_size", "fillnull_value", "use_summary_index_values"]);

export const tstats = defineCommand<TstatsArgs>({
  name: "tstats",
  // "Except in 'append=t' mode, this is a generating processor, so it must be the first command in a search."
  generating: (args) => !(args.prestats && args.append),
  parse(r) {
    const flags: Record<string, boolean> = {};
    let fillnull: string | undefined;
    const readOptions = () => {
      while (r.atOption() && !r.atOption("datamodel")) {
        const o = r.option();
        if ((booleanOptions as readonly string[]).includes(o.key)) flags[o.key] = parseBool(o.value, r);
        else if (o.key === "fillnull_value") fillnull = o.value.text;
        else if (!otherOptions.has(o.key)) r.fail("bad-argument", `tstats: unknown option '${o.key}'`, o.span);
      }
    };
    readOptions();
    const aggregations: Aggregation[] = [];
    // ESCU separates tstats aggregations with commas as often as with spaces.
    while (isAggregationStart(r)) {
      aggregations.push(readAggregation(r));
      while (r.accept(T.Comma));
      readOptions();
    }
    if (aggregations.length === 0) r.failHere("expected a statistical function such as count or values(field)");

    let from: TstatsArgs["from"];
    let where: SearchExpr | undefined;
    let by: TstatsArgs["by"] = [];
    let span: TstatsArgs["span"];
    while (!r.atEnd()) {
      if (!from && r.acceptWord("from")) {
        from = readFrom(r);
      } else if (!where && r.acceptWord("where")) {
        where = r.searchExpression(["by", "groupby", "from"]);
      } else if (by.length === 0 && r.acceptWord("by", "groupby")) {
        const fields: Array<TstatsArgs["by"][number]> = [];
        while (!r.atEnd()) {
          if (r.atOption("span")) {
            const o = r.option();
            span = { text: o.value.text, span: o.value.span };
            continue;
          }
          const more = readFieldList(r, [], true);
          if (more.length === 0) break;
          fields.push(...more);
        }
        if (fields.length === 0) r.failHere("expected a field name after BY");
        by = fields;
      } else {
        r.failHere("expected FROM, WHERE or BY");
      }
    }
    const { nodename, rest } = takeNodename(where);
    return {
      prestats: flags.prestats ?? false,
      append: flags.append ?? false,
      local: flags.local ?? false,
      summariesonly: flags.summariesonly ?? false,
      allow_old_summaries: flags.allow_old_summaries ?? false,
      include_reduced_buckets: flags.include_reduced_buckets ?? false,
      ...(fillnull !== undefined ? { fillnull_value: fillnull } : {}),
      aggregations,
      ...(from ? { from } : {}),
      ...(nodename ? { nodename } : {}),
      ...(rest ? { where: rest } : {}),
      by,
      ...(span ? { span } : {}),
    };
  },
});

function readFrom(r: ArgReader): TstatsArgs["from"] {
  if (!r.atOption("datamodel")) r.failHere("expected datamodel=<data model name> after FROM");
  const o = r.option();
  const [datamodel, ...dataset] = o.value.text.split(".");
  if (!datamodel) r.fail("bad-argument", "tstats: expected a data model name after datamodel=", o.value.span);
  return dataset.length > 0 ? { datamodel, dataset: dataset.join("."), span: o.span } : { datamodel, span: o.span };
}

/** `nodename=A.B` selects a child dataset; it is not a filter on events, so it leaves the WHERE expression. */
function takeNodename(where: SearchExpr | undefined): { nodename?: string; rest?: SearchExpr } {
  if (!where) return {};
  const isNode = (e: SearchExpr) => e.kind === "compare" && e.op === "=" && e.field.toLowerCase() === "nodename";
  if (isNode(where) && where.kind === "compare") return { nodename: where.value.text };
  if (where.kind === "and") {
    const node = where.items.find(isNode);
    if (node && node.kind === "compare") {
      const items = where.items.filter((e) => e !== node);
      const rest: SearchExpr = items.length === 1 ? items[0]! : { ...where, items };
      return { nodename: node.value.text, rest };
    }
  }
  return { rest: where };
}

/**
 * `eventstats [allnum=<bool>] <stats-agg-term>... [BY <field-list>]` (Search Reference, eventstats):
 * the stats of each group added to every result of the group; results and their order unchanged.
 *
 * - "The command creates a new field in every event and places the aggregation in that field. The
 *   aggregation is added to every event, even events that were not used to generate the aggregation"
 *   (eventstats, "How eventstats generates aggregations"): in the docs' example a Seattle event
 *   without `age` still gets avg(age)=39 from the other Seattle event.
 * - An aggregation named like an existing field replaces it (the new field is "placed" in every event).
 * - A result whose by-field is null belongs to no group (stats leaves such rows out, spl_semantics
 *   §4.8) and gets no value. UNCONFIRMED: the eventstats docs do not say.
 * - A multivalue by-field: the result takes the statistics of the group of its first value (stats
 *   counts it in every group of its values). UNCONFIRMED.
 */
import type { ExecContext } from "../exec/context.js";
import type { Column, Table } from "../table/table.js";
import { scalarText, valuesOf, type Value } from "../table/value.js";
import { defineCommand } from "./command.js";
import { parseStatsArgs, runAggregations, type StatsArgs } from "./stats.js";

export type EventstatsArgs = StatsArgs;

const eventstatsOptions: ReadonlySet<string> = new Set(["allnum"]);

export const eventstats = defineCommand<EventstatsArgs>({
  name: "eventstats",
  parse: (r) => parseStatsArgs(r, eventstatsOptions),
  run: (args, input, ctx) => runEventstats(args, input, ctx),
});

function runEventstats(args: EventstatsArgs, input: Table, ctx: ExecContext): Table {
  if (input.length === 0) return input;
  const { table: groups, aggregations } = runAggregations(args, input, ctx, "eventstats", true);
  const groupOf = new Int32Array(input.length);
  if (args.by.length === 0) {
    groupOf.fill(0);
  } else {
    // Group keys as aggregate() builds them: the by-values' text, joined.
    const index = new Map<string, number>();
    const keyColumns = args.by.map((b) => groups.column(b.field)!);
    for (let g = 0; g < groups.length; g++) index.set(keyColumns.map((c) => scalarText(c.get(g) as string | number)).join("\u0000"), g);
    const byColumns = args.by.map((b) => input.column(b.field));
    const parts: string[] = new Array<string>(byColumns.length);
    for (let row = 0; row < input.length; row++) {
      let missing = false;
      for (let b = 0; b < byColumns.length; b++) {
        const first = valuesOf(byColumns[b]?.get(row) ?? null)[0];
        if (first === undefined) {
          missing = true;
          break;
        }
        parts[b] = scalarText(first);
      }
      groupOf[row] = missing ? -1 : (index.get(parts.length === 1 ? parts[0]! : parts.join("\u0000")) ?? -1);
    }
  }
  const added: Array<[string, Column]> = [];
  const seen = new Set<string>();
  // Aggregation i is column "\u0000<i>" of the group table (internal names: none hides a by-field).
  // Later aggregations with the same AS name win, as in a stats table.
  for (let a = aggregations.length - 1; a >= 0; a--) {
    const name = aggregations[a]!.as;
    if (seen.has(name)) continue;
    seen.add(name);
    added.unshift([name, new GroupValueColumn(groups.column(`\u0000${a}`)!, groupOf)]);
  }
  return input.withColumns(added);
}

/** Row r's value is the group table's value in row groupOf[r] (null for no group). */
class GroupValueColumn implements Column {
  constructor(
    private readonly groupValues: Column,
    private readonly groupOf: Int32Array,
  ) {}
  get length(): number {
    return this.groupOf.length;
  }
  get(row: number): Value {
    const g = this.groupOf[row] ?? -1;
    return g < 0 ? null : this.groupValues.get(g);
  }
}

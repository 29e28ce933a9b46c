import { describe, expect, it } from "vitest";
import { eventstats } from "../../src/commands/eventstats.js";
import type { StatsArgs } from "../../src/commands/stats.js";
import type { Stage } from "../../src/parse/ast.js";
import { parseSearch } from "../../src/parse/pipeline.js";
import { Table } from "../../src/table/table.js";
import { testContext } from "../exec/context.js";

/** eventstats takes stats' arguments; parsed through stats until eventstats is registered. */
async function runEventstats(args: string, input: Table): Promise<Table> {
  const stage = parseSearch(`| stats ${args}`).stages[0] as Stage<StatsArgs>;
  return eventstats.run!(stage.args, input, testContext(), { ...stage, name: "eventstats" });
}

// The Search Reference's eventstats example: four events, one without age.
const people = Table.fromRows([
  { count: 1, age: 25, city: "San Francisco" },
  { count: 2, age: 39, city: "Seattle" },
  { count: 3, age: 31, city: "San Francisco" },
  { count: 4, city: "Seattle" },
]);

describe("eventstats", () => {
  it("adds each city's average age to every event of the city, order unchanged", async () => {
    const out = await runEventstats("avg(age) by city", people);
    expect(out.rows().map((r) => [r.count, r["avg(age)"]])).toEqual([
      [1, 28],
      [2, 39],
      [3, 28],
      [4, 39],
    ]);
    expect(out.fields()).toEqual(["count", "age", "city", "avg(age)"]);
  });

  it("adds the same value to every event without BY, named by AS", async () => {
    const out = await runEventstats("max(age) AS oldest, count AS n", people);
    expect(out.rows().map((r) => [r.oldest, r.n])).toEqual([
      [39, 4],
      [39, 4],
      [39, 4],
      [39, 4],
    ]);
  });

  it("gives no value to an event without the by-field", async () => {
    const input = Table.fromRows([
      { host: "a", bytes: 10 },
      { host: "a", bytes: 30 },
      { bytes: 1000 },
    ]);
    const out = await runEventstats("avg(bytes) AS avg by host", input);
    expect(out.rows()).toEqual([
      { host: "a", bytes: 10, avg: 20 },
      { host: "a", bytes: 30, avg: 20 },
      { bytes: 1000 },
    ]);
  });

  it("replaces a field of the same name", async () => {
    const input = Table.fromRows([
      { user: "u", api_calls: "a" },
      { user: "u", api_calls: "b" },
    ]);
    const out = await runEventstats("dc(api_calls) AS api_calls by user", input);
    expect(out.rows()).toEqual([
      { user: "u", api_calls: 2 },
      { user: "u", api_calls: 2 },
    ]);
  });
});

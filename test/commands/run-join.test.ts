import { describe, expect, it } from "vitest";
import { Table } from "../../src/table/table.js";
import { emptyData, runStage, testContext } from "../exec/context.js";

const hr = Table.fromRows([
  { sourcetype: "hr", user: "alice", dept: "eng" },
  { sourcetype: "hr", user: "alice", dept: "ops" },
  { sourcetype: "hr", user: "bob", dept: "sales" },
]);
const ctx = testContext({ data: { ...emptyData, events: () => hr } });
const main = Table.fromRows([
  { user: "alice", n: 1 },
  { user: "bob", n: 2 },
  { user: "carol", n: 3 },
]);
const pairs = (t: Table): unknown[] => t.rows().map((r) => [r.user, r.dept ?? null]);

describe("join", () => {
  it("inner join with max=1 keeps matched results with their first subsearch match", async () => {
    expect(pairs(await runStage("join user [search sourcetype=hr]", main, ctx))).toEqual([
      ["alice", "eng"],
      ["bob", "sales"],
    ]);
  });

  it("left join keeps results without a match", async () => {
    expect(pairs(await runStage("join type=left user [search sourcetype=hr]", main, ctx))).toEqual([
      ["alice", "eng"],
      ["bob", "sales"],
      ["carol", null],
    ]);
    expect(pairs(await runStage("join user type=outer [search sourcetype=hr]", main, ctx))).toHaveLength(3);
  });

  it("max=0 joins every matching subsearch row, one output row each", async () => {
    const out = await runStage("join max=0 user [search sourcetype=hr]", main, ctx);
    expect(pairs(out)).toEqual([
      ["alice", "eng"],
      ["alice", "ops"],
      ["bob", "sales"],
    ]);
    expect(out.rows()[1]).toEqual({ user: "alice", n: 1, sourcetype: "hr", dept: "ops" });
  });

  it("joins on the fields both sides have when none are listed", async () => {
    expect(pairs(await runStage("join [search sourcetype=hr]", main, ctx))).toEqual([
      ["alice", "eng"],
      ["bob", "sales"],
    ]);
  });

  it("compares values exactly: case matters", async () => {
    expect(pairs(await runStage("join user [search sourcetype=hr]", Table.fromRows([{ user: "Alice" }]), ctx))).toEqual([]);
  });

  it("lets subsearch values replace the result's unless overwrite=false", async () => {
    const input = Table.fromRows([{ user: "bob", dept: "main" }]);
    expect(pairs(await runStage("join user [search sourcetype=hr]", input, ctx))).toEqual([["bob", "sales"]]);
    expect(pairs(await runStage("join overwrite=false user [search sourcetype=hr]", input, ctx))).toEqual([["bob", "main"]]);
  });
});

import { describe, expect, it } from "vitest";
import { Table } from "../../src/table/table.js";
import { emptyData, runStage, testContext } from "../exec/context.js";

const events = Table.fromRows([
  { sourcetype: "b", n: 1 },
  { sourcetype: "a", n: 2 },
  { sourcetype: "b", n: 3 },
]);
const ctx = testContext({ data: { ...emptyData, events: () => events } });

describe("append", () => {
  it("adds the subsearch's results after the current ones", async () => {
    const out = await runStage("append [search sourcetype=b]", Table.fromRows([{ x: "first" }]), ctx);
    expect(out.rows()).toEqual([{ x: "first" }, { sourcetype: "b", n: 1 }, { sourcetype: "b", n: 3 }]);
  });

  it("keeps at most maxout subsearch results", async () => {
    const out = await runStage("append maxout=1 [search sourcetype=b]", Table.fromRows([{ x: "first" }]), ctx);
    expect(out.rows()).toEqual([{ x: "first" }, { sourcetype: "b", n: 1 }]);
  });
});

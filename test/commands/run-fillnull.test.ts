import { describe, expect, it } from "vitest";
import { Table } from "../../src/table/table.js";
import { runStage } from "../exec/context.js";

describe("fillnull", () => {
  const input = Table.fromRows([{ a: 1 }, { b: 2 }]);

  it("fills every existing field with 0 by default", async () => {
    const out = await runStage("fillnull", input);
    expect(out.rows()).toEqual([
      { a: 1, b: "0" },
      { a: "0", b: 2 },
    ]);
  });

  it("fills only the listed fields, creating those no result has", async () => {
    const out = await runStage('fillnull value="N/A" b risk_score', input);
    expect(out.fields()).toEqual(["a", "b", "risk_score"]);
    expect(out.rows()).toEqual([
      { a: 1, b: "N/A", risk_score: "N/A" },
      { b: 2, risk_score: "N/A" },
    ]);
  });

  it("reads value= after the fields, as ESCU writes it", async () => {
    expect((await runStage('fillnull a value="unknown"', input)).rows()).toEqual([{ a: 1 }, { a: "unknown", b: 2 }]);
  });
});

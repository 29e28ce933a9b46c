import { describe, expect, it } from "vitest";
import { Table } from "../../src/table/table.js";
import type { Value } from "../../src/table/value.js";
import { runStage } from "../exec/context.js";

const ns = (t: Table): unknown[] => t.rows().map((r) => r.n ?? null);
const numbered = (values: readonly Value[]): Table => Table.fromRows(values.map((n, i) => ({ i, n })));

describe("head", () => {
  const fifteen = numbered(Array.from({ length: 15 }, (_, i) => i + 1));

  it("keeps the first 10 results by default", async () => {
    expect(ns(await runStage("head", fifteen))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it("keeps the first N with a count or limit=", async () => {
    expect(ns(await runStage("head 3", fifteen))).toEqual([1, 2, 3]);
    expect(ns(await runStage("head limit=2", fifteen))).toEqual([1, 2]);
    expect((await runStage("head 100", fifteen)).length).toBe(15);
  });

  it("keeps results until the expression is false, the false one too with keeplast=true", async () => {
    const input = numbered([1, 2, 3, 1]);
    expect(ns(await runStage("head (n<3)", input))).toEqual([1, 2]);
    expect(ns(await runStage("head (n<3) keeplast=true", input))).toEqual([1, 2, 3]);
  });

  it("stops at a null result, unless null=true counts it as true", async () => {
    const input = numbered([1, null, 2, 5, 1]);
    expect(ns(await runStage("head (n<3)", input))).toEqual([1]);
    expect(ns(await runStage("head (n<3) null=true", input))).toEqual([1, null, 2]);
    expect(ns(await runStage("head (n<3) keeplast=t", input))).toEqual([1, null]);
  });

  it("applies the count with an expression too, the smaller limit winning", async () => {
    expect(ns(await runStage("head (n<10) limit=2", numbered([1, 2, 3])))).toEqual([1, 2]);
    expect((await runStage("head (n>0)", fifteen)).length).toBe(10);
  });
});

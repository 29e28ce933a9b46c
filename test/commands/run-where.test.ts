import { describe, expect, it } from "vitest";
import { RuntimeError } from "../../src/exec/context.js";
import { Table } from "../../src/table/table.js";
import { runStage } from "../exec/context.js";

const ids = (t: Table): unknown[] => t.rows().map((r) => r.id);

describe("where", () => {
  it("binds AND tighter than OR", async () => {
    const input = Table.fromRows([
      { id: 1, a: 1, b: 0, c: 0 },
      { id: 2, a: 0, b: 1, c: 0 },
      { id: 3, a: 0, b: 1, c: 1 },
      { id: 4, a: 0, b: 0, c: 1 },
    ]);
    // a=1 OR (b=1 AND c=1); with OR first, (a=1 OR b=1) AND c=1 would drop row 1.
    expect(ids(await runStage("where a=1 OR b=1 AND c=1", input))).toEqual([1, 3]);
    expect(ids(await runStage("where (a=1 OR b=1) AND c=1", input))).toEqual([3]);
  });

  it("drops rows where the comparison is null (the field is missing)", async () => {
    const input = Table.fromRows([{ id: 1, x: "a" }, { id: 2, x: "b" }, { id: 3 }]);
    expect(ids(await runStage('where x!="a"', input))).toEqual([2]);
    expect(ids(await runStage("where isnull(x)", input))).toEqual([3]);
  });

  it("reads a field name with parentheses in single quotes and compares numerically", async () => {
    const input = Table.fromRows([{ id: 1, "IsOutlier(bytes)": "1.0" }, { id: 2, "IsOutlier(bytes)": "0.0" }]);
    expect(ids(await runStage("where 'IsOutlier(bytes)'>0", input))).toEqual([1]);
  });

  it("keeps only boolean true: a non-boolean result drops the row", async () => {
    const input = Table.fromRows([{ id: 1, n: 5 }]);
    expect(ids(await runStage("where n", input))).toEqual([]);
  });

  it("matches with LIKE and cidrmatch", async () => {
    const input = Table.fromRows([{ id: 1, src: "10.9.165.8" }, { id: 2, src: "10.9.166.1" }, { id: 3, src: "192.168.1.1" }]);
    expect(ids(await runStage('where src LIKE "10.9.165.%" OR cidrmatch("192.168.0.0/16", src)', input))).toEqual([1, 3]);
  });

  it("reports an unknown function as a located error", async () => {
    await expect(runStage("where nosuch(x)", Table.fromRows([{ x: 1 }]))).rejects.toBeInstanceOf(RuntimeError);
  });
});

import { describe, expect, it } from "vitest";
import { Table } from "../../src/table/table.js";
import { runStage } from "../exec/context.js";

const ids = (t: Table): unknown[] => t.rows().map((r) => r.id);

describe("sort", () => {
  const counts = Table.fromRows([
    { id: "a", count: 5 },
    { id: "b" },
    { id: "c", count: 10 },
    { id: "d", count: "5" },
    { id: "e", count: "9" },
  ]);

  it("sorts -count numerically, ties in input order, missing values last", async () => {
    expect(ids(await runStage("sort -count", counts))).toEqual(["c", "e", "a", "d", "b"]);
  });

  it("keeps missing values last ascending too", async () => {
    expect(ids(await runStage("sort count", counts))).toEqual(["a", "d", "e", "c", "b"]);
  });

  it("compares as strings with str(), so 10 sorts before 5", async () => {
    expect(ids(await runStage("sort str(count)", counts))).toEqual(["c", "a", "d", "e", "b"]);
  });

  it("reverses every key with a trailing desc, missing values staying last", async () => {
    expect(ids(await runStage("sort count desc", counts))).toEqual(["c", "e", "a", "d", "b"]);
  });

  it("keeps the first N rows with a count, 10000 by default, all with 0", async () => {
    expect(ids(await runStage("sort 2 -count", counts))).toEqual(["c", "e"]);
    const many = Table.fromRows(Array.from({ length: 10_001 }, (_, i) => ({ x: 10_001 - i })));
    const sorted = await runStage("sort x", many);
    expect(sorted.length).toBe(10_000);
    expect(sorted.get(0, "x")).toBe(1);
    expect((await runStage("sort 0 x", many)).length).toBe(10_001);
  });

  it("orders IP addresses as addresses", async () => {
    const input = Table.fromRows([{ id: 1, src: "10.0.0.10" }, { id: 2, src: "9.1.1.1" }, { id: 3, src: "10.0.0.9" }]);
    expect(ids(await runStage("sort src", input))).toEqual([2, 3, 1]);
    expect(ids(await runStage("sort ip(src)", input))).toEqual([2, 3, 1]);
    expect(ids(await runStage("sort str(src)", input))).toEqual([1, 3, 2]);
  });

  it("sorts text lexicographically, uppercase before lowercase", async () => {
    const input = Table.fromRows([{ id: "b" }, { id: "B" }, { id: "a" }, { id: "A" }]);
    expect(ids(await runStage("sort id", input))).toEqual(["A", "B", "a", "b"]);
  });

  it("sorts strings starting with a number by that number", async () => {
    const input = Table.fromRows([{ id: "10 GB" }, { id: "9 GB" }, { id: "abc" }]);
    expect(ids(await runStage("sort id", input))).toEqual(["9 GB", "10 GB", "abc"]);
  });

  it("breaks ties on the next key, each key with its own direction", async () => {
    const input = Table.fromRows([
      { id: 1, src: "b", count: 1 },
      { id: 2, src: "a", count: 1 },
      { id: 3, src: "a", count: 7 },
    ]);
    expect(ids(await runStage("sort src, -count", input))).toEqual([3, 2, 1]);
    // "- " applies to every following field: count descending, then src descending.
    expect(ids(await runStage("sort - count src", input))).toEqual([3, 1, 2]);
  });
});

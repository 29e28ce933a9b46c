import { describe, expect, it } from "vitest";
import { Table } from "../../src/table/table.js";
import { runStage } from "../exec/context.js";

const ids = (t: Table): unknown[] => t.rows().map((r) => r.id);

describe("dedup", () => {
  const input = Table.fromRows([
    { id: 1, src: "a", count: 1 },
    { id: 2, src: "b", count: 2 },
    { id: 3, src: "a", count: 5 },
    { id: 4, count: 9 },
    { id: 5, src: "b", count: 3 },
    { id: 6, src: "c", count: 4 },
  ]);

  it("keeps the first result of each value, dropping results without the field", async () => {
    expect(ids(await runStage("dedup src", input))).toEqual([1, 2, 6]);
  });

  it("keeps results without the field with keepempty=true", async () => {
    expect(ids(await runStage("dedup src keepempty=true", input))).toEqual([1, 2, 4, 6]);
  });

  it("keeps the first N of each value with a count", async () => {
    expect(ids(await runStage("dedup 2 src", input))).toEqual([1, 2, 3, 5, 6]);
  });

  it("only removes duplicates next to each other with consecutive=true", async () => {
    const runs = Table.fromRows([{ id: 1, s: "a" }, { id: 2, s: "a" }, { id: 3, s: "b" }, { id: 4, s: "a" }]);
    expect(ids(await runStage("dedup s consecutive=true", runs))).toEqual([1, 3, 4]);
  });

  it("sorts before deduplicating with sortby", async () => {
    // By count descending: 4 (no src, dropped), 3 (a), 6 (c), 5 (b), 2 (b), 1 (a).
    expect(ids(await runStage("dedup src sortby -count", input))).toEqual([3, 6, 5]);
  });

  it("deduplicates on the combination of several fields", async () => {
    const pairs = Table.fromRows([
      { id: 1, src: "a", dest: "x" },
      { id: 2, src: "a", dest: "y" },
      { id: 3, src: "a", dest: "x" },
    ]);
    expect(ids(await runStage("dedup src dest", pairs))).toEqual([1, 2]);
  });

  it("keeps duplicates without the listed fields with keepevents=true", async () => {
    const out = await runStage("dedup src keepevents=true", input);
    expect(out.rows().map((r) => [r.id, r.src ?? null])).toEqual([
      [1, "a"],
      [2, "b"],
      [3, null],
      [5, null],
      [6, "c"],
    ]);
  });
});

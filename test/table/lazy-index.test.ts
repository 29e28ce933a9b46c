import { describe, expect, it } from "vitest";
import { DictColumn, LazyIndex } from "../../src/table/table.js";

describe("summary columns' inverted indexes are built when first searched", () => {
  it("columns sharing codes (a field and its alias) build their one index once, on first use", () => {
    let builds = 0;
    const lazy = new LazyIndex(() => {
      builds++;
      return { starts: Int32Array.of(0, 1, 2), rows: Uint32Array.of(1, 0) };
    });
    const codes = Int8Array.of(1, 0);
    const src = new DictColumn(codes, ["a", "b"], lazy);
    const srcIp = new DictColumn(codes, ["a", "b"], lazy);
    expect(builds).toBe(0);
    expect(src.index?.rows).toEqual(Uint32Array.of(1, 0));
    expect(srcIp.index).toBe(src.index);
    expect(builds).toBe(1);
  });
});

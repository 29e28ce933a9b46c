import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { aggregate, compareScalars, type Aggregation, type GroupField } from "../../src/commands/aggregations.js";
import { DictColumn, NumberColumn } from "../../src/table/table.js";
import { fromValues, scalarText, type Scalar, type Value } from "../../src/table/value.js";

/** What aggregate computed before it grouped by codes: groups by the by-values' text, sorted by compareScalars field by field. */
function reference(rows: number, by: Array<(row: number) => Value>, fillnull: string | undefined, value: (row: number) => Value, time: (row: number) => number) {
  const groups = new Map<string, { key: Scalar[]; count: number; values: Set<string>; best?: number; first: Value }>();
  for (let row = 0; row < rows; row++) {
    const key: Scalar[] = [];
    let dropped = false;
    for (const f of by) {
      const v = f(row);
      if (v === null) {
        if (fillnull === undefined) dropped = true;
        else key.push(fillnull);
      } else key.push(v as Scalar);
    }
    if (dropped) continue;
    const id = key.map(scalarText).join("\u0000");
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { key, count: 0, values: new Set(), first: null }));
    g.count++;
    const v = value(row);
    if (v !== null) {
      g.values.add(scalarText(v as Scalar));
      if (g.best === undefined || time(row) < g.best) (g.best = time(row)), (g.first = v);
    }
  }
  const sorted = [...groups.values()].sort((x, y) => {
    for (let i = 0; i < x.key.length; i++) {
      const c = compareScalars(x.key[i]!, y.key[i]!);
      if (c !== 0) return c;
    }
    return 0;
  });
  return sorted.map((g) => {
    const out: Record<string, Value> = { a: g.key[0]!, b: g.key[1]!, count: g.count };
    const values = fromValues([...g.values].sort());
    if (values !== null) out.values = values;
    if (g.first !== null) out.first = g.first;
    return out;
  });
}

/** Values whose text or order is tricky: numbers and numeric text, the same text as number and string, NaN, infinities. */
const VALUES: Value[] = ["b", "a", "B", "445", 445, "445.0", 139, "10", 9, "-1", -1.5, "1e3", 1000, "x y", "", NaN, Infinity, "Infinity", "NaN", 0, "0", "-0", "p", "p\u0000q"];

const SPAN = { start: 0, end: 0 };
const AGGS: Aggregation[] = [
  { fn: "count", as: "count", span: SPAN },
  { fn: "values", field: "v", as: "values", span: SPAN },
  { fn: "earliest", field: "v", as: "first", span: SPAN },
];

describe("aggregate: groups by the by-values' text, sorted field by field by compareScalars", () => {
  it("for any by-values (numbers and numeric text, NaN, infinities, nulls), with and without fillnull, by text or by dictionary codes", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -1, max: VALUES.length - 1 }), fc.integer({ min: -1, max: 6 })), { minLength: 1, maxLength: 80 }),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom("text", "codes", "codes, large dictionary"),
        (picks, fill, finiteOnly, how) => {
          const base = finiteOnly ? VALUES.filter((v) => (typeof v !== "number" || Number.isFinite(v)) && !String(v).includes("\u0000")) : VALUES;
          // A dictionary far larger than the groups: sorted by the groups' values, not the dictionary's order.
          const dict = how === "codes, large dictionary" ? [...base, ...Array.from({ length: 3000 }, (_, i) => `unused ${i}`)] : base;
          const a = new DictColumn(Int32Array.from(picks, ([x]) => Math.min(x, base.length - 1)), dict);
          // ("p", "q\u0000x") and ("p\u0000q", "x") have the same joined key: one group. "null" is the fill value's group.
          const b = new DictColumn(Int32Array.from(picks, ([, y]) => y), ["x", "X", 1, "1", "1.0", finiteOnly ? "y" : "q\u0000x", "null"]);
          const times = new NumberColumn(Float64Array.from(picks, (_, i) => 100 - i));
          const byCodes = how !== "text";
          const field = (name: string, column: DictColumn): GroupField => ({ name, values: (row) => column.get(row), ...(byCodes ? { column } : {}) });
          const options = {
            ...(fill ? { fillnull: "null" } : {}),
            source: (agg: Aggregation) => (agg.field ? (row: number) => a.get(row) : undefined),
            time: (row: number) => times.get(row),
            ...(byCodes ? { sourceColumn: (agg: Aggregation) => (agg.field ? a : undefined), times: times.values } : {}),
          };
          const rows = Uint32Array.from(picks, (_, i) => i);
          const out = aggregate(rows, [field("a", a), field("b", b)], AGGS, options);
          expect(out.rows()).toEqual(reference(picks.length, [(row) => a.get(row), (row) => b.get(row)], options.fillnull, (row) => a.get(row), (row) => 100 - row));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("aggregate by dictionary codes", () => {
  const count: Aggregation = { fn: "count", as: "count", span: SPAN };
  const values: Aggregation = { fn: "values", field: "v", as: "values", span: SPAN };
  const dc: Aggregation = { fn: "dc", field: "v", as: "dc", span: SPAN };
  const run = (by: DictColumn, v: DictColumn, fillnull?: string) =>
    aggregate(Uint32Array.from({ length: by.length }, (_, i) => i), [{ name: "k", values: (row) => by.get(row), column: by }], [count, values, dc], {
      ...(fillnull !== undefined ? { fillnull } : {}),
      source: (agg) => (agg.field ? (row: number) => v.get(row) : undefined),
      sourceColumn: (agg) => (agg.field ? v : undefined),
    }).rows();

  it("merges codes whose values print the same (445 and \"445\"), keeping the first row's value", () => {
    const by = new DictColumn(Int8Array.from([1, 0, 1, 2]), [445, "445", "smb"]);
    const v = new DictColumn(Int8Array.from([0, 1, 2, 0]), [445, "445", "x"]);
    expect(run(by, v)).toEqual([
      { k: "445", count: 3, values: ["445", "x"], dc: 2 },
      { k: "smb", count: 1, values: "445", dc: 1 },
    ]);
  });

  it("puts fillnull_value in the group of the values that print as it", () => {
    const by = new DictColumn(Int8Array.from([-1, 0, 1, -1]), ["null", "a"]);
    const v = new DictColumn(Int8Array.from([0, 0, 0, -1]), ["x"]);
    expect(run(by, v, "null")).toEqual([
      { k: "a", count: 1, values: "x", dc: 1 },
      { k: "null", count: 3, values: "x", dc: 1 },
    ]);
    expect(run(by, v)).toEqual([
      { k: "a", count: 1, values: "x", dc: 1 },
      { k: "null", count: 1, values: "x", dc: 1 },
    ]);
  });

  it("gives a row with a multivalue one group per value, and counts each value of a multivalue", () => {
    const by = new DictColumn(Int8Array.from([0, 1, 2]), ["a", ["a", "b"], []]);
    const v = new DictColumn(Int8Array.from([0, 1, 0]), [["y", "x"], "x"]);
    expect(run(by, v, "none")).toEqual([
      { k: "a", count: 2, values: ["x", "y"], dc: 2 },
      { k: "b", count: 1, values: "x", dc: 1 },
      { k: "none", count: 1, values: ["x", "y"], dc: 2 },
    ]);
  });
});

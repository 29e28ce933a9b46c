import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluateByCodes } from "../../src/table/memo.js";
import { ArrayColumn, type Column, ConstantColumn, DictColumn, NumberColumn, Table, TakeColumn } from "../../src/table/table.js";
import type { Value } from "../../src/table/value.js";

type Compute = (t: Table) => (row: number) => Value;

/** Computations of the shapes knowledge uses: case/if chains, coalesce, constants, reads of plain columns. */
const COMPUTATIONS: Record<string, Compute> = {
  "if a=x then b else c": (t) => (r) => (t.get(r, "a") === "x" ? t.get(r, "b") : t.get(r, "c")),
  "coalesce(a, b, n)": (t) => (r) => t.get(r, "a") ?? t.get(r, "b") ?? t.get(r, "n"),
  "a . b, reading a twice": (t) => (r) => `${String(t.get(r, "a"))}.${String(t.get(r, "b"))}.${String(t.get(r, "a"))}`,
  "a constant": () => () => "Zeek",
  "plain n first": (t) => (r) => (t.get(r, "n") === null ? "none" : t.get(r, "a")),
  "k then a then b then k": (t) => (r) => (t.get(r, "k") === "one" ? (t.get(r, "a") === null ? t.get(r, "b") : t.get(r, "k")) : null),
  "a missing column": (t) => (r) => t.get(r, "missing") ?? t.get(r, "b"),
};

function tableOf(a: number[], b: number[], c: number[], n: Array<number | null>): Table {
  const len = a.length;
  const dict = (picks: number[], values: Value[]): Column => new DictColumn(Int32Array.from(picks, (p) => (p % (values.length + 1)) - 1), values);
  return new Table(
    len,
    new Map<string, Column>([
      ["a", dict(a, ["x", "y", 1, "1"])],
      ["b", new TakeColumn(new DictColumn(Int32Array.from(b, (p) => (p % 6) - 1), ["p", "q", "r", ["m", "v"], 445]), Uint32Array.from({ length: len }, (_, i) => i))],
      ["c", dict(c, ["u", "w"])],
      ["n", new ArrayColumn(n)],
      ["k", new ConstantColumn(len, "one")],
      ["t", new NumberColumn(Float64Array.from(n, (v) => v ?? NaN))],
    ]),
  );
}

describe("evaluateByCodes: each row gets what evaluating it alone gives", () => {
  for (const [name, compute] of Object.entries(COMPUTATIONS)) {
    it(`${name}: same result per row as a direct evaluation`, () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 300 }).chain((len) =>
            fc.tuple(
              fc.array(fc.nat(9), { minLength: len, maxLength: len }),
              fc.array(fc.nat(9), { minLength: len, maxLength: len }),
              fc.array(fc.nat(9), { minLength: len, maxLength: len }),
              fc.array(fc.option(fc.integer({ min: 0, max: 5 })), { minLength: len, maxLength: len }),
            ),
          ),
          fc.integer({ min: 1, max: 64 }),
          ([a, b, c, n], maxResults) => {
            const t = tableOf(a, b, c, n);
            const direct = compute(t);
            const { ids, results } = evaluateByCodes(t, compute, maxResults);
            for (let r = 0; r < t.length; r++) expect(results[ids[r]!]).toEqual(direct(r));
          },
        ),
        { numRuns: 150 },
      );
    });
  }

  it("a million-row table of repeated values is evaluated once per distinct combination read", () => {
    const n = 1_000_000;
    const a = Int8Array.from({ length: n }, (_, i) => (i * 7) % 3);
    const b = Int8Array.from({ length: n }, (_, i) => ((i * 13) % 5) - 1);
    const t = new Table(n, [
      ["local_orig", new DictColumn(a, ["T", "F", "-"])],
      ["local_resp", new DictColumn(b, ["T", "F", "-", "x"])],
    ]);
    let evaluations = 0;
    const { ids, results } = evaluateByCodes(t, (view) => (r) => {
      evaluations++;
      return view.get(r, "local_orig") === "T" ? `out-${String(view.get(r, "local_resp"))}` : "other";
    });
    // local_orig=T branches on local_resp's 5 slots (4 values and null); F and "-" end at once: 7 paths.
    expect(evaluations).toBe(7);
    // Row 3: local_orig code (3*7) % 3 = 0, "T"; local_resp code (3*13) % 5 - 1 = 3, "x". Row 4: code 28 % 3 = 1, "F".
    expect(results[ids[3]!]).toBe("out-x");
    expect(results[ids[4]!]).toBe("other");
  });

  it("reads that contradict the tree found so far drop the memo, and every row is still right", () => {
    // Reads a then b for the first rows, b alone later (as a computation with hidden state would).
    const t = new Table(50, [
      ["a", new DictColumn(new Int8Array(50), ["v"])],
      ["b", new DictColumn(Int8Array.from({ length: 50 }, (_, i) => (i < 5 ? i % 2 : i % 3)), ["p", "q", "r"])],
    ]);
    let calls = 0;
    const compute: Compute = (view) => (r) => (++calls <= 2 ? `${String(view.get(r, "a"))}${String(view.get(r, "b"))}` : `${String(view.get(r, "b"))}!`);
    const { ids, results } = evaluateByCodes(t, compute);
    expect(results[ids[0]!]).toBe("vp");
    expect(results[ids[1]!]).toBe("vq");
    expect(results[ids[2]!]).toBe("vp"); // known from row 0's path: not evaluated
    // Row 5 ("r", a new branch) reads b alone: the tree is dropped, row 5 on are evaluated one by one.
    expect(calls).toBe(2 + 1 + 45);
    for (let r = 5; r < 50; r++) expect(results[ids[r]!]).toBe(`${["p", "q", "r"][r % 3]!}!`);
  });
});

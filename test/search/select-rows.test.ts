import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseSearchText } from "../../src/knowledge/datamodel.js";
import { indexed } from "../../src/knowledge/summary.js";
import { compileSearchExpr, selectRows } from "../../src/search/match.js";
import { ArrayColumn, type Column, DictColumn, Table } from "../../src/table/table.js";
import type { Value } from "../../src/table/value.js";

const CTX = { now: 1_700_000_000, tz: "UTC" };

/** Values of every kind a column holds: case variants, numbers and numeric text, addresses, multivalues, nulls. */
const VALUES: Value[] = [
  null, "x", "X", "abc", "445", 445, "445.0", 139, "0139", "smb", "SMB", "gssapi,smb", "10.1.2.3", "10.200.0.1", "172.16.5.4",
  "172.32.0.1", "192.168.1.1", "100.64.3.3", "81.2.69.142", "::ffff:10.1.2.3", "2001:db8::1", "010.1.2.3", NaN, Infinity, "Infinity",
  "nan", ["x", "smb"], ["445", "10.1.2.3"], ["a", "b"], "1e3", 1000, "-0", 0,
];
const WORDS = ["x", "X", "abc", "445", "445.0", "139", "smb", '"SMB"', "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10",
  "::ffff:0:0/96", "10.1.2.3", "1*", "*", "*smb", "nan", "NaN", "infinity", "1000", "1e3", "0", "-0", "a"];

/** A dictionary-coded column over `rows` values drawn from VALUES (dictionary with a repeat, so codes and values are not one to one). */
function dictColumn(picks: number[]): DictColumn {
  const dict = [...VALUES.filter((v) => v !== null), "x"];
  const codes = Int32Array.from(picks, (p) => (p % (dict.length + 1)) - 1);
  return new DictColumn(codes, dict);
}

const expression = fc.letrec((tie) => ({
  leaf: fc.oneof(
    fc.tuple(fc.constantFrom("a", "b", "missing"), fc.constantFrom("=", "!=", "<", ">="), fc.constantFrom(...WORDS)).map(([f, op, w]) => `${f}${op}${w}`),
    fc.tuple(fc.constantFrom("a", "b"), fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 })).map(([f, ws]) => `${f} IN (${ws.join(", ")})`),
  ),
  node: fc.oneof(
    { depthSize: "small" },
    tie("leaf"),
    fc.tuple(tie("node"), tie("node")).map(([x, y]) => `(${x} ${y})`),
    fc.tuple(tie("node"), tie("node")).map(([x, y]) => `(${x} OR ${y})`),
    tie("node").map((x) => `NOT ${x}`),
  ),
})).node as fc.Arbitrary<string>;

describe("selectRows: rows from inverted indexes are the rows a scan finds", () => {
  it("for any expression over indexed dictionary columns (and a subset of rows)", () => {
    let parsed = 0;
    fc.assert(
      fc.property(
        // Enough rows for the columns to get an index, and for every part to list its rows from it
        // (a dictionary at most a sixteenth of the rows).
        fc.array(fc.nat(), { minLength: 540, maxLength: 600 }),
        fc.array(fc.nat(), { minLength: 600, maxLength: 600 }),
        expression,
        fc.array(fc.boolean(), { minLength: 600, maxLength: 600 }),
        (picksA, picksB, text, keep) => {
          const n = picksA.length;
          const a = dictColumn(picksA);
          const b = dictColumn(picksB.slice(0, n));
          const expr = parseSearchText(text, "test");
          if (typeof expr === "string") return; // not every generated text is a valid search
          parsed++;
          // The same values three ways: indexed, dictionary-coded without an index, plain.
          const plain = (c: DictColumn): Column => new ArrayColumn(Array.from({ length: n }, (_, row) => c.get(row)));
          const withIndex = new Table(n, [["a", indexed(a)], ["b", indexed(b)]]);
          expect((withIndex.column("a") as DictColumn).index).toBeDefined();
          const withoutIndex = new Table(n, [["a", a], ["b", b]]);
          const arrays = new Table(n, [["a", plain(a)], ["b", plain(b)]]);
          const test = compileSearchExpr(expr, arrays, CTX);
          const expected = Array.from({ length: n }, (_, row) => row).filter(test);
          expect([...selectRows(expr, withIndex, CTX)], text).toEqual(expected);
          expect([...selectRows(expr, withoutIndex, CTX)], text).toEqual(expected);
          const within = Uint32Array.from(expected.length > 0 ? Array.from({ length: n }, (_, row) => row).filter((row) => keep[row]) : []);
          expect([...selectRows(expr, withIndex, CTX, within)], text).toEqual(expected.filter((row) => within.includes(row)));
        },
      ),
      { numRuns: 1500 },
    );
    expect(parsed).toBeGreaterThan(1000);
  });
});

describe("selectRows: CIDR ranges over an address column with an index", () => {
  // Enough rows for the column to be indexed (a dictionary at most a quarter of the rows) and for a
  // filter to decide every code at once.
  const dict: Value[] = ["10.1.2.3", "8.8.8.8", "::ffff:10.9.9.9", "::ffff:8.8.4.4", "2001:db8::1", "010.1.2.3", "smb", 445, ["10.0.0.1", "9.9.9.9"], ["9.9.9.9"]];
  const codes = Int8Array.from({ length: 200 }, (_, row) => (row % (dict.length + 1)) - 1);
  const table = new Table(codes.length, [
    ["ip", indexed(new DictColumn(codes, dict))],
    ["port", indexed(new DictColumn(Int8Array.from(codes, (_, row) => row % 4), [139, 445, 80, 53]))],
  ]);
  const rowsOf = (text: string) => {
    const expr = parseSearchText(text, "test");
    if (typeof expr === "string") throw new Error(expr);
    return [...selectRows(expr, table, CTX)];
  };
  const withValues = (pick: (v: Value) => boolean) => Array.from({ length: codes.length }, (_, row) => row).filter((row) => pick(codes[row]! < 0 ? null : dict[codes[row]!]!));

  it("matches IPv4 addresses in the ranges, IPv4-mapped IPv6 as IPv4, and a multivalue with any value inside", () => {
    const inside = new Set<Value>(["10.1.2.3", "::ffff:10.9.9.9", dict[8]!]);
    expect(rowsOf("ip IN (10.0.0.0/8, 192.168.0.0/16)")).toEqual(withValues((v) => inside.has(v)));
    expect(rowsOf("port=445 ip IN (10.0.0.0/8, 192.168.0.0/16)")).toEqual(withValues((v) => inside.has(v)).filter((row) => row % 4 === 1));
  });

  it("NOT matches the rows without the field; != needs it, and every value of a multivalue outside", () => {
    const inside = new Set<Value>(["10.1.2.3", "::ffff:10.9.9.9", dict[8]!]);
    expect(rowsOf("NOT ip IN (10.0.0.0/8)")).toEqual(withValues((v) => !inside.has(v)));
    expect(rowsOf("ip!=10.0.0.0/8")).toEqual(withValues((v) => v !== null && !inside.has(v)));
    expect(rowsOf("(port=139 OR port=445) NOT ip IN (10.0.0.0/8)")).toEqual(withValues((v) => !inside.has(v)).filter((row) => row % 4 <= 1));
  });
});

/** Operators of eval and where (reference/spl_semantics.md §4.6-4.7). */
import { describe, expect, it } from "vitest";
import { ev, evalRows } from "./helpers.js";

describe("arithmetic", () => {
  it("adds numbers, and extracted numeric strings as numbers", () => {
    expect(ev("1 + 2")).toBe(3);
    expect(ev("bytes_in + bytes_out", { bytes_in: "100", bytes_out: "23" })).toBe(123);
    expect(ev("a * 2 - 1", { a: "2.5" })).toBe(4);
  });

  it("concatenates two strings with +", () => {
    expect(ev('"abc" + "def"')).toBe("abcdef");
    expect(ev('"abc" + 1')).toBeNull();
  });

  it("gives null for division by zero and for non-numbers", () => {
    expect(ev("1 / 0")).toBeNull();
    expect(ev("5 % 0")).toBeNull();
    expect(ev('"x" - 1')).toBeNull();
    expect(ev("7 % 3")).toBe(1);
    expect(ev("7 / 2")).toBe(3.5);
  });

  it("propagates null: a missing field makes the result null", () => {
    expect(ev("missing + 1")).toBeNull();
    expect(ev("-missing")).toBeNull();
    expect(ev("-x", { x: "4" })).toBe(-4);
  });
});

describe("concatenation with .", () => {
  it("treats both sides as strings, numbers printed as Splunk prints them", () => {
    expect(ev('first." ".last', { first: "Ada", last: "Lovelace" })).toBe("Ada Lovelace");
    expect(ev('1 . "x" . 2.50')).toBe("1x2.5");
  });

  it("is null when either side is null", () => {
    expect(ev('"a" . missing')).toBeNull();
  });
});

describe("comparison", () => {
  it("compares numerically when both sides look like numbers", () => {
    expect(ev("x > 9", { x: "10" })).toBe(true);
    expect(ev('x = "1.0"', { x: 1 })).toBe(true);
    expect(ev("x == 445", { x: "445" })).toBe(true);
  });

  it("compares strings case-sensitively, in code-unit order", () => {
    expect(ev('x = "SMB"', { x: "smb" })).toBe(false);
    expect(ev('x = "smb"', { x: "smb" })).toBe(true);
    expect(ev('x < "b"', { x: "abc" })).toBe(true);
    expect(ev('x > "9"', { x: "abc" })).toBe(true);
  });

  it("gives null when a side is missing, so where drops the row either way", () => {
    expect(ev('x = "a"')).toBeNull();
    expect(ev('x != "a"')).toBeNull();
  });

  it("is true for a multivalue when any value matches", () => {
    expect(ev('port = "445"', { port: ["139", "445"] })).toBe(true);
    expect(ev("port > 400", { port: ["139", "445"] })).toBe(true);
    expect(ev('port = "80"', { port: ["139", "445"] })).toBe(false);
    expect(ev('port != "445"', { port: ["139", "445"] })).toBe(false);
  });

  it("compares booleans with booleans", () => {
    expect(ev("(1 = 1) = (2 = 2)")).toBe(true);
  });
});

describe("LIKE and IN", () => {
  it("matches SQLite wildcards, anchored and case-sensitive", () => {
    expect(ev('src LIKE "10.9.165.%"', { src: "10.9.165.7" })).toBe(true);
    expect(ev('src LIKE "10.9.165.%"', { src: "110.9.165.7" })).toBe(false);
    expect(ev('x LIKE "a_c"', { x: "abc" })).toBe(true);
    expect(ev('x LIKE "A%"', { x: "abc" })).toBe(false);
    expect(ev('like(x, "%.exe")', { x: "cmd.exe" })).toBe(true);
  });

  it("keeps backslashes literal, so Windows paths work", () => {
    expect(ev('p LIKE "%\\\\Windows\\\\%"', { p: "C:\\Windows\\System32\\cmd.exe" })).toBe(true);
  });

  it("tests membership with IN and in()", () => {
    expect(ev('x IN ("a", "b")', { x: "b" })).toBe(true);
    expect(ev('x IN ("a", "b")', { x: "c" })).toBe(false);
    expect(ev("in(x, 139, 445)", { x: "445" })).toBe(true);
    expect(ev('x IN ("a")')).toBeNull();
  });
});

describe("boolean operators", () => {
  it("binds AND tighter than OR", () => {
    expect(ev("1=1 OR 1=2 AND 1=2")).toBe(true);
  });

  it("uses three-valued logic for missing fields", () => {
    expect(ev("x > 5 OR 1 = 1")).toBe(true);
    expect(ev("x > 5 AND 1 = 2")).toBe(false);
    expect(ev("x > 5 OR 1 = 2")).toBeNull();
    expect(ev("NOT x > 5")).toBeNull();
    expect(ev("isnull(x) OR x > 5")).toBe(true);
  });

  it("computes XOR and NOT", () => {
    expect(ev("1=1 XOR 1=2")).toBe(true);
    expect(ev("1=1 XOR 2=2")).toBe(false);
    expect(ev("NOT 1=2")).toBe(true);
    expect(ev("!(1=1)")).toBe(false);
  });

  it("evaluates the right side of AND/OR only when needed", () => {
    // A right side that would be an error is never reached.
    expect(evalRows("1=2 AND x/0 > 1", [{ x: 1 }])).toEqual([false]);
  });
});

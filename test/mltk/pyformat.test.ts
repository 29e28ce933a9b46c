/** Numbers in MLTK's text (BoundaryRanges, _th= names, summaries) print as Python prints them. */
import { describe, expect, it } from "vitest";
import { npRound4, parsePyFloat, pyFloat, pyf, pyJson, pyRound4 } from "../../src/mltk/pyformat.js";

describe("Python's repr of floats", () => {
  it.each([
    [0.01, "0.01"],
    [1, "1.0"],
    [0.0001, "0.0001"],
    [0.00001, "1e-05"],
    [1.5e-7, "1.5e-07"],
    [1e16, "1e+16"],
    [123456789012345.6, "123456789012345.6"],
    [-0, "-0.0"],
    [6.6919, "6.6919"],
    [-12.5, "-12.5"],
    [Infinity, "inf"],
  ])("%d prints %s", (x, text) => expect(pyFloat(x)).toBe(text));
});

describe("round(x, 4)", () => {
  it("Python floats round the exact value, ties to even", () => {
    expect(pyRound4(pyf(0.03125)).value).toBe(0.0312);
    expect(pyRound4(pyf(0.09375)).value).toBe(0.0938);
    expect(pyRound4(pyf(2.675049)).value).toBe(2.675);
  });
  it("numpy floats multiply, rint and divide", () => {
    expect(npRound4(pyf(0.03125)).value).toBe(0.0312);
    expect(npRound4(pyf(138.64554)).value).toBe(138.6455);
  });
});

it("float() accepts what Python accepts", () => {
  expect(parsePyFloat(" 0.01 ")).toBe(0.01);
  expect(parsePyFloat("1e-3")).toBe(0.001);
  expect(parsePyFloat("1_000.5")).toBe(1000.5);
  expect(parsePyFloat("-inf")).toBe(-Infinity);
  expect(parsePyFloat("0.01,0.02")).toBeUndefined();
  expect(parsePyFloat("abc")).toBeUndefined();
});

it("json.dumps spacing", () => {
  expect(pyJson({ split_by: ["a", "b"], params: { dist: "norm" } })).toBe('{"split_by": ["a", "b"], "params": {"dist": "norm"}}');
});

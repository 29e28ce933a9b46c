/**
 * Mathematical and statistical eval functions (searchbnf [eval-function], reference/spl_semantics.md
 * §4.7). Arguments must be single numbers (numeric strings count); a result that is not a finite
 * number (sqrt(-1), ln(0)) is null.
 */
import { scalarNumber, type Scalar } from "../../table/value.js";
import type { Compiled, FunctionSpec } from "../types.js";
import { finite, num, values } from "../values.js";
import { math1, math2 } from "./common.js";

/** x·10^e computed on the decimal text, so 2.555 shifted by 2 is exactly 255.5. */
function shift(x: number, e: number): number {
  const [mantissa, exponent = "0"] = String(x).split("e");
  return Number(`${mantissa}e${Number(exponent) + e}`);
}

/**
 * round(x, n): half away from zero on the decimal value, round(2.555, 2) = 2.56 and round(3.5) = 4
 * (searchbnf examples), where binary arithmetic would give 2.55.
 */
export function round(x: number, digits: number): number {
  const n = Math.trunc(digits);
  if (Math.abs(n) > 300) return x;
  const r = shift(Math.round(shift(Math.abs(x), n)), -n);
  return x < 0 ? -r : r;
}

function log(x: number, base: number): number {
  if (base === 10) return Math.log10(x);
  if (base === 2) return Math.log2(x);
  return Math.log(x) / Math.log(base);
}

/** min/max: "strings being greater than numbers"; numbers by value, strings by text. */
function extreme(sign: 1 | -1) {
  return ({ args }: { args: readonly Compiled[] }): Compiled => (row) => {
    let best: Scalar | null = null;
    let bestNumber: number | null = null;
    for (const a of args) {
      for (const v of values(a(row))) {
        const n = scalarNumber(v);
        let better: boolean;
        if (best === null) better = true;
        else if (n !== null && bestNumber !== null) better = sign * (n - bestNumber) > 0;
        else if (n === null && bestNumber === null) better = sign * (String(v) < String(best) ? -1 : String(v) > String(best) ? 1 : 0) > 0;
        else better = sign === 1 ? n === null : n !== null;
        if (better) (best = v, bestNumber = n);
      }
    }
    return best;
  };
}

export const mathFunctions: Record<string, FunctionSpec> = {
  round: {
    min: 1,
    max: 2,
    compile: ({ args: [a, digits] }) => (row) => {
      const x = num(a!(row));
      const n = digits ? num(digits(row)) : 0;
      return x === null || n === null ? null : finite(round(x, n));
    },
  },
  floor: { min: 1, max: 1, compile: math1(Math.floor) },
  ceil: { min: 1, max: 1, compile: math1(Math.ceil) },
  ceiling: { min: 1, max: 1, compile: math1(Math.ceil) },
  abs: { min: 1, max: 1, compile: math1(Math.abs) },
  sqrt: { min: 1, max: 1, compile: math1(Math.sqrt) },
  exp: { min: 1, max: 1, compile: math1(Math.exp) },
  ln: { min: 1, max: 1, compile: math1(Math.log) },
  /** log(x[, base]): base 10 by default. */
  log: {
    min: 1,
    max: 2,
    compile: ({ args: [a, b] }) => (row) => {
      const x = num(a!(row));
      const base = b ? num(b(row)) : 10;
      return x === null || base === null ? null : finite(log(x, base));
    },
  },
  pow: { min: 2, max: 2, compile: math2(Math.pow) },
  pi: { min: 0, max: 0, compile: () => () => Math.PI },
  /** exact(x): the value with full precision; spelunk keeps full precision anyway. */
  exact: { min: 1, max: 1, compile: math1((x) => x) },
  /** random(): a pseudo-random integer from 0 to 2^31-1. */
  random: { min: 0, max: 0, compile: () => () => Math.floor(Math.random() * 2 ** 31) },
  min: { min: 1, max: Infinity, compile: extreme(-1) },
  max: { min: 1, max: Infinity, compile: extreme(1) },
  acos: { min: 1, max: 1, compile: math1(Math.acos) },
  acosh: { min: 1, max: 1, compile: math1(Math.acosh) },
  asin: { min: 1, max: 1, compile: math1(Math.asin) },
  asinh: { min: 1, max: 1, compile: math1(Math.asinh) },
  atan: { min: 1, max: 1, compile: math1(Math.atan) },
  atan2: { min: 2, max: 2, compile: math2(Math.atan2) },
  atanh: { min: 1, max: 1, compile: math1(Math.atanh) },
  cos: { min: 1, max: 1, compile: math1(Math.cos) },
  cosh: { min: 1, max: 1, compile: math1(Math.cosh) },
  hypot: { min: 2, max: 2, compile: math2(Math.hypot) },
  sin: { min: 1, max: 1, compile: math1(Math.sin) },
  sinh: { min: 1, max: 1, compile: math1(Math.sinh) },
  tan: { min: 1, max: 1, compile: math1(Math.tan) },
  tanh: { min: 1, max: 1, compile: math1(Math.tanh) },
};

/** Helpers shared by the function groups. */
import { compilePcre, PcreError } from "../regex.js";
import { EvalCompileError, type CallSite, type Compiled } from "../types.js";
import { finite, mapValues, num, scalarString } from "../values.js";
import type { Scalar } from "../../table/value.js";

/**
 * The compiled regex of argument i when it is a literal, undefined when it is computed per row.
 * A literal that is not a valid (or supported) regex is an error before the search runs.
 */
export function literalRegex(site: CallSite, i: number, global = false): RegExp | undefined {
  const literal = site.literal(i);
  if (literal === undefined) return undefined;
  try {
    return compilePcre(scalarString(literal), global);
  } catch (e) {
    if (e instanceof PcreError) throw new EvalCompileError(`${site.name}(): ${e.message}`, site.exprs[i]!.span);
    throw e;
  }
}

/** A regex computed per row: undefined when null or invalid (the result is then null). */
export function rowRegex(pattern: string | null, global = false): RegExp | undefined {
  if (pattern === null) return undefined;
  try {
    return compilePcre(pattern, global);
  } catch {
    return undefined;
  }
}

/** A one-argument numeric function: null unless the argument is one number; non-finite → null. */
export function math1(f: (x: number) => number) {
  return ({ args: [a] }: CallSite): Compiled => (row) => {
    const x = num(a!(row));
    return x === null ? null : finite(f(x));
  };
}

export function math2(f: (x: number, y: number) => number) {
  return ({ args: [a, b] }: CallSite): Compiled => (row) => {
    const x = num(a!(row));
    const y = x === null ? null : num(b!(row));
    return x === null || y === null ? null : finite(f(x, y));
  };
}

/** A one-argument text function applied to each value (see mapValues). */
export function perValue(f: (s: string) => Scalar | null) {
  const g = (s: Scalar): Scalar | null => f(scalarString(s));
  return ({ args: [a] }: CallSite): Compiled => (row) => mapValues(a!(row), g);
}

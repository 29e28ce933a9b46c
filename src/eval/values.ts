/**
 * Reading eval results as the operand types functions need. Splunk decides numeric-ness at use: a
 * field value "445" is a number to `+`, `<` and isnum() (reference/spl_semantics.md §2.3: the CIM
 * calculated fields `isnum(bytes_in) ... bytes_in+bytes_out` rely on it for extracted strings).
 * spelunk applies that rule to every string, literals included (see the decisions in compile.ts).
 */
import { fromValues, numberText, scalarNumber, type Scalar, type Value } from "../table/value.js";
import type { EvalResult } from "./types.js";

/** A single value (string or number); null for null, booleans and multivalues. */
export function single(r: EvalResult): Scalar | null {
  return r === null || typeof r === "boolean" || Array.isArray(r) ? null : (r as Scalar);
}

/** A single value's number (numeric strings included); null otherwise. */
export function num(r: EvalResult): number | null {
  const s = single(r);
  return s === null ? null : scalarNumber(s);
}

/** A single value as text (numbers as Splunk prints them); null otherwise. */
export function text(r: EvalResult): string | null {
  const s = single(r);
  return s === null ? null : typeof s === "number" ? numberText(s) : s;
}

export function scalarString(s: Scalar): string {
  return typeof s === "number" ? numberText(s) : s;
}

const none: readonly Scalar[] = [];

/** All values: [] for null and booleans, [v] for a single value. */
export function values(r: EvalResult): readonly Scalar[] {
  if (r === null || typeof r === "boolean") return none;
  return Array.isArray(r) ? r : [r as Scalar];
}

/** A number as a result: non-finite numbers (overflow, 0/0) become null. */
export function finite(n: number): number | null {
  return Number.isFinite(n) ? n : null;
}

/**
 * Apply f to each value, for functions that work value by value (lower, replace, tostring ...):
 * a single value gives a single result, a multivalue a multivalue. Null results are dropped.
 * UNCONFIRMED: Splunk's docs do not say how these functions treat multivalue fields.
 */
export function mapValues(r: EvalResult, f: (s: Scalar) => Scalar | null): Value {
  if (r === null || typeof r === "boolean") return null;
  if (!Array.isArray(r)) return f(r as Scalar);
  const out: Scalar[] = [];
  for (const s of r as readonly Scalar[]) {
    const v = f(s);
    if (v !== null) out.push(v);
  }
  return fromValues(out);
}

/** True when the regex matches some value of r (as text); null when r is null (or a boolean). */
export function anyMatch(r: EvalResult, re: RegExp): boolean | null {
  if (r === null || typeof r === "boolean") return null;
  if (!Array.isArray(r)) return re.test(scalarString(r as Scalar));
  for (const s of r as readonly Scalar[]) if (re.test(scalarString(s))) return true;
  return false;
}

/**
 * Arithmetic, concatenation and boolean operators of eval.
 * - `+ - * / %` take two numbers (numeric strings count); "For addition, Splunk can concatenate the
 *   two operands if they are both strings" (searchbnf [eval-command]); any other operand, a null or
 *   a multivalue gives null ("If search time evaluation of the expression is unsuccessful for a given
 *   event, eval erases the value in the result field", same source). "Division by zero results in a
 *   null field" (eval command usage, https://docs.splunk.com/Documentation/SCS/current/SearchReference/EvalCommandUsage);
 *   so does `%` by zero and any result that is not a finite number.
 * - `.` "treats both values as strings regardless of their actual type"; a null operand makes the
 *   whole result null (the well-known reason for coalesce() before concatenating).
 * - AND, OR, XOR and NOT use three-valued logic: null (a comparison with a missing field) is
 *   unknown, so `null OR true` is true, `null AND false` is false and `NOT null` is null; `where`
 *   keeps only rows whose result is true (reference/spl_semantics.md §4.6).
 *   UNCONFIRMED: Splunk documents no truth table; this is SQL's, and it gives the documented `where`
 *   behaviour. A non-boolean operand counts as unknown.
 */
import type { EvalResult, Compiled } from "./types.js";
import { finite, num, single, text } from "./values.js";

export type ArithmeticOp = "+" | "-" | "*" | "/" | "%";

export function arithmetic(op: ArithmeticOp, a: EvalResult, b: EvalResult): EvalResult {
  const x = num(a);
  const y = num(b);
  if (x === null || y === null) {
    if (op !== "+") return null;
    // Concatenation needs two strings: a real number with a non-numeric string is an error (null).
    const sa = single(a);
    const sb = single(b);
    if (typeof sa !== "string" || typeof sb !== "string") return null;
    return sa + sb;
  }
  switch (op) {
    case "+": return finite(x + y);
    case "-": return finite(x - y);
    case "*": return finite(x * y);
    case "/": return y === 0 ? null : finite(x / y);
    case "%": return y === 0 ? null : finite(x % y);
  }
}

export function concatenate(a: EvalResult, b: EvalResult): EvalResult {
  const x = text(a);
  const y = text(b);
  return x === null || y === null ? null : x + y;
}

export function negate(a: EvalResult): EvalResult {
  const x = num(a);
  return x === null ? null : -x;
}

export function plus(a: EvalResult): EvalResult {
  return num(a);
}

/** Three-valued truth: true, false or null (unknown). */
function truth(r: EvalResult): boolean | null {
  return typeof r === "boolean" ? r : null;
}

export function not(a: EvalResult): boolean | null {
  const t = truth(a);
  return t === null ? null : !t;
}

/** AND, evaluating the right side only when the left is not false. */
export function and(left: Compiled, right: Compiled): Compiled {
  return (row) => {
    const l = truth(left(row));
    if (l === false) return false;
    const r = truth(right(row));
    if (r === false) return false;
    return l === null || r === null ? null : true;
  };
}

/** OR, evaluating the right side only when the left is not true. */
export function or(left: Compiled, right: Compiled): Compiled {
  return (row) => {
    const l = truth(left(row));
    if (l === true) return true;
    const r = truth(right(row));
    if (r === true) return true;
    return l === null || r === null ? null : false;
  };
}

export function xor(left: Compiled, right: Compiled): Compiled {
  return (row) => {
    const l = truth(left(row));
    const r = truth(right(row));
    return l === null || r === null ? null : l !== r;
  };
}

/**
 * Comparison in eval and where: `=`/`==`/`!=`/`<`/`<=`/`>`/`>=`, LIKE and IN.
 * - Numbers compare numerically when both sides are numeric (numeric strings count, so a field "10"
 *   is greater than 9), otherwise as strings, case-sensitively ("The <eval-expression> is
 *   case-sensitive", https://help.splunk.com/splunk-enterprise/spl-search-reference/9.2/search-commands/where).
 * - A null operand gives null (unknown), so `where x!="a"` drops rows without x, as in Splunk.
 * - A multivalue operand is true when any of its values satisfies the comparison.
 *   UNCONFIRMED: Splunk's docs do not state it; it is the behaviour users rely on in `where mv="x"`.
 *   `!=` is the negation of `=` (no value equal), not "some value differs".
 * - Booleans compare only with booleans, and only for equality.
 */
import type { Scalar } from "../table/value.js";
import type { EvalResult } from "./types.js";
import { scalarNumber } from "../table/value.js";
import { scalarString } from "./values.js";

export type CompareOp = "=" | "==" | "!=" | "<" | "<=" | ">" | ">=";

/** Order of two values: numeric when both are numeric, else by string (UTF-16 code units). */
export function compareScalars(a: Scalar, b: Scalar): number {
  const na = scalarNumber(a);
  const nb = na === null ? null : scalarNumber(b);
  if (na !== null && nb !== null) return na < nb ? -1 : na > nb ? 1 : 0;
  const sa = scalarString(a);
  const sb = scalarString(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function holds(op: CompareOp, order: number): boolean {
  switch (op) {
    case "=":
    case "==": return order === 0;
    case "!=": return order !== 0;
    case "<": return order < 0;
    case "<=": return order <= 0;
    case ">": return order > 0;
    case ">=": return order >= 0;
  }
}

/** Whether some value of a and some value of b satisfy op (a and b not null, not boolean). */
function anyPair(op: CompareOp, a: Scalar | readonly Scalar[], b: Scalar | readonly Scalar[]): boolean {
  if (!Array.isArray(a) && !Array.isArray(b)) return holds(op, compareScalars(a as Scalar, b as Scalar));
  const as: readonly Scalar[] = Array.isArray(a) ? a : [a as Scalar];
  const bs: readonly Scalar[] = Array.isArray(b) ? b : [b as Scalar];
  for (const x of as) for (const y of bs) if (holds(op, compareScalars(x, y))) return true;
  return false;
}

/** a op b with eval's rules (see the file comment). */
export function compare(op: CompareOp, a: EvalResult, b: EvalResult): boolean | null {
  if (a === null || b === null) return null;
  if (typeof a === "boolean" || typeof b === "boolean") {
    if (typeof a !== typeof b) return null;
    if (op === "=" || op === "==") return a === b;
    if (op === "!=") return a !== b;
    return null;
  }
  if (op === "!=") return !anyPair("=", a, b);
  return anyPair(op, a, b);
}

/** Equality as `=` has it, for in(), nullif() and IN. */
export function equal(a: EvalResult, b: EvalResult): boolean | null {
  return compare("=", a, b);
}

const likeCache = new Map<string, RegExp>();

/**
 * A LIKE pattern as a regular expression: `%` any run of characters, `_` one character, anchored
 * at both ends (searchbnf [eval-function] like(); Search Manual "Wildcards",
 * https://docs.splunk.com/Documentation/Splunk/9.3.2/Search/Wildcards). There is no escape character:
 * a backslash is literal, so Windows paths such as "%\\Windows\\%" work as written. Case-sensitive,
 * like the rest of eval (UNCONFIRMED for like() itself; SQLite's own LIKE folds ASCII case).
 */
export function likeRegex(pattern: string): RegExp {
  let re = likeCache.get(pattern);
  if (re) return re;
  let source = "^";
  for (const ch of pattern) {
    if (ch === "%") source += "[\\s\\S]*";
    else if (ch === "_") source += "[\\s\\S]";
    else source += ch.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  re = new RegExp(`${source}$`);
  if (likeCache.size > 1000) likeCache.clear();
  likeCache.set(pattern, re);
  return re;
}

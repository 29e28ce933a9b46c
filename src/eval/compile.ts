/**
 * The eval expression compiler: an EvalExpr becomes a closure over a table, compiled once (field
 * names resolved to columns, literal regexes and modifiers parsed, arities checked) and run per row
 * (Arquero's "parse once, run many times"). Used by eval, where, stats eval(...) and data model
 * calculated fields, so there is one semantics everywhere.
 *
 * Decisions where Splunk's documentation is silent (each also noted where it is implemented):
 * - Numeric-looking strings are numbers to every operator and function, literals included, so
 *   `"1"+"2"` is 3 and typeof("12") is "Number" (Splunk may keep quoted literals as strings).
 * - Comparisons and most functions give null for a null argument; AND/OR/XOR/NOT are three-valued;
 *   if() and case() take a null condition as not true; where keeps only true rows.
 * - A multivalue compares true when any value does; text functions work value by value.
 * - A boolean that reaches a field value (only possible below the top level, which
 *   checkEvalAssignment refuses) becomes null.
 */
import type { EvalExpr } from "../parse/ast.js";
import type { Table } from "../table/table.js";
import type { Value } from "../table/value.js";
import { compare, likeRegex, type CompareOp } from "./compare.js";
import { inList } from "./fn/conditional.js";
import { arityText, lookupFunction, unsupportedFunctions } from "./functions.js";
import { and, arithmetic, concatenate, negate, not, or, plus, xor, type ArithmeticOp } from "./operators.js";
import { EvalCompileError, type CallSite, type Cell, type Compiled, type EvalContext, type EvalResult } from "./types.js";
import { anyMatch, text } from "./values.js";

export type { CallSite, Cell, Compiled, EvalContext, EvalResult, FunctionSpec } from "./types.js";
export { EvalCompileError } from "./types.js";

/** Deeper expressions are refused: both compiling and running recurse once per level. */
export const MAX_EXPRESSION_DEPTH = 400;

interface Scope {
  readonly table: Table;
  readonly ctx: EvalContext;
  /** Fields standing for one value of a multivalue (inside mvfilter, mvmap). */
  readonly bound: ReadonlyMap<string, Cell>;
}

/** Compile an expression over a table. Throws EvalCompileError (with the span) for errors found now. */
export function compileEval(expr: EvalExpr, table: Table, ctx: EvalContext): (row: number) => EvalResult {
  return compileNode(expr, { table, ctx, bound: new Map() }, 0);
}

/** An eval result as a field value: booleans are not field values (they become null). */
export function evalToValue(r: EvalResult): Value {
  return typeof r === "boolean" ? null : r;
}

/** Whether where keeps the row: "the boolean result was true" (searchbnf [where-command]). */
export function isTrue(r: EvalResult): boolean {
  return r === true;
}

/** Whether an expression gives the same result for the same field values (no random(), no clock). */
export function isDeterministic(expr: EvalExpr): boolean {
  switch (expr.kind) {
    case "call": {
      const name = expr.name.toLowerCase();
      return name !== "random" && name !== "time" && expr.args.every(isDeterministic);
    }
    case "binary":
      return isDeterministic(expr.left) && isDeterministic(expr.right);
    case "unary":
      return isDeterministic(expr.operand);
    case "in":
      return isDeterministic(expr.value) && expr.list.every(isDeterministic);
    default:
      return true;
  }
}

const booleanOps = new Set(["=", "==", "!=", "<", "<=", ">", ">=", "LIKE", "AND", "OR", "XOR"]);

/**
 * The error for `eval x=<boolean expression>`, or undefined when the assignment is fine. Splunk
 * refuses these before running ("the result of an eval statement is not allowed to be boolean",
 * searchbnf [eval-command]); the message is Splunk's own wording for it.
 */
export function checkEvalAssignment(expr: EvalExpr): string | undefined {
  const boolean =
    (expr.kind === "binary" && booleanOps.has(expr.op)) ||
    (expr.kind === "unary" && expr.op === "NOT") ||
    expr.kind === "in" ||
    (expr.kind === "call" && lookupFunction(expr.name)?.boolean === true);
  return boolean ? "Fields cannot be assigned a boolean result. Instead, try if([bool expr], [expr], [expr])." : undefined;
}

function constant(v: EvalResult): Compiled {
  return () => v;
}

function compileNode(e: EvalExpr, scope: Scope, depth: number): Compiled {
  if (depth > MAX_EXPRESSION_DEPTH) throw new EvalCompileError(`expression nested more than ${MAX_EXPRESSION_DEPTH} levels deep`, e.span);
  const sub = (x: EvalExpr): Compiled => compileNode(x, scope, depth + 1);
  switch (e.kind) {
    case "number":
      return constant(e.value);
    case "string":
      return constant(e.value);
    case "field": {
      const cell = scope.bound.get(e.name);
      if (cell) return () => cell.value;
      const column = scope.table.column(e.name);
      return column ? (row) => column.get(row) : constant(null);
    }
    case "unary": {
      const operand = sub(e.operand);
      if (e.op === "NOT") return (row) => not(operand(row));
      return e.op === "-" ? (row) => negate(operand(row)) : (row) => plus(operand(row));
    }
    case "in":
      return inList(sub(e.value), e.list.map(sub));
    case "binary":
      return binary(e.op, sub(e.left), sub(e.right));
    case "call":
      return call(e, scope, depth);
  }
}

function binary(op: Extract<EvalExpr, { kind: "binary" }>["op"], left: Compiled, right: Compiled): Compiled {
  switch (op) {
    case "AND": return and(left, right);
    case "OR": return or(left, right);
    case "XOR": return xor(left, right);
    case ".": return (row) => concatenate(left(row), right(row));
    case "+":
    case "-":
    case "*":
    case "/":
    case "%": {
      const a = op as ArithmeticOp;
      return (row) => arithmetic(a, left(row), right(row));
    }
    case "LIKE":
      return (row) => {
        const subject = left(row);
        const pattern = text(right(row));
        if (pattern === null) return null;
        return anyMatch(subject, likeRegex(pattern));
      };
    default: {
      const c = op as CompareOp;
      return (row) => compare(c, left(row), right(row));
    }
  }
}

function call(e: Extract<EvalExpr, { kind: "call" }>, scope: Scope, depth: number): Compiled {
  const spec = lookupFunction(e.name);
  if (!spec) {
    const known = unsupportedFunctions.has(e.name.toLowerCase());
    throw new EvalCompileError(known ? `eval function '${e.name}' is not supported yet` : `unknown eval function '${e.name}'`, e.span);
  }
  const count = e.args.length;
  if (count < spec.min || count > spec.max) throw new EvalCompileError(`${e.name}() ${arityText(spec)}, but got ${count}`, e.span);
  const rule = spec.arity?.(count);
  if (rule) throw new EvalCompileError(rule, e.span);
  const args = e.args.map((a) => compileNode(a, scope, depth + 1));
  const site: CallSite = {
    name: e.name,
    span: e.span,
    exprs: e.args,
    args,
    ctx: scope.ctx,
    literal: (i) => {
      const a = e.args[i];
      return a?.kind === "string" || a?.kind === "number" ? a.value : undefined;
    },
    compile: (x) => compileNode(x, scope, depth + 1),
    bind: (x, field, cell) => {
      const bound = new Map(scope.bound);
      bound.set(field, cell);
      return compileNode(x, { ...scope, bound }, depth + 1);
    },
  };
  return spec.compile(site);
}

/**
 * Types shared by the eval compiler and its function table (re-exported by compile.ts).
 */
import type { EvalExpr, Span } from "../parse/ast.js";
import type { Scalar, Value } from "../table/value.js";

/**
 * What an eval expression gives for one row: a field value, or a boolean (comparisons, AND/OR,
 * cidrmatch ...). Booleans exist only inside expressions: "the result of an eval statement is not
 * allowed to be boolean" (searchbnf [eval-command]).
 */
export type EvalResult = Value | boolean;

export interface EvalContext {
  /** now(): the search's start time, epoch seconds. */
  readonly now: number;
  /** IANA zone of strftime, strptime and relative_time. */
  readonly tz: string;
}

/** A compiled expression: the result for a row. */
export type Compiled = (row: number) => EvalResult;

/** An error in an expression found before any row is read (unknown function, wrong arity ...). */
export class EvalCompileError extends Error {
  constructor(
    message: string,
    readonly span: Span,
  ) {
    super(message);
    this.name = "EvalCompileError";
  }
}

/** A mutable slot standing for one field while mvfilter/mvmap walk its values. */
export interface Cell {
  value: Value;
}

/** What a function's compiler gets: its compiled arguments and ways to compile more. */
export interface CallSite {
  readonly name: string;
  readonly span: Span;
  readonly exprs: readonly EvalExpr[];
  readonly args: readonly Compiled[];
  readonly ctx: EvalContext;
  /** The value of argument i when it is a string or number literal. */
  literal(i: number): Scalar | undefined;
  /** Compile another expression in the same scope as the arguments. */
  compile(expr: EvalExpr): Compiled;
  /** Compile an expression with the field `field` read from `cell` instead of the row. */
  bind(expr: EvalExpr, field: string, cell: Cell): Compiled;
}

export interface FunctionSpec {
  readonly min: number;
  /** Infinity for any number. */
  readonly max: number;
  /** Further arity rule, e.g. case() takes pairs: an error message, or undefined when fine. */
  readonly arity?: (count: number) => string | undefined;
  /** True when the function gives a boolean (so `eval x=f(...)` is refused). */
  readonly boolean?: boolean;
  readonly compile: (site: CallSite) => Compiled;
}

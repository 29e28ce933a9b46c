/**
 * Typed syntax trees. Every node carries a span (offsets into the expanded search text) so that
 * errors found later, at check or run time, still point at what the user wrote.
 */

export interface Span {
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
}

// ---- search expressions (search command, tstats WHERE, inputlookup WHERE) ----------------------

/**
 * A value as written in a search: `smb`, `"smb"`, `10.0.0.0/8`, `4*`, `TERM(10.0.0.1)`.
 * Quotes are removed; `quoted` remembers them (a quoted `*` is still a wildcard in Splunk).
 */
export interface SearchValue {
  readonly text: string;
  readonly quoted: boolean;
  /** `TERM(x)`: match x as one indexed term. */
  readonly term: boolean;
  /** `CASE(x)`: match case-sensitively. */
  readonly caseSensitive: boolean;
  readonly span: Span;
}

export type SearchCompareOp = "=" | "!=" | "<" | "<=" | ">" | ">=";

export type SearchExpr =
  | { readonly kind: "and"; readonly items: readonly SearchExpr[]; readonly span: Span }
  | { readonly kind: "or"; readonly items: readonly SearchExpr[]; readonly span: Span }
  | { readonly kind: "not"; readonly expr: SearchExpr; readonly span: Span }
  /** `field=value`, `field!=value`, `field>5` ... */
  | { readonly kind: "compare"; readonly field: string; readonly op: SearchCompareOp; readonly value: SearchValue; readonly span: Span }
  /** `field IN (v1, v2, ...)` */
  | { readonly kind: "in"; readonly field: string; readonly values: readonly SearchValue[]; readonly span: Span }
  /** A bare keyword or quoted phrase matched against `_raw`. */
  | { readonly kind: "term"; readonly value: SearchValue; readonly span: Span }
  /** `[ subsearch ]` whose results become a search expression. */
  | { readonly kind: "subsearch"; readonly pipeline: Pipeline; readonly span: Span };

// ---- eval expressions (eval, where, stats eval(...)) ---------------------------------------------

export type EvalBinaryOp =
  | "+" | "-" | "*" | "/" | "%" | "."
  | "=" | "==" | "!=" | "<" | "<=" | ">" | ">="
  | "LIKE" | "AND" | "OR" | "XOR";

export type EvalExpr =
  | { readonly kind: "number"; readonly value: number; readonly text: string; readonly span: Span }
  | { readonly kind: "string"; readonly value: string; readonly span: Span }
  | { readonly kind: "field"; readonly name: string; readonly span: Span }
  | { readonly kind: "call"; readonly name: string; readonly args: readonly EvalExpr[]; readonly span: Span }
  | { readonly kind: "binary"; readonly op: EvalBinaryOp; readonly left: EvalExpr; readonly right: EvalExpr; readonly span: Span }
  | { readonly kind: "unary"; readonly op: "-" | "+" | "NOT"; readonly operand: EvalExpr; readonly span: Span }
  | { readonly kind: "in"; readonly value: EvalExpr; readonly list: readonly EvalExpr[]; readonly span: Span };

export interface EvalAssignment {
  readonly field: string;
  readonly expr: EvalExpr;
  readonly span: Span;
}

// ---- pipelines ------------------------------------------------------------------------------------

/** One `| command args` stage. `args` is the command's own typed AST (see src/commands). */
export interface Stage<A = unknown> {
  readonly name: string;
  readonly args: A;
  /** The whole stage, command name to last argument. */
  readonly span: Span;
  /** The command name. */
  readonly nameSpan: Span;
  /** True when the command has no typed parser: it parsed generically and cannot run yet. */
  readonly generic: boolean;
}

export interface Pipeline {
  readonly stages: readonly Stage[];
  readonly span: Span;
}

/** What an unsupported command parses to: its options and remaining arguments, for messages. */
export interface GenericArgs {
  readonly options: ReadonlyArray<{ readonly key: string; readonly value: string; readonly span: Span }>;
  readonly args: ReadonlyArray<{ readonly text: string; readonly span: Span }>;
  readonly subsearches: readonly Pipeline[];
}

/**
 * Syntax trees of KQL (Kibana Query Language, "kuery"). Every node carries a span: offsets into the
 * query text, so that errors found after parsing (a value that does not fit its field's type) still
 * point at what the user wrote.
 */
import type { Span } from "../parse/ast.js";

export type { Span };

/**
 * A value or a field name as written: `tcp`, `"::1"`, `C\:\\Windows*`, `hello world`.
 * Escapes are resolved in `text`. An unquoted literal with an unescaped `*` is a wildcard pattern:
 * `pattern` holds the (unescaped) pieces between the stars, so `a*b\*` is ["a", "b*"].
 */
export interface KqlLiteral {
  readonly text: string;
  readonly quoted: boolean;
  readonly pattern?: readonly string[];
  readonly span: Span;
}

/** The values after `field:`, possibly a boolean list `(a or b and not c)`. */
export type KqlValue =
  | { readonly kind: "or"; readonly items: readonly KqlValue[]; readonly span: Span }
  | { readonly kind: "and"; readonly items: readonly KqlValue[]; readonly span: Span }
  | { readonly kind: "not"; readonly expr: KqlValue; readonly span: Span }
  | { readonly kind: "literal"; readonly literal: KqlLiteral; readonly span: Span };

export type RangeOp = "<" | "<=" | ">" | ">=";

export type KqlNode =
  | { readonly kind: "or"; readonly items: readonly KqlNode[]; readonly span: Span }
  | { readonly kind: "and"; readonly items: readonly KqlNode[]; readonly span: Span }
  | { readonly kind: "not"; readonly expr: KqlNode; readonly span: Span }
  /** `field:value`, `field:(a or b)`; a value of only `*` asks whether the field exists. */
  | { readonly kind: "match"; readonly field: KqlLiteral; readonly value: KqlValue; readonly span: Span }
  /** `field < value` ... */
  | { readonly kind: "range"; readonly field: KqlLiteral; readonly op: RangeOp; readonly value: KqlLiteral; readonly span: Span }
  /** `parent:{ child:value and other:x }`: one element of `parent` must satisfy the whole inner query. */
  | { readonly kind: "nested"; readonly field: KqlLiteral; readonly query: KqlNode; readonly span: Span }
  /** A value without a field: matched against every field of the document. */
  | { readonly kind: "text"; readonly literal: KqlLiteral; readonly span: Span }
  /** The empty query: matches every document (as Kibana's empty search bar does). */
  | { readonly kind: "all"; readonly span: Span };

/** A literal of only unescaped stars: `field:*` is an existence test, a bare `*` matches everything. */
export function isOnlyStars(literal: KqlLiteral): boolean {
  return literal.pattern !== undefined && literal.pattern.every((p) => p === "");
}

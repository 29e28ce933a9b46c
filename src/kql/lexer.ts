/**
 * KQL tokens, after Kibana's kuery grammar (src/platform/packages/shared/kbn-es-query/grammar/
 * grammar.peggy, summarised in ../shared/reference/peers.md §2c):
 * - `or`, `and`, `not` are keywords in any case ("OR", "And" ...), when they stand alone: `order`
 *   and `notepad` are words, and `\or` is the word "or";
 * - the special characters `\ ( ) : < > " * { }` and whitespace end an unquoted word, unless
 *   escaped with a backslash; `*` is kept inside words (an unescaped one makes a wildcard);
 * - a double-quoted string may hold anything; `\"` and `\\` are its escapes.
 * Escapes are checked and resolved by the parser (literal.ts), which knows where each word starts.
 */
import { createToken, Lexer, type IToken, type TokenType } from "chevrotain";
import { diagnostic, type Diagnostic } from "../diag/diagnostic.js";

export const WhiteSpace = createToken({ name: "KqlWhiteSpace", pattern: /\s+/, group: Lexer.SKIPPED });
export const QuotedString = createToken({ name: "KqlQuotedString", pattern: /"(?:[^"\\]|\\[\s\S])*"/, label: "a quoted string" });
export const UnclosedString = createToken({ name: "KqlUnclosedString", pattern: /"(?:[^"\\]|\\[\s\S])*/ });
export const LParen = createToken({ name: "KqlLParen", pattern: /\(/, label: "'('" });
export const RParen = createToken({ name: "KqlRParen", pattern: /\)/, label: "')'" });
export const LBrace = createToken({ name: "KqlLBrace", pattern: /\{/, label: "'{'" });
export const RBrace = createToken({ name: "KqlRBrace", pattern: /\}/, label: "'}'" });
export const Colon = createToken({ name: "KqlColon", pattern: /:/, label: "':'" });
export const RangeOp = createToken({ name: "KqlRangeOp", pattern: Lexer.NA, label: "a range operator (< <= > >=)" });
export const Le = createToken({ name: "KqlLe", pattern: /<=/, categories: RangeOp, label: "'<='" });
export const Ge = createToken({ name: "KqlGe", pattern: />=/, categories: RangeOp, label: "'>='" });
export const Lt = createToken({ name: "KqlLt", pattern: /</, categories: RangeOp, label: "'<'" });
export const Gt = createToken({ name: "KqlGt", pattern: />/, categories: RangeOp, label: "'>'" });
/** An unquoted word: escapes (`\:`) or any character but whitespace and the special ones (`*` is allowed). */
export const Word = createToken({ name: "KqlWord", pattern: /(?:\\[\s\S]|[^\s\\():<>"{}])+/, label: "a value" });
export const Or = createToken({ name: "KqlOr", pattern: /or/i, longer_alt: Word, label: "'or'" });
export const And = createToken({ name: "KqlAnd", pattern: /and/i, longer_alt: Word, label: "'and'" });
export const Not = createToken({ name: "KqlNot", pattern: /not/i, longer_alt: Word, label: "'not'" });

export const kqlTokens: TokenType[] = [WhiteSpace, QuotedString, UnclosedString, LParen, RParen, LBrace, RBrace, Colon, RangeOp, Le, Ge, Lt, Gt, Or, And, Not, Word];

const lexer = new Lexer(kqlTokens, { positionTracking: "onlyOffset", ensureOptimizations: false });

export interface KqlLexed {
  readonly tokens: IToken[];
  readonly diagnostics: Diagnostic[];
}

export function lexKql(text: string): KqlLexed {
  const result = lexer.tokenize(text);
  const diagnostics: Diagnostic[] = [];
  const tokens: IToken[] = [];
  for (const token of result.tokens) {
    if (token.tokenType === UnclosedString) {
      diagnostics.push(diagnostic("unbalanced-quote", "unbalanced double quote: this string is never closed", token.startOffset, 1));
    } else {
      tokens.push(token);
    }
  }
  for (const error of result.errors) {
    const char = text[error.offset] ?? "";
    const message =
      char === "\\" ? "a backslash must escape a character (write \\\\ for a backslash)" : `unexpected character '${char}'`;
    diagnostics.push(diagnostic("syntax", message, error.offset, error.length));
  }
  return { tokens, diagnostics };
}

export function tokenEnd(token: IToken): number {
  return token.startOffset + token.image.length;
}

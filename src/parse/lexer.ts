/**
 * SPL tokens. SPL has no single lexical grammar: `a/b` is one value in a search (`dest=10.0.0.0/8`)
 * and a division in eval. So there are two lexers over one vocabulary:
 * - the *search* lexer, used for the pipeline and every command's arguments, reads generous words
 *   (anything but whitespace, quotes, `= ! < >`, parentheses, brackets, comma and pipe), as Splunk's
 *   search tokenizer does;
 * - the *eval* lexer, used for eval expressions (`eval`, `where`, `stats ... eval(...)`), reads
 *   identifiers, numbers, operators and single-quoted field names.
 * Both lex any slice of the expanded text and report offsets into the whole text.
 */
import { createToken, Lexer, type IToken, type TokenType } from "chevrotain";
import { diagnostic, type Diagnostic } from "../diag/diagnostic.js";

// ---- shared -------------------------------------------------------------------------------------

export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /\s+/, group: Lexer.SKIPPED });
/** ```...``` comments (Splunk 8.2+), possibly spanning lines. */
export const Comment = createToken({ name: "Comment", pattern: /```[\s\S]*?```/, group: Lexer.SKIPPED });
export const UnclosedComment = createToken({ name: "UnclosedComment", pattern: /```[\s\S]*/ });
/** Double-quoted string; backslash escapes the next character. May span lines. */
export const DQString = createToken({ name: "DQString", pattern: /"(?:[^"\\]|\\[\s\S])*"/, label: "a quoted string" });
export const UnclosedString = createToken({ name: "UnclosedString", pattern: /"(?:[^"\\]|\\[\s\S])*/ });
export const Pipe = createToken({ name: "Pipe", pattern: /\|/, label: "'|'" });
export const LBracket = createToken({ name: "LBracket", pattern: /\[/, label: "'['" });
export const RBracket = createToken({ name: "RBracket", pattern: /]/, label: "']'" });
export const LParen = createToken({ name: "LParen", pattern: /\(/, label: "'('" });
export const RParen = createToken({ name: "RParen", pattern: /\)/, label: "')'" });
export const Comma = createToken({ name: "Comma", pattern: /,/, label: "','" });

export const CompareOp = createToken({ name: "CompareOp", pattern: Lexer.NA });
export const Le = createToken({ name: "Le", pattern: /<=/, categories: CompareOp, label: "'<='" });
export const Ge = createToken({ name: "Ge", pattern: />=/, categories: CompareOp, label: "'>='" });
export const Ne = createToken({ name: "Ne", pattern: /!=/, categories: CompareOp, label: "'!='" });
export const EqEq = createToken({ name: "EqEq", pattern: /==/, categories: CompareOp, label: "'=='" });
export const Eq = createToken({ name: "Eq", pattern: /=/, categories: CompareOp, label: "'='" });
export const Lt = createToken({ name: "Lt", pattern: /</, categories: CompareOp, label: "'<'" });
export const Gt = createToken({ name: "Gt", pattern: />/, categories: CompareOp, label: "'>'" });

// ---- search mode --------------------------------------------------------------------------------

/**
 * A search word: a field name, a value, a keyword. `!` belongs to a word unless it starts `!=`;
 * a backslash escapes the next character (`*\"privileged\":true*` is one word, as in Splunk).
 */
export const Word = createToken({ name: "Word", pattern: /(?:\\\S|[^\s"=!<>()[\],|`\\]|\\|!(?!=))+/, label: "a word" });
// Boolean operators of the search language must be uppercase (Search Manual, "Boolean expressions").
export const And = createToken({ name: "And", pattern: /AND/, longer_alt: Word, label: "AND" });
export const Or = createToken({ name: "Or", pattern: /OR/, longer_alt: Word, label: "OR" });
export const Not = createToken({ name: "Not", pattern: /NOT/, longer_alt: Word, label: "NOT" });
export const In = createToken({ name: "In", pattern: /IN/, longer_alt: Word, label: "IN" });

// ---- eval mode ----------------------------------------------------------------------------------

/** `'field name'`: a field reference in eval (needed for names with dots, parentheses, spaces). */
export const SQField = createToken({ name: "SQField", pattern: /'(?:[^'\\]|\\[\s\S])*'/, label: "a 'quoted' field name" });
export const UnclosedField = createToken({ name: "UnclosedField", pattern: /'(?:[^'\\]|\\[\s\S])*/ });
export const NumberLit = createToken({ name: "NumberLit", pattern: /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/, label: "a number" });
/** Eval field names may contain dots, braces and `$` (ESCU writes `$outcome.result$`) (`userIdentity.userName`, `a{}.b`) but never end with a dot, so `a."x"` concatenates. */
export const Identifier = createToken({
  name: "Identifier",
  pattern: /[A-Za-z_@$][\w@{}$]*(?:\.[\w@{}$]+)*/,
  label: "a field or function name",
});
// In eval the logical operators are accepted in any case (ESCU writes `and`, `or`, `not`).
export const EAnd = createToken({ name: "EAnd", pattern: /AND/i, longer_alt: Identifier, label: "AND" });
export const EOr = createToken({ name: "EOr", pattern: /OR/i, longer_alt: Identifier, label: "OR" });
export const EXor = createToken({ name: "EXor", pattern: /XOR/i, longer_alt: Identifier, label: "XOR" });
export const ENot = createToken({ name: "ENot", pattern: /NOT/i, longer_alt: Identifier, label: "NOT" });
export const ELike = createToken({ name: "ELike", pattern: /LIKE/i, longer_alt: Identifier, label: "LIKE" });
export const EIn = createToken({ name: "EIn", pattern: /IN/i, longer_alt: Identifier, label: "IN" });
export const Plus = createToken({ name: "Plus", pattern: /\+/, label: "'+'" });
export const Minus = createToken({ name: "Minus", pattern: /-/, label: "'-'" });
export const Star = createToken({ name: "Star", pattern: /\*/, label: "'*'" });
export const Slash = createToken({ name: "Slash", pattern: /\//, label: "'/'" });
export const Percent = createToken({ name: "Percent", pattern: /%/, label: "'%'" });
export const Dot = createToken({ name: "Dot", pattern: /\./, label: "'.'" });
export const Bang = createToken({ name: "Bang", pattern: /!/, label: "'!'" });

const compareOps = [Le, Ge, Ne, EqEq, Eq, Lt, Gt];

export const searchTokens: TokenType[] = [
  WhiteSpace, Comment, UnclosedComment, DQString, UnclosedString, Pipe, LBracket, RBracket, LParen, RParen, Comma,
  CompareOp, ...compareOps, And, Or, Not, In, Word,
];

export const evalTokens: TokenType[] = [
  WhiteSpace, Comment, UnclosedComment, DQString, UnclosedString, SQField, UnclosedField, LParen, RParen, Comma,
  CompareOp, ...compareOps, NumberLit, EAnd, EOr, EXor, ENot, ELike, EIn, Identifier,
  Plus, Minus, Star, Slash, Percent, Dot, Bang, Pipe, LBracket, RBracket,
];

/** Every token type, for the parser's vocabulary. */
export const allTokens: TokenType[] = [...new Set([...searchTokens, ...evalTokens])];

const searchLexer = new Lexer(searchTokens, { positionTracking: "onlyOffset", ensureOptimizations: false });
const evalLexer = new Lexer(evalTokens, { positionTracking: "onlyOffset", ensureOptimizations: false });

export interface Lexed {
  readonly tokens: IToken[];
  readonly diagnostics: Diagnostic[];
}

/** Lex `text[from, to)` in search mode; offsets refer to `text`. */
export function lexSearch(text: string, from = 0, to = text.length): Lexed {
  return lexSlice(searchLexer, text, from, to);
}

/** Lex `text[from, to)` in eval mode; offsets refer to `text`. */
export function lexEval(text: string, from = 0, to = text.length): Lexed {
  return lexSlice(evalLexer, text, from, to);
}

function lexSlice(lexer: Lexer, text: string, from: number, to: number): Lexed {
  const result = lexer.tokenize(text.slice(from, to));
  const diagnostics: Diagnostic[] = [];
  const tokens: IToken[] = [];
  for (const token of result.tokens) {
    token.startOffset += from;
    token.endOffset = token.startOffset + token.image.length - 1;
    const type = token.tokenType;
    if (type === UnclosedString) {
      diagnostics.push(diagnostic("unbalanced-quote", "unbalanced double quote: this string is never closed", token.startOffset, 1));
    } else if (type === UnclosedField) {
      diagnostics.push(diagnostic("unbalanced-quote", "unbalanced single quote: this field name is never closed", token.startOffset, 1));
    } else if (type === UnclosedComment) {
      diagnostics.push(diagnostic("syntax", "unclosed ``` comment", token.startOffset, 3));
    } else {
      tokens.push(token);
    }
  }
  for (const error of result.errors) {
    const offset = error.offset + from;
    const char = text[offset] ?? "";
    diagnostics.push(
      diagnostic("syntax", char === "`" ? "unexpected backtick (a macro call that was not expanded?)" : `unexpected character '${char}'`, offset, error.length),
    );
  }
  return { tokens, diagnostics };
}

/** Inclusive end offset → exclusive end. */
export function tokenEnd(token: IToken): number {
  return token.startOffset + token.image.length;
}

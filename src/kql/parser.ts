/**
 * The KQL parser (chevrotain), after Kibana's kuery grammar and detection-rules' lib/kql/kql/kql.g:
 *
 *   query      := orQuery?                       (empty: every document)
 *   orQuery    := andQuery ("or" andQuery)*        `and` binds tighter than `or`
 *   andQuery   := notQuery ("and" notQuery)*
 *   notQuery   := "not" notQuery | subQuery
 *   subQuery   := "(" orQuery ")" | fieldQuery
 *   fieldQuery := literal ":" "{" orQuery "}"      nested: one element of the field matches it all
 *               | literal ":" values               field:value, field:(a or b), field:*
 *               | literal rangeOp literal          field >= 10
 *               | literal                          free text, against every field
 *   values     := "(" valueOr ")" | literal
 *   valueOr    := valueAnd ("or" valueAnd)*   valueAnd := valueNot ("and" valueNot)*
 *   valueNot   := "not" valueNot | values
 *   literal    := "quoted string" | word+          words keep the whitespace between them
 *
 * There is no implicit `and`: `a:1 b:2` is an error, as in Kibana (the value `1 b` is followed by
 * a colon). Errors come back as one located SplError, rendered like the search language's.
 */
import { EmbeddedActionsParser, EOF, tokenLabel, type IParserErrorMessageProvider, type IToken, type TokenType } from "chevrotain";
import { diagnostic, identityLocator, SplError, type Diagnostic, type OriginLocator } from "../diag/diagnostic.js";
import type { KqlLiteral, KqlNode, KqlValue, RangeOp, Span } from "./ast.js";
import * as T from "./lexer.js";
import { quotedLiteral, unquotedLiteral } from "./literal.js";

/** A parsed query, with what its offsets point into (for errors found later). */
export interface KqlQuery {
  readonly text: string;
  readonly ast: KqlNode;
  readonly locator: OriginLocator;
}

export interface KqlParseOptions {
  /** Name shown in errors (a file, or "<query>"). */
  readonly name?: string;
  /** Maps query offsets to the place the query was written (e.g. inside a rule file). */
  readonly locator?: OriginLocator;
}

const RULE_WORDS: Record<string, string> = {
  subQuery: "a query (field:value, a value or '(')",
  notQuery: "a query (field:value, a value or '(')",
  values: "a value or '('",
  valueNot: "a value or '('",
  literal: "a value",
};

const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, actual }) => `expected ${tokenLabel(expected)} but found ${describe(actual)}`,
  buildNotAllInputParsedMessage: ({ firstRedundant }) =>
    `expected 'and', 'or' or the end of the query but found ${describe(firstRedundant)}${firstRedundant.tokenType === T.Word || firstRedundant.tokenType === T.QuotedString ? " (join conditions with and/or)" : ""}`,
  buildNoViableAltMessage: ({ expectedPathsPerAlt, actual, ruleName, customUserDescription }) =>
    `expected ${customUserDescription ?? RULE_WORDS[ruleName] ?? alternatives(expectedPathsPerAlt.flat())} but found ${describe(actual[0])}`,
  buildEarlyExitMessage: ({ expectedIterationPaths, actual, ruleName }) =>
    `expected ${RULE_WORDS[ruleName] ?? alternatives(expectedIterationPaths)} but found ${describe(actual[0])}`,
};

function alternatives(paths: TokenType[][]): string {
  const labels = [...new Set(paths.map((p) => (p[0] ? tokenLabel(p[0]) : "more input")))];
  return labels.length > 1 ? `${labels.slice(0, -1).join(", ")} or ${labels[labels.length - 1]}` : (labels[0] ?? "more input");
}

function describe(token: IToken | undefined): string {
  if (!token || token.tokenType === EOF) return "the end of the query";
  return `'${token.image.length > 30 ? `${token.image.slice(0, 30)}…` : token.image}'`;
}

const span = (start: number, end: number): Span => ({ start, end });
const join = (items: readonly { span: Span }[]): Span => span(items[0]?.span.start ?? 0, items[items.length - 1]?.span.end ?? 0);

class KqlParser extends EmbeddedActionsParser {
  /** The text being parsed (unquoted literals are sliced from it) and problems found in literals. */
  text = "";
  literalErrors: Diagnostic[] = [];

  constructor() {
    super(T.kqlTokens, { errorMessageProvider: messages, recoveryEnabled: false, maxLookahead: 2 });
    this.performSelfAnalysis();
  }

  public query = this.RULE("query", (): KqlNode => {
    let node: KqlNode | undefined;
    this.OPTION(() => {
      node = this.SUBRULE(this.orQuery);
    });
    return node ?? { kind: "all", span: span(0, 0) };
  });

  private orQuery = this.RULE("orQuery", (): KqlNode => {
    const items: KqlNode[] = [this.SUBRULE(this.andQuery)];
    this.MANY(() => {
      this.CONSUME(T.Or);
      items.push(this.SUBRULE2(this.andQuery));
    });
    return this.ACTION((): KqlNode => (items.length === 1 ? items[0]! : { kind: "or", items, span: join(items) }));
  });

  private andQuery = this.RULE("andQuery", (): KqlNode => {
    const items: KqlNode[] = [this.SUBRULE(this.notQuery)];
    this.MANY(() => {
      this.CONSUME(T.And);
      items.push(this.SUBRULE2(this.notQuery));
    });
    return this.ACTION((): KqlNode => (items.length === 1 ? items[0]! : { kind: "and", items, span: join(items) }));
  });

  private notQuery = this.RULE("notQuery", (): KqlNode =>
    this.OR([
      {
        ALT: () => {
          const not = this.CONSUME(T.Not);
          const expr = this.SUBRULE(this.notQuery);
          return this.ACTION((): KqlNode => ({ kind: "not", expr, span: span(not.startOffset, expr.span.end) }));
        },
      },
      { ALT: () => this.SUBRULE(this.subQuery) },
    ]),
  );

  private subQuery = this.RULE("subQuery", (): KqlNode =>
    this.OR([
      {
        ALT: () => {
          const open = this.CONSUME(T.LParen);
          const inner = this.SUBRULE(this.orQuery);
          const close = this.CONSUME(T.RParen);
          return this.ACTION((): KqlNode => ({ ...inner, span: span(open.startOffset, T.tokenEnd(close)) }));
        },
      },
      { ALT: () => this.SUBRULE(this.fieldQuery) },
    ]),
  );

  private fieldQuery = this.RULE("fieldQuery", (): KqlNode => {
    const field = this.SUBRULE(this.literal);
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Colon);
          return this.OR2({
            ERR_MSG: "a value, '(' or '{'",
            DEF: [
              {
                ALT: () => {
                  this.CONSUME(T.LBrace);
                  const query = this.SUBRULE(this.orQuery);
                  const close = this.CONSUME(T.RBrace);
                  return this.ACTION((): KqlNode => ({ kind: "nested", field, query, span: span(field.span.start, T.tokenEnd(close)) }));
                },
              },
              {
                ALT: () => {
                  const value = this.SUBRULE(this.values);
                  return this.ACTION((): KqlNode => ({ kind: "match", field, value, span: span(field.span.start, value.span.end) }));
                },
              },
            ],
          });
        },
      },
      {
        ALT: () => {
          const op = this.CONSUME(T.RangeOp);
          const value = this.SUBRULE2(this.literal);
          return this.ACTION((): KqlNode => ({ kind: "range", field, op: op.image as RangeOp, value, span: span(field.span.start, value.span.end) }));
        },
      },
      { ALT: () => this.ACTION((): KqlNode => ({ kind: "text", literal: field, span: field.span })) },
    ]);
  });

  private values = this.RULE("values", (): KqlValue =>
    this.OR([
      {
        ALT: () => {
          const open = this.CONSUME(T.LParen);
          const inner = this.SUBRULE(this.valueOr);
          const close = this.CONSUME(T.RParen);
          return this.ACTION((): KqlValue => ({ ...inner, span: span(open.startOffset, T.tokenEnd(close)) }));
        },
      },
      {
        ALT: () => {
          const literal = this.SUBRULE(this.literal);
          return this.ACTION((): KqlValue => ({ kind: "literal", literal, span: literal.span }));
        },
      },
    ]),
  );

  private valueOr = this.RULE("valueOr", (): KqlValue => {
    const items: KqlValue[] = [this.SUBRULE(this.valueAnd)];
    this.MANY(() => {
      this.CONSUME(T.Or);
      items.push(this.SUBRULE2(this.valueAnd));
    });
    return this.ACTION((): KqlValue => (items.length === 1 ? items[0]! : { kind: "or", items, span: join(items) }));
  });

  private valueAnd = this.RULE("valueAnd", (): KqlValue => {
    const items: KqlValue[] = [this.SUBRULE(this.valueNot)];
    this.MANY(() => {
      this.CONSUME(T.And);
      items.push(this.SUBRULE2(this.valueNot));
    });
    return this.ACTION((): KqlValue => (items.length === 1 ? items[0]! : { kind: "and", items, span: join(items) }));
  });

  private valueNot = this.RULE("valueNot", (): KqlValue =>
    this.OR([
      {
        ALT: () => {
          const not = this.CONSUME(T.Not);
          const expr = this.SUBRULE(this.valueNot);
          return this.ACTION((): KqlValue => ({ kind: "not", expr, span: span(not.startOffset, expr.span.end) }));
        },
      },
      { ALT: () => this.SUBRULE(this.values) },
    ]),
  );

  private literal = this.RULE("literal", (): KqlLiteral =>
    this.OR([
      {
        ALT: () => {
          const t = this.CONSUME(T.QuotedString);
          return this.ACTION(() => quotedLiteral(t.image, t.startOffset));
        },
      },
      {
        ALT: () => {
          const words: IToken[] = [];
          this.AT_LEAST_ONE(() => words.push(this.CONSUME(T.Word)));
          return this.ACTION((): KqlLiteral => {
            const first = words[0]!;
            const last = words[words.length - 1]!;
            const result = unquotedLiteral(this.text.slice(first.startOffset, T.tokenEnd(last)), first.startOffset);
            if ("error" in result) {
              this.literalErrors.push(result.error);
              return { text: "", quoted: false, span: span(first.startOffset, T.tokenEnd(last)) };
            }
            return result.literal;
          });
        },
      },
    ]),
  );
}

/** One instance, fed new input each time (chevrotain parsers are built once). */
const parser = new KqlParser();

/** Parses a KQL query; throws a located SplError when it is not valid KQL. */
export function parseKql(text: string, options: KqlParseOptions = {}): KqlQuery {
  const locator = options.locator ?? identityLocator(options.name ?? "<query>", text);
  const lexed = T.lexKql(text);
  if (lexed.diagnostics.length > 0) throw new SplError([lexed.diagnostics[0]!], text, locator);
  const tooDeep = nestingProblem(lexed.tokens);
  if (tooDeep) throw new SplError([tooDeep], text, locator);
  parser.text = text;
  parser.literalErrors = [];
  parser.input = lexed.tokens;
  const ast = parser.query();
  const errors = parser.errors;
  if (errors.length > 0) {
    const e = errors[0]!;
    const token = e.token;
    const atEnd = token.tokenType === EOF || Number.isNaN(token.startOffset);
    const offset = atEnd ? text.length : token.startOffset;
    throw new SplError([diagnostic("syntax", e.message, offset, atEnd ? 1 : token.image.length)], text, locator);
  }
  if (parser.literalErrors.length > 0) throw new SplError([parser.literalErrors[0]!], text, locator);
  return { text, ast, locator };
}

/** Groups and `not`s nest at most this deep (the parser and the evaluator recurse on them). */
export const MAX_KQL_NESTING = 256;

function nestingProblem(tokens: readonly IToken[]): Diagnostic | undefined {
  let depth = 0;
  let nots = 0;
  for (const t of tokens) {
    if (t.tokenType === T.LParen || t.tokenType === T.LBrace) depth++;
    else if (t.tokenType === T.RParen || t.tokenType === T.RBrace) depth = Math.max(0, depth - 1);
    nots = t.tokenType === T.Not ? nots + 1 : 0;
    if (depth > MAX_KQL_NESTING || nots > MAX_KQL_NESTING) {
      return diagnostic("syntax", `the query nests deeper than ${MAX_KQL_NESTING} levels`, t.startOffset, t.image.length);
    }
  }
  return undefined;
}

/**
 * The expression grammars of SPL, as one chevrotain parser:
 * - search expressions: implicit AND between terms, OR binding tighter than AND, NOT, parentheses,
 *   `field op value`, `field IN (...)`, TERM() and CASE() (Search Manual 9.3, "Boolean expressions":
 *   "The search command evaluates OR before AND operators");
 * - eval expressions: AND binding tighter than OR, XOR loosest, comparisons, LIKE, IN, arithmetic,
 *   `.` concatenation, function calls, 'quoted field names', "strings".
 * The pipeline itself and each command's options are read by src/parse/pipeline.ts and the command
 * files, which call into these rules for the expression parts.
 */
import {
  createToken,
  createTokenInstance,
  EmbeddedActionsParser,
  EOF,
  Lexer,
  tokenLabel,
  type IParserErrorMessageProvider,
  type IToken,
  type TokenType,
} from "chevrotain";
import type { EvalBinaryOp, EvalExpr, Pipeline, SearchCompareOp, SearchExpr, SearchValue, Span } from "./ast.js";
import * as T from "./lexer.js";

/** A `[ ... ]` subsearch, already parsed, standing in for its bracketed tokens. */
export const Subsearch = createToken({ name: "Subsearch", pattern: Lexer.NA, label: "a [subsearch]" });

export interface SubsearchToken extends IToken {
  readonly pipeline: Pipeline;
}

export function subsearchToken(pipeline: Pipeline, start: number, endInclusive: number, image: string): SubsearchToken {
  const token = createTokenInstance(Subsearch, image, start, endInclusive, NaN, NaN, NaN, NaN) as IToken & { pipeline: Pipeline };
  token.pipeline = pipeline;
  return token;
}

const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, actual }) => `expected ${tokenLabel(expected)} but found ${describe(actual)}`,
  buildNotAllInputParsedMessage: ({ firstRedundant }) => `unexpected ${describe(firstRedundant)}`,
  buildNoViableAltMessage: ({ expectedPathsPerAlt, actual, ruleName }) =>
    `expected ${alternatives(expectedPathsPerAlt.flat(), ruleName)} but found ${describe(actual[0])}`,
  buildEarlyExitMessage: ({ expectedIterationPaths, actual, ruleName }) =>
    `expected ${alternatives(expectedIterationPaths, ruleName)} but found ${describe(actual[0])}`,
};

/** Long lists of token kinds read badly: where a whole expression could start, say so. */
function alternatives(paths: TokenType[][], ruleName: string): string {
  const labels = [...new Set(paths.map((p) => (p[0] ? tokenLabel(p[0]) : "more input")))];
  if (labels.length > 4) return ruleName.startsWith("eval") ? "an expression" : "a search term";
  return labels.length > 1 ? `${labels.slice(0, -1).join(", ")} or ${labels[labels.length - 1]}` : (labels[0] ?? "more input");
}

export function describe(token: IToken | undefined): string {
  if (!token || token.tokenType === EOF) return "the end of the input";
  return `'${token.image.length > 30 ? `${token.image.slice(0, 30)}…` : token.image}'`;
}

/** Remove the quotes of a "string" and resolve its backslash escapes (`\"` and `\\`; others stay as written, as in Splunk). */
export function unquote(image: string): string {
  return image.slice(1, -1).replace(/\\(["\\])/g, "$1");
}

const span = (start: number, end: number): Span => ({ start, end });
const tokSpan = (t: IToken): Span => span(t.startOffset, t.startOffset + t.image.length);

class SplParser extends EmbeddedActionsParser {
  constructor() {
    super([...T.allTokens, Subsearch], { errorMessageProvider: messages, recoveryEnabled: false, maxLookahead: 3 });
    this.performSelfAnalysis();
  }

  // ---- search expressions ----------------------------------------------------------------------

  public searchExpression = this.RULE("searchExpression", (): SearchExpr => {
    const items: SearchExpr[] = [this.SUBRULE(this.searchOr)];
    this.MANY(() => {
      this.OPTION(() => this.CONSUME(T.And));
      items.push(this.SUBRULE2(this.searchOr));
    });
    return this.ACTION(() => (items.length === 1 ? items[0]! : { kind: "and", items, span: join(items) }));
  });

  private searchOr = this.RULE("searchOr", (): SearchExpr => {
    const items: SearchExpr[] = [this.SUBRULE(this.searchNot)];
    this.MANY(() => {
      this.CONSUME(T.Or);
      items.push(this.SUBRULE2(this.searchNot));
    });
    return this.ACTION(() => (items.length === 1 ? items[0]! : { kind: "or", items, span: join(items) }));
  });

  private searchNot = this.RULE("searchNot", (): SearchExpr =>
    this.OR([
      {
        ALT: () => {
          const not = this.CONSUME(T.Not);
          const expr = this.SUBRULE(this.searchNot);
          return this.ACTION((): SearchExpr => ({ kind: "not", expr, span: span(not.startOffset, expr.span.end) }));
        },
      },
      { ALT: () => this.SUBRULE(this.searchPrimary) },
    ]),
  );

  private searchPrimary = this.RULE("searchPrimary", (): SearchExpr =>
    this.OR([
      {
        ALT: () => {
          const open = this.CONSUME(T.LParen);
          const inner = this.SUBRULE(this.searchExpression);
          const close = this.CONSUME(T.RParen);
          return this.ACTION(() => ({ ...inner, span: span(open.startOffset, T.tokenEnd(close)) }));
        },
      },
      {
        ALT: () => {
          const sub = this.CONSUME(Subsearch) as SubsearchToken;
          return { kind: "subsearch", pipeline: sub.pipeline, span: tokSpan(sub) } as SearchExpr;
        },
      },
      { ALT: () => this.SUBRULE(this.searchComparison) },
    ]),
  );

  private searchComparison = this.RULE("searchComparison", (): SearchExpr => {
    const left = this.SUBRULE(this.searchValue);
    return this.OR([
      {
        ALT: () => {
          const op = this.CONSUME(T.CompareOp);
          const value = this.SUBRULE2(this.searchValue, { ARGS: [true] });
          return this.ACTION(
            (): SearchExpr => ({
              kind: "compare",
              field: left.text,
              op: (op.image === "==" ? "=" : op.image) as SearchCompareOp,
              value,
              span: span(left.span.start, value.span.end),
            }),
          );
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.In);
          this.CONSUME(T.LParen);
          // Splunk accepts spaces as well as commas between IN values, and stray commas
          // (ESCU has `IN ("a" "b")` and `IN (,"a",)` in production detections).
          const values: SearchValue[] = [];
          this.MANY(() =>
            this.OR2([{ ALT: () => this.CONSUME(T.Comma) }, { ALT: () => values.push(this.SUBRULE3(this.searchValue, { ARGS: [true] })) }]),
          );
          const close = this.CONSUME(T.RParen);
          return this.ACTION((): SearchExpr => ({ kind: "in", field: left.text, values, span: span(left.span.start, T.tokenEnd(close)) }));
        },
      },
      { ALT: () => this.ACTION((): SearchExpr => ({ kind: "term", value: left, span: left?.span })) },
    ]);
  });

  /** A word or "quoted string"; `TERM(x)` and `CASE(x)` wrap one. After an operator, AND/OR/NOT/IN are plain values. */
  private searchValue = this.RULE("searchValue", (afterOperator?: boolean): SearchValue =>
    this.OR([
      {
        GATE: () => this.LA(2).tokenType === T.LParen && /^(TERM|CASE)$/.test(this.LA(1).image),
        ALT: () => {
          const fn = this.CONSUME(T.Word);
          this.CONSUME(T.LParen);
          const inner = this.SUBRULE(this.searchValue, { ARGS: [true] });
          const close = this.CONSUME(T.RParen);
          return this.ACTION(() => ({
            ...inner,
            term: fn.image === "TERM" || inner.term,
            caseSensitive: fn.image === "CASE" || inner.caseSensitive,
            span: span(fn.startOffset, T.tokenEnd(close)),
          }));
        },
      },
      { ALT: () => this.SUBRULE(this.searchPieces) },
      { GATE: () => afterOperator === true, ALT: () => wordValue(this.CONSUME(T.And)) },
      { GATE: () => afterOperator === true, ALT: () => wordValue(this.CONSUME(T.Or)) },
      { GATE: () => afterOperator === true, ALT: () => wordValue(this.CONSUME(T.Not)) },
      { GATE: () => afterOperator === true, ALT: () => wordValue(this.CONSUME(T.In)) },
    ]),
  );

  /** Adjacent words and strings glue into one value, as Splunk's tokenizer does: `""*textbin*""` is `*textbin*`. */
  private searchPieces = this.RULE("searchPieces", (): SearchValue => {
    const pieces: IToken[] = [this.SUBRULE(this.searchPiece)];
    this.MANY({
      GATE: () => {
        const last = pieces[pieces.length - 1];
        const next = this.LA(1);
        return last !== undefined && (next.tokenType === T.Word || next.tokenType === T.DQString) && next.startOffset === T.tokenEnd(last);
      },
      DEF: () => pieces.push(this.SUBRULE2(this.searchPiece)),
    });
    return this.ACTION(() => joinPieces(pieces));
  });

  private searchPiece = this.RULE("searchPiece", (): IToken =>
    this.OR([{ ALT: () => this.CONSUME(T.Word) }, { ALT: () => this.CONSUME(T.DQString) }]),
  );

  // ---- eval expressions ------------------------------------------------------------------------

  public evalExpression = this.RULE("evalExpression", (): EvalExpr => this.SUBRULE(this.evalXor));

  private evalXor = this.binaryLevel("evalXor", () => this.evalOr, [T.EXor]);
  private evalOr = this.binaryLevel("evalOr", () => this.evalAnd, [T.EOr]);
  private evalAnd = this.binaryLevel("evalAnd", () => this.evalNot, [T.EAnd]);

  private evalNot = this.RULE("evalNot", (): EvalExpr =>
    this.OR([
      {
        ALT: () => {
          const op = this.OR2([{ ALT: () => this.CONSUME(T.ENot) }, { ALT: () => this.CONSUME(T.Bang) }]);
          const operand = this.SUBRULE(this.evalNot);
          return this.ACTION((): EvalExpr => ({ kind: "unary", op: "NOT", operand, span: span(op.startOffset, operand.span.end) }));
        },
      },
      { ALT: () => this.SUBRULE(this.evalComparison) },
    ]),
  );

  private evalComparison = this.RULE("evalComparison", (): EvalExpr => {
    let left = this.SUBRULE(this.evalAdditive);
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            const op = this.OR2([{ ALT: () => this.CONSUME(T.CompareOp) }, { ALT: () => this.CONSUME(T.ELike) }]);
            const right = this.SUBRULE2(this.evalAdditive);
            this.ACTION(() => {
              const name = (op.tokenType === T.ELike ? "LIKE" : op.image) as EvalBinaryOp;
              left = { kind: "binary", op: name, left, right, span: span(left.span.start, right.span.end) };
            });
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.EIn);
            this.CONSUME(T.LParen);
            const list: EvalExpr[] = [];
            this.MANY_SEP({ SEP: T.Comma, DEF: () => list.push(this.SUBRULE(this.evalExpression)) });
            const close = this.CONSUME(T.RParen);
            this.ACTION(() => {
              left = { kind: "in", value: left, list, span: span(left.span.start, T.tokenEnd(close)) };
            });
          },
        },
      ]);
    });
    return left;
  });

  private evalAdditive = this.binaryLevel("evalAdditive", () => this.evalMultiplicative, [T.Plus, T.Minus, T.Dot]);
  private evalMultiplicative = this.binaryLevel("evalMultiplicative", () => this.evalUnary, [T.Star, T.Slash, T.Percent]);

  private evalUnary = this.RULE("evalUnary", (): EvalExpr =>
    this.OR([
      {
        ALT: () => {
          const op = this.OR2([{ ALT: () => this.CONSUME(T.Minus) }, { ALT: () => this.CONSUME(T.Plus) }]);
          const operand = this.SUBRULE(this.evalUnary);
          return this.ACTION((): EvalExpr => ({ kind: "unary", op: op.image as "-" | "+", operand, span: span(op.startOffset, operand.span.end) }));
        },
      },
      { ALT: () => this.SUBRULE(this.evalPrimary) },
    ]),
  );

  private evalPrimary = this.RULE("evalPrimary", (): EvalExpr =>
    this.OR([
      {
        ALT: () => {
          const t = this.CONSUME(T.NumberLit);
          return { kind: "number", value: Number(t.image), text: t.image, span: tokSpan(t) } as EvalExpr;
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.DQString);
          return { kind: "string", value: unquote(t.image), span: tokSpan(t) } as EvalExpr;
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.SQField);
          return { kind: "field", name: unquote(t.image), span: tokSpan(t) } as EvalExpr;
        },
      },
      {
        // like(...) and in(...) are functions too, although their names lex as operators.
        GATE: () => this.LA(2).tokenType === T.LParen,
        ALT: () => {
          const name = this.OR3([
            { ALT: () => this.CONSUME2(T.Identifier) },
            { ALT: () => this.CONSUME(T.ELike) },
            { ALT: () => this.CONSUME(T.EIn) },
          ]);
          this.CONSUME(T.LParen);
          const args: EvalExpr[] = [];
          this.MANY_SEP({ SEP: T.Comma, DEF: () => args.push(this.SUBRULE(this.evalExpression)) });
          const close = this.CONSUME(T.RParen);
          return { kind: "call", name: name.image, args, span: span(name.startOffset, T.tokenEnd(close)) } as EvalExpr;
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.Identifier);
          return { kind: "field", name: t.image, span: tokSpan(t) } as EvalExpr;
        },
      },
      {
        ALT: () => {
          const open = this.CONSUME2(T.LParen);
          const inner = this.SUBRULE2(this.evalExpression);
          const close = this.CONSUME2(T.RParen);
          return this.ACTION(() => ({ ...inner, span: span(open.startOffset, T.tokenEnd(close)) }));
        },
      },
    ]),
  );

  /** A left-associative binary level: `next (op next)*`. */
  private binaryLevel(name: string, next: () => (idx: number) => EvalExpr, ops: TokenType[]) {
    return this.RULE(name, (): EvalExpr => {
      let left = this.SUBRULE(next());
      this.MANY(() => {
        const op = this.OR(ops.map((tokenType) => ({ ALT: () => this.CONSUME(tokenType) })));
        const right = this.SUBRULE2(next());
        this.ACTION(() => {
          const symbol = (/^[A-Za-z]+$/.test(op.image) ? op.image.toUpperCase() : op.image) as EvalBinaryOp;
          left = { kind: "binary", op: symbol, left, right, span: span(left.span.start, right.span.end) };
        });
      });
      return left;
    });
  }
}

function join(items: readonly { span: Span }[]): Span {
  return span(items[0]?.span.start ?? 0, items[items.length - 1]?.span.end ?? 0);
}

function joinPieces(pieces: readonly IToken[]): SearchValue {
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  const quoted = pieces.some((p) => p.tokenType === T.DQString);
  const text = pieces.map((p) => (p.tokenType === T.DQString ? unquote(p.image) : p.image)).join("");
  return { text, quoted, term: false, caseSensitive: false, span: span(first.startOffset, T.tokenEnd(last)) };
}

function wordValue(t: IToken): SearchValue {
  return { text: t.image, quoted: false, term: false, caseSensitive: false, span: tokSpan(t) };
}


/** One parser instance, reused: chevrotain parsers are built once and fed new input. */
export const parser = new SplParser();


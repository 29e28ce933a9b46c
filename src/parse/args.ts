/**
 * ArgReader: what a command file uses to read its arguments. It walks the search-mode tokens of
 * one pipeline stage and hands expression parts to the chevrotain grammars.
 *
 * Splunk's argument tokenizer glues adjacent quoted and unquoted pieces into one argument
 * (`"All_Traffic".*` is `All_Traffic.*`), which is why both `drop_dm_object_name("All_Traffic")`
 * and `drop_dm_object_name(All_Traffic)` make a working `rename`; `value()` does the same.
 */
import type { IToken } from "chevrotain";
import { diagnostic, type Diagnostic, type DiagnosticCode } from "../diag/diagnostic.js";
import type { EvalAssignment, EvalExpr, Pipeline, SearchExpr, Span } from "./ast.js";
import { describe, parser, Subsearch, unquote, type SubsearchToken } from "./grammar.js";
import * as T from "./lexer.js";

/** Thrown by a command's parser; the pipeline parser collects it with the other stages' errors. */
export class ArgError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics[0]?.message ?? "bad argument");
  }
}

/** An argument word or string with its quotes removed. */
export interface ArgValue {
  readonly text: string;
  /** True when any piece of it was quoted. */
  readonly quoted: boolean;
  readonly span: Span;
}

export interface ArgOption {
  readonly key: string;
  readonly value: ArgValue;
  readonly span: Span;
}

const wordTypes = new Set([T.Word, T.And, T.Or, T.Not, T.In]);
const isValueToken = (t: IToken | undefined): t is IToken => t !== undefined && (wordTypes.has(t.tokenType) || t.tokenType === T.DQString);

export class ArgReader {
  private pos = 0;

  constructor(
    /** The expanded search text that token offsets point into. */
    readonly text: string,
    private readonly tokens: readonly IToken[],
    /** Span of the command name, for errors about the command as a whole. */
    readonly commandSpan: Span,
    readonly command: string,
  ) {}

  // ---- looking ------------------------------------------------------------------------------------

  peek(ahead = 0): IToken | undefined {
    return this.tokens[this.pos + ahead];
  }

  atEnd(): boolean {
    return this.pos >= this.tokens.length;
  }

  /** Is the next token the word `image` (case-insensitive, as Splunk's keywords `by`, `as`, `OUTPUT` are)? */
  atWord(...images: string[]): boolean {
    const t = this.peek();
    return t !== undefined && wordTypes.has(t.tokenType) && images.some((i) => i.toLowerCase() === t.image.toLowerCase());
  }

  atValue(): boolean {
    return isValueToken(this.peek());
  }

  atToken(type: typeof T.Word): boolean {
    return this.peek()?.tokenType === type;
  }

  /** Is the next thing `key=...` (an option)? */
  atOption(...keys: string[]): boolean {
    const [k, eq] = [this.peek(), this.peek(1)];
    if (!k || !wordTypes.has(k.tokenType) || eq?.tokenType !== T.Eq) return false;
    return keys.length === 0 || keys.some((key) => key.toLowerCase() === k.image.toLowerCase());
  }

  /** The offset just after the last consumed token (or the command name). */
  get offset(): number {
    const prev = this.tokens[this.pos - 1];
    return prev ? T.tokenEnd(prev) : this.commandSpan.end;
  }

  /** Span from `start` to the end of what was consumed so far. */
  spanFrom(start: number): Span {
    return { start, end: this.offset };
  }

  // ---- consuming ----------------------------------------------------------------------------------

  next(): IToken {
    const t = this.peek();
    if (!t) this.fail("syntax", `${this.command}: unexpected end of the command`, this.endSpan());
    this.pos++;
    return t;
  }

  /** Consume the word `image` (case-insensitive) or fail with "expected ...". */
  expectWord(image: string): IToken {
    if (!this.atWord(image)) this.failHere(`expected '${image}'`);
    return this.next();
  }

  /** If the next word is one of `images`, consume it and return it lower-cased. */
  acceptWord(...images: string[]): string | undefined {
    return this.atWord(...images) ? this.next().image.toLowerCase() : undefined;
  }

  accept(type: typeof T.Word): IToken | undefined {
    return this.peek()?.tokenType === type ? this.next() : undefined;
  }

  expect(type: typeof T.Word, what: string): IToken {
    const t = this.peek();
    if (t?.tokenType !== type) this.failHere(`expected ${what}`);
    return this.next();
  }

  /**
   * A word or quoted string, glued to any adjacent ones as Splunk's tokenizer does.
   * `what` names the expected thing in the error message ("a field name").
   */
  value(what: string): ArgValue {
    const first = this.peek();
    if (!isValueToken(first)) this.failHere(`expected ${what}`);
    let text = "";
    let quoted = false;
    let end = first.startOffset;
    while (isValueToken(this.peek()) && this.peek()!.startOffset === end) {
      const t = this.next();
      quoted ||= t.tokenType === T.DQString;
      text += t.tokenType === T.DQString ? unquote(t.image) : t.image;
      end = T.tokenEnd(t);
    }
    return { text, quoted, span: { start: first.startOffset, end } };
  }

  /** `key=value`; the key lower-cased (Splunk's option names are case-insensitive). */
  option(): ArgOption {
    const key = this.next();
    this.expect(T.Eq, "'='");
    let value: ArgValue;
    if (this.peek()?.tokenType === T.LParen) {
      // `startswith=(field="x")`, `eval(...)`-like option values: kept as written.
      const { span } = this.parenthesised();
      value = { text: this.text.slice(span.start, span.end), quoted: false, span };
    } else {
      if (!this.atValue()) this.failHere(`expected a value for ${key.image}=`);
      value = this.value(`a value for ${key.image}=`);
    }
    return { key: key.image.toLowerCase(), value, span: { start: key.startOffset, end: value.span.end } };
  }

  /** Consume `( ... )` and return the tokens inside, for a nested argument syntax such as `count(eval(x>1))`. */
  parenthesised(): { inner: ArgReader; span: Span } {
    const open = this.expect(T.LParen, "'('");
    let depth = 1;
    const start = this.pos;
    while (depth > 0) {
      const t = this.peek();
      if (!t) this.fail("unbalanced-bracket", "unbalanced parenthesis: '(' is never closed", { start: open.startOffset, end: open.startOffset + 1 });
      if (t.tokenType === T.LParen) depth++;
      if (t.tokenType === T.RParen) depth--;
      this.pos++;
    }
    const close = this.tokens[this.pos - 1]!;
    const inner = new ArgReader(this.text, this.tokens.slice(start, this.pos - 1), { start: open.startOffset, end: open.startOffset + 1 }, this.command);
    return { inner, span: { start: open.startOffset, end: T.tokenEnd(close) } };
  }

  /** A `[ subsearch ]`. */
  subsearch(): { pipeline: Pipeline; span: Span } {
    const t = this.peek();
    if (t?.tokenType !== Subsearch) this.failHere("expected a [subsearch]");
    this.pos++;
    return { pipeline: (t as SubsearchToken).pipeline, span: { start: t.startOffset, end: T.tokenEnd(t) } };
  }

  atSubsearch(): boolean {
    return this.peek()?.tokenType === Subsearch;
  }

  /** Index of the next token for which `stop` holds, counting only tokens outside parentheses; tokens.length if none. */
  private findStop(stop: (t: IToken) => boolean): number {
    let depth = 0;
    for (let i = this.pos; i < this.tokens.length; i++) {
      const t = this.tokens[i]!;
      if (depth === 0 && stop(t)) return i;
      if (t.tokenType === T.LParen) depth++;
      else if (t.tokenType === T.RParen) depth = Math.max(0, depth - 1);
    }
    return this.tokens.length;
  }

  /** A search expression up to (not including) the first top-level word in `stopWords` (e.g. tstats' `by`). */
  searchExpression(stopWords: readonly string[] = []): SearchExpr {
    const stops = new Set(stopWords.map((w) => w.toLowerCase()));
    const end = this.findStop((t) => wordTypes.has(t.tokenType) && stops.has(t.image.toLowerCase()));
    if (end === this.pos) this.failHere("expected a search expression");
    const slice = this.tokens.slice(this.pos, end);
    const expr = runRule("searchExpression", slice, this.text, slice[slice.length - 1]!);
    this.pos = end;
    return expr;
  }

  /** An eval expression over the rest of the arguments (where), or up to a top-level word in `stopWords`. */
  evalExpression(stopWords: readonly string[] = [], stopAtComma = false): EvalExpr {
    const [from, to] = this.evalRange(stopWords, stopAtComma);
    return lexAndRun("evalExpression", this.text, from, to);
  }

  /**
   * `field=expr, ...` over the rest of the arguments (eval). The target is everything before the
   * first `=`, as Splunk splits it: ESCU assigns to names such as `-time` and `inbound:outbound`.
   */
  evalAssignments(): EvalAssignment[] {
    const out: EvalAssignment[] = [];
    if (this.atEnd()) this.failHere("expected field=expression");
    while (!this.atEnd()) {
      const target = this.value("a field name");
      this.expect(T.Eq, "'=' after the field name");
      const expr = this.evalExpression([], true);
      const field = target.quoted ? target.text : target.text.replace(/^'(.*)'$/s, "$1");
      out.push({ field, expr, span: { start: target.span.start, end: expr.span.end } });
      if (!this.atEnd()) this.expect(T.Comma, "',' between assignments");
    }
    return out;
  }

  private evalRange(stopWords: readonly string[], stopAtComma = false): [number, number] {
    const stops = new Set(stopWords.map((w) => w.toLowerCase()));
    const end = this.findStop(
      (t) => (stopAtComma && t.tokenType === T.Comma) || (wordTypes.has(t.tokenType) && stops.has(t.image.toLowerCase())),
    );
    if (end === this.pos) this.failHere("expected an eval expression");
    const from = this.tokens[this.pos]!.startOffset;
    const to = T.tokenEnd(this.tokens[end - 1]!);
    this.pos = end;
    return [from, to];
  }

  // ---- failing ------------------------------------------------------------------------------------

  /** No arguments may remain. */
  end(): void {
    const t = this.peek();
    if (t) this.fail("bad-argument", `${this.command}: unexpected ${describe(t)}`, { start: t.startOffset, end: T.tokenEnd(t) });
  }

  failHere(message: string, code: DiagnosticCode = "bad-argument"): never {
    const t = this.peek();
    const where = t ? { start: t.startOffset, end: T.tokenEnd(t) } : this.endSpan();
    this.fail(code, `${this.command}: ${message} but found ${describe(t)}`, where);
  }

  fail(code: DiagnosticCode, message: string, where: Span): never {
    throw new ArgError([diagnostic(code, message, where.start, where.end - where.start)]);
  }

  private endSpan(): Span {
    return { start: this.offset, end: this.offset + 1 };
  }
}

type RuleResult = { searchExpression: SearchExpr; evalExpression: EvalExpr };

/** Run a grammar rule over tokens; every chevrotain error becomes a located diagnostic. */
function runRule<R extends keyof RuleResult>(rule: R, tokens: IToken[], text: string, last: IToken | undefined): RuleResult[R] {
  parser.input = tokens;
  const result = parser[rule]() as RuleResult[R];
  if (parser.errors.length > 0) {
    const endOffset = last ? T.tokenEnd(last) : 0;
    throw new ArgError(
      parser.errors.slice(0, 1).map((e) => {
        const t = e.token;
        const atEnd = !t || Number.isNaN(t.startOffset) || t.image === "";
        return diagnostic("syntax", e.message, atEnd ? endOffset : t.startOffset, atEnd ? 1 : t.image.length);
      }),
    );
  }
  void text;
  return result;
}

function lexAndRun<R extends keyof RuleResult>(rule: R, text: string, from: number, to: number): RuleResult[R] {
  const lexed = T.lexEval(text, from, to);
  if (lexed.diagnostics.length > 0) throw new ArgError(lexed.diagnostics);
  return runRule(rule, lexed.tokens, text, lexed.tokens[lexed.tokens.length - 1]);
}

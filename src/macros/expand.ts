/**
 * Macro expansion: Splunk expands `name` and `name(arg, ...)` textually, before the search is
 * parsed (reference/spl_semantics.md §5, macros.conf.spec). The result of a definition is expanded
 * again, so macros nest. Every piece of the output keeps its origin (sourcemap.ts), so errors found
 * later by the parser, and errors found here inside a definition, point at what the user can see.
 */
import { type Diagnostic, type MacroSource, type OriginLocator, type SearchSource, SplError, diagnostic } from "../diag/diagnostic.js";
import { type MacroDefinition, type MacroLibrary, macroKey } from "./library.js";
import { type MappedText, MappedTextBuilder, SourceMap } from "./sourcemap.js";

export interface ExpandOptions {
  /** File name, or "<search>". */
  readonly sourceName: string;
  /**
   * Definition for a macro the library lacks. contentctl generates every detection's
   * `<file stem>_filter` macro as `search *` at build time (reference/security_content.md §3.1).
   */
  readonly fallback?: (key: string) => string | undefined;
  /** Nesting limit, default 50. */
  readonly maxDepth?: number;
  /** Bound on the expanded text's length, default 1_000_000 characters. */
  readonly maxLength?: number;
  /**
   * Evaluates a macro's `validation` eval expression (arguments already substituted).
   * true or null: valid; false: invalid, reported with the macro's errormsg; a string: invalid,
   * reported with that string (macros.conf.spec `validation`). Without it, macros that have a
   * validation expression are reported as unsupported.
   */
  readonly validate?: (expression: string) => boolean | string | null;
}

export interface Expansion {
  readonly text: string;
  /** Maps each offset of `text` to where it was written (a SourceMap). */
  readonly locator: OriginLocator;
  /** Keys of the macros expanded, in order of first use. */
  readonly macrosUsed: readonly string[];
}

/** Expands every macro call in `search`; throws SplError when a call cannot be expanded. */
export function expandMacros(search: string, lib: MacroLibrary, options: ExpandOptions): Expansion {
  const source: SearchSource = { kind: "search", name: options.sourceName, text: search };
  const ctx: Context = {
    lib,
    options,
    maxDepth: options.maxDepth ?? 50,
    maxLength: options.maxLength ?? 1_000_000,
    used: new Set(),
  };
  const out = expandText({ text: search, map: SourceMap.identity(source) }, ctx, []);
  return { text: out.text, locator: out.map, macrosUsed: [...ctx.used] };
}

interface Context {
  readonly lib: MacroLibrary;
  readonly options: ExpandOptions;
  readonly maxDepth: number;
  readonly maxLength: number;
  readonly used: Set<string>;
}

interface Span {
  readonly from: number;
  readonly to: number;
}

/** A call `name(args)` at [start, end) of the text being scanned; args are trimmed spans. */
interface Call {
  readonly start: number;
  readonly end: number;
  readonly name: string;
  readonly args: readonly Span[];
}

/** A call that could not be read: the diagnostic, and where to resume scanning (-1: give up). */
interface Failure {
  readonly error: Diagnostic;
  readonly resume: number;
}

/** A macro name is whatever runs up to a backtick, parenthesis, quote or whitespace. */
const NAME = /[^\s`()"]*/y;
/** What matters when scanning for calls: quoted strings, backslash escapes and backticks. */
const SPECIAL = /["`\\]/g;
const QUOTE_END = /["\\]/g;
/** `argname=value` (named argument form, Knowledge Manager Manual "Search macro examples"). */
const NAMED = /^([A-Za-z0-9_-]+)\s*=\s*/;
/** Diagnostics reported per text: enough to fix a search, few enough to read (and bounded). */
const MAX_ERRORS = 20;
/** Backtick calls nested inside call arguments: a bound on the recursion of parseCall. */
const MAX_ARG_NESTING = 50;

/** Expands the calls in one text (the user's search, or a definition after argument substitution). */
function expandText(input: MappedText, ctx: Context, chain: readonly string[]): MappedText {
  const { text } = input;
  const out = new MappedTextBuilder();
  const errors: Diagnostic[] = [];
  let copied = 0;
  let i = 0;
  // Each step moves i forward past an escape, a quote, a comment or a call.
  while (i < text.length && errors.length < MAX_ERRORS) {
    SPECIAL.lastIndex = i;
    const m = SPECIAL.exec(text);
    if (!m) break;
    const at = m.index;
    if (m[0] === "\\") {
      // Outside quotes too a backslash escapes the next character: ESCU writes terms such as
      // *\"privileged\":true* whose \" must not open a quoted string.
      i = at + 2;
      continue;
    }
    if (m[0] === '"') {
      // "The Splunk platform does not expand macros when they are inside quoted values" (macros.conf.spec).
      i = skipQuoted(text, at);
      continue;
    }
    if (text.startsWith("```", at)) {
      // Triple-backtick comments stay in the text; the parser drops them.
      const close = text.indexOf("```", at + 3);
      if (close < 0) {
        errors.push(diagnostic("unbalanced-backtick", "this comment (```) is never closed by another ```", at, 3));
        break;
      }
      i = close + 3;
      continue;
    }
    const call = parseCall(text, at, 0);
    if ("error" in call) {
      errors.push(call.error);
      if (call.resume < 0) break;
      i = call.resume;
      continue;
    }
    i = call.end;
    let expanded: MappedText | Diagnostic;
    try {
      expanded = expandCall(input, call, ctx, chain);
    } catch (e) {
      // An error inside a definition has its own text; report this level's earlier errors first.
      if (e instanceof SplError && errors.length > 0) break;
      throw e;
    }
    if ("code" in expanded) {
      errors.push(expanded);
      continue;
    }
    out.appendMapped(input, copied, call.start);
    out.appendMapped(expanded, 0, expanded.text.length);
    copied = call.end;
    if (out.length > ctx.maxLength) {
      errors.push(tooLong(ctx, call));
      break;
    }
  }
  if (errors.length > 0) throw new SplError(errors, text, input.map);
  if (copied === 0) return input;
  out.appendMapped(input, copied, text.length);
  return out.build(input.map.locate(0));
}

/** Resolves, checks and substitutes one call, then expands the result. */
function expandCall(input: MappedText, call: Call, ctx: Context, chain: readonly string[]): MappedText | Diagnostic {
  const key = macroKey(call.name, call.args.length);
  const def = lookup(ctx, call.name, call.args.length);
  const at = (code: Diagnostic["code"], message: string): Diagnostic => diagnostic(code, message, call.start, call.end - call.start);
  if ("code" in def) return at(def.code, def.message);
  if (chain.includes(key)) {
    const cycle = [...chain.slice(chain.indexOf(key)), key].map((k) => `\`${k}\``).join(" -> ");
    return at("macro-recursion", `macro \`${key}\` calls itself: ${cycle}`);
  }
  if (chain.length >= ctx.maxDepth) {
    const path = [...chain, key].map((k) => `\`${k}\``).join(" -> ");
    return at("macro-recursion", `macros are nested more than ${ctx.maxDepth} levels deep: ${path}`);
  }
  if (def.iseval) return at("macro-unsupported", `macro \`${key}\`: eval-based macros (iseval = true) are not supported yet`);
  const values = bindArgs(def, call, input.text);
  if (def.validation !== undefined) {
    const problem = validate(def, key, substituteString(def, def.validation, values, input.text), ctx);
    if (problem) return at(problem.code, problem.message);
  }
  ctx.used.add(key);
  const source: MacroSource = {
    kind: "macro",
    key,
    definedAt: def.definedAt,
    text: def.definition,
    callSite: input.map.locate(call.start),
    callLength: callLength(input, call),
  };
  const body = substitute(def, source, values, input);
  if (body.text.length > ctx.maxLength) return tooLong(ctx, call);
  return expandText(body, ctx, [...chain, key]);
}

/** What is wrong with a call, before it becomes a Diagnostic at the call's place. */
interface Problem {
  readonly code: Diagnostic["code"];
  readonly message: string;
}

/** The definition, or why there is none: unknown, or called with the wrong number of arguments. */
function lookup(ctx: Context, name: string, arity: number): MacroDefinition | Problem {
  const key = macroKey(name, arity);
  const found = ctx.lib.get(key);
  if (found) return found;
  const generated = ctx.options.fallback?.(key);
  if (generated !== undefined) return { name, args: [], definition: generated, iseval: false, definedAt: "default definition" };
  const arities = ctx.lib.arities(name);
  if (arities.length === 0) return { code: "unknown-macro", message: `unknown macro \`${key}\`` };
  const count = arities.length === 1 && arities[0] === 0 ? "no arguments" : `${arities.join(" or ")} argument${arities.length === 1 && arities[0] === 1 ? "" : "s"}`;
  return { code: "macro-arity", message: `macro \`${name}\` takes ${count}, called with ${arity}` };
}

/**
 * The argument spans in the order of def.args. Named form `name(object=All_Traffic)` when every
 * argument is `argname=value` naming each declared argument once; otherwise positional.
 */
function bindArgs(def: MacroDefinition, call: Call, text: string): readonly Span[] {
  if (def.args.length !== call.args.length) return call.args;
  const named = new Map<string, Span>();
  for (const span of call.args) {
    const m = NAMED.exec(text.slice(span.from, span.to));
    if (!m || !def.args.includes(m[1]!) || named.has(m[1]!)) return call.args;
    named.set(m[1]!, { from: span.from + m[0].length, to: span.to });
  }
  return def.args.map((a) => named.get(a)!);
}

/** `$arg$` placeholders of the definition's declared arguments (longest name first). */
function placeholders(def: MacroDefinition): RegExp | undefined {
  if (def.args.length === 0) return undefined;
  const names = [...def.args].sort((a, b) => b.length - a.length).map((a) => a.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`\\$(${names.join("|")})\\$`, "g");
}

/**
 * The definition with each `$arg$` replaced by the argument exactly as written (trimmed, quotes
 * kept): "The Splunk platform replaces the $<arg>$ pattern globally in the string, even inside
 * quotation marks" (macros.conf.spec). Substituted text maps back to the caller's text.
 */
function substitute(def: MacroDefinition, source: MacroSource, values: readonly Span[], input: MappedText): MappedText {
  const out = new MappedTextBuilder();
  const re = placeholders(def);
  let last = 0;
  if (re) {
    for (let m = re.exec(def.definition); m; m = re.exec(def.definition)) {
      const value = values[def.args.indexOf(m[1]!)]!;
      out.appendSource(source, last, m.index);
      out.appendMapped(input, value.from, value.to);
      last = m.index + m[0].length;
    }
  }
  out.appendSource(source, last, def.definition.length);
  return out.build({ source, offset: 0 });
}

/** The same substitution on a plain string (the validation expression). */
function substituteString(def: MacroDefinition, template: string, values: readonly Span[], text: string): string {
  const re = placeholders(def);
  if (!re) return template;
  return template.replace(re, (_, name: string) => {
    const value = values[def.args.indexOf(name)]!;
    return text.slice(value.from, value.to);
  });
}

function validate(def: MacroDefinition, key: string, expression: string, ctx: Context): Problem | undefined {
  if (!ctx.options.validate) {
    return { code: "macro-unsupported", message: `macro \`${key}\`: macros with a validation expression are not supported here` };
  }
  const result = ctx.options.validate(expression);
  if (result === true || result === null) return undefined;
  const message = typeof result === "string" ? result : (def.errormsg ?? `the arguments of macro \`${key}\` fail its validation: ${expression}`);
  return { code: "macro-validation", message };
}

function tooLong(ctx: Context, call: Call): Diagnostic {
  const message = `macro expansion makes the search longer than ${ctx.maxLength} characters (at \`${call.name}\`)`;
  return diagnostic("macro-recursion", message, call.start, call.end - call.start);
}

/** Length of the call as written at its call site (the call may span substituted text). */
function callLength(input: MappedText, call: Call): number {
  const start = input.map.locate(call.start);
  const end = input.map.locate(call.end - 1);
  if (end.source === start.source && end.offset >= start.offset) return end.offset + 1 - start.offset;
  return Math.max(1, Math.min(call.end - call.start, start.source.text.length - start.offset));
}

/** Index just past the double-quoted string starting at `at` (backslash escapes), or the end. */
function skipQuoted(text: string, at: number): number {
  QUOTE_END.lastIndex = at + 1;
  for (let m = QUOTE_END.exec(text); m; m = QUOTE_END.exec(text)) {
    if (m[0] === '"') return m.index + 1;
    QUOTE_END.lastIndex = m.index + 2;
  }
  return text.length;
}

/** Reads the call whose opening backtick is at `start`: `name` or `name(arg, ...)`. */
function parseCall(text: string, start: number, nesting: number): Call | Failure {
  NAME.lastIndex = start + 1;
  const name = NAME.exec(text)?.[0] ?? "";
  let k = start + 1 + name.length;
  let args: readonly Span[] = [];
  if (name !== "" && text[k] === "(") {
    const parsed = parseArgs(text, start, k + 1, nesting);
    if ("error" in parsed) return parsed;
    args = parsed.args;
    k = parsed.end;
  }
  if (name !== "" && text[k] === "`") return { start, end: k + 1, name, args };
  return malformed(text, start, k);
}

/** A backtick followed by something that is not a call: report up to the next backtick. */
function malformed(text: string, start: number, from: number): Failure {
  const close = text.indexOf("`", from);
  if (close < 0) {
    return { error: diagnostic("unbalanced-backtick", "this backtick is never closed: a macro call is written `name` or `name(arg, ...)`", start, 1), resume: -1 };
  }
  const shown = text.slice(start, close + 1);
  const message = `${shown} is not a macro call: a macro call is written \`name\` or \`name(arg, ...)\``;
  return { error: diagnostic("unknown-macro", message, start, close + 1 - start), resume: close + 1 };
}

/**
 * Arguments from `from` (just after "(") to the closing ")". Commas split only outside double
 * quotes and parentheses; a nested backtick call inside an argument is kept whole.
 */
function parseArgs(text: string, start: number, from: number, nesting: number): { args: Span[]; end: number } | Failure {
  const args: Span[] = [];
  let depth = 0;
  let argStart = from;
  // k only moves forward: past one character, a quoted string, a comment or a nested call.
  for (let k = from; k < text.length; ) {
    const c = text[k];
    if (c === "\\") {
      k += 2;
      continue;
    }
    if (c === '"') {
      k = skipQuoted(text, k);
      continue;
    }
    if (c === "`") {
      const inner = text.startsWith("```", k) ? undefined : nesting < MAX_ARG_NESTING ? parseCall(text, k, nesting + 1) : undefined;
      if (inner && !("error" in inner)) {
        k = inner.end;
        continue;
      }
      // Most likely this backtick closes the call and ")" was forgotten.
      const message = `macro call \`${text.slice(start + 1, k)}\` is missing its closing parenthesis`;
      return { error: diagnostic("unbalanced-bracket", message, start, k + 1 - start), resume: k + 1 };
    }
    if (c === "(") depth++;
    else if (c === ")" && depth > 0) depth--;
    else if ((c === ")" || c === ",") && depth === 0) {
      args.push(trimSpan(text, argStart, k));
      if (c === ")") {
        // `name()` calls the macro without arguments.
        const none = args.length === 1 && args[0]!.from === args[0]!.to;
        return { args: none ? [] : args, end: k + 1 };
      }
      argStart = k + 1;
    }
    k++;
  }
  return { error: diagnostic("unbalanced-backtick", "this backtick is never closed: a macro call is written `name` or `name(arg, ...)`", start, 1), resume: -1 };
}

function trimSpan(text: string, from: number, to: number): Span {
  let f = from;
  let t = to;
  while (f < t && /\s/.test(text[f]!)) f++;
  while (t > f && /\s/.test(text[t - 1]!)) t--;
  return { from: f, to: t };
}

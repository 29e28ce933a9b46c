/**
 * The pipeline level: `[search] | command args | command args ...`, subsearches in `[...]`.
 * Brackets are folded into single Subsearch tokens first (each parsed as a pipeline of its own),
 * then the stage list is split at top-level pipes and each stage goes to its command's parser.
 * All stages are parsed even after an error, so the user sees every mistake at once; nothing of an
 * invalid search ever runs.
 */
import type { IToken } from "chevrotain";
import { diagnostic, identityLocator, SplError, type Diagnostic, type OriginLocator } from "../diag/diagnostic.js";
import { commandSpec, unsupportedGenerating } from "../commands/index.js";
import type { GenericArgs, Pipeline, Span, Stage } from "./ast.js";
import { ArgError, ArgReader } from "./args.js";
import { subsearchToken } from "./grammar.js";
import * as T from "./lexer.js";

/**
 * Parse an already macro-expanded search. Throws SplError with every diagnostic found.
 * `locator` maps offsets back through macro expansion (identity when none).
 */
export function parseSearch(text: string, sourceName = "<search>", locator: OriginLocator = identityLocator(sourceName, text)): Pipeline {
  const lexed = T.lexSearch(text);
  const diagnostics: Diagnostic[] = [...lexed.diagnostics];
  let pipeline: Pipeline = { stages: [], span: { start: 0, end: 0 } };
  if (diagnostics.length === 0) {
    pipeline = parseTokens(lexed.tokens, text, { start: 0, end: text.length }, diagnostics, 0);
  }
  if (diagnostics.length > 0) throw new SplError(sortDiagnostics(diagnostics), text, locator);
  return pipeline;
}

/** Subsearch nesting is bounded: deeper than this is refused rather than risking the stack. */
const MAX_SUBSEARCH_DEPTH = 20;

function parseTokens(tokens: readonly IToken[], text: string, range: Span, diagnostics: Diagnostic[], depth: number): Pipeline {
  const folded = foldSubsearches(tokens, text, diagnostics, depth);
  const stages: Stage[] = [];
  const segments = splitStages(folded, range, diagnostics);
  segments.forEach((segment, index) => {
    const stage = parseStage(segment, text, index === 0 && !segment.afterPipe, diagnostics);
    if (stage) stages.push(stage);
  });
  checkGeneratingPosition(stages, diagnostics);
  return { stages, span: range };
}

/**
 * Commands whose `[...]` is a template run per field or per row (`<<FIELD>>`, `$field$` placeholders),
 * not a subsearch: its text is only valid after substitution, so it is not parsed here.
 */
const templateCommands = new Set(["foreach", "map"]);

/** Replace each `[ ... ]` by one Subsearch token holding its parsed pipeline. */
function foldSubsearches(tokens: readonly IToken[], text: string, diagnostics: Diagnostic[], depth: number): IToken[] {
  const out: IToken[] = [];
  let stageCommand: string | undefined = tokens[0]?.image.toLowerCase();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.tokenType === T.Pipe) stageCommand = tokens[i + 1]?.image.toLowerCase();
    if (t.tokenType === T.RBracket) {
      diagnostics.push(diagnostic("unbalanced-bracket", "unbalanced bracket: ']' has no matching '['", t.startOffset));
      continue;
    }
    if (t.tokenType !== T.LBracket) {
      out.push(t);
      continue;
    }
    let level = 1;
    let j = i + 1;
    for (; j < tokens.length && level > 0; j++) {
      if (tokens[j]!.tokenType === T.LBracket) level++;
      else if (tokens[j]!.tokenType === T.RBracket) level--;
    }
    if (level > 0) {
      diagnostics.push(diagnostic("unbalanced-bracket", "unbalanced bracket: '[' is never closed", t.startOffset));
      return out;
    }
    const close = tokens[j - 1]!;
    const inner = { start: T.tokenEnd(t), end: close.startOffset };
    if (depth + 1 > MAX_SUBSEARCH_DEPTH) {
      diagnostics.push(diagnostic("syntax", `subsearches nested deeper than ${MAX_SUBSEARCH_DEPTH} levels`, t.startOffset));
      return out;
    }
    if (j - 1 === i + 1) {
      diagnostics.push(diagnostic("empty-stage", "empty subsearch: '[ ]' holds no search", t.startOffset, T.tokenEnd(close) - t.startOffset));
    }
    const pipeline = templateCommands.has(stageCommand ?? "")
      ? { stages: [], span: inner }
      : parseTokens(tokens.slice(i + 1, j - 1), text, inner, diagnostics, depth + 1);
    out.push(subsearchToken(pipeline, t.startOffset, close.startOffset, text.slice(t.startOffset, T.tokenEnd(close))));
    i = j - 1;
  }
  return out;
}

interface Segment {
  readonly tokens: IToken[];
  /** The `|` before this stage, if any. */
  readonly pipe?: IToken;
  readonly afterPipe: boolean;
}

function splitStages(tokens: readonly IToken[], range: Span, diagnostics: Diagnostic[]): Segment[] {
  const segments: Segment[] = [];
  let current: IToken[] = [];
  let pipe: IToken | undefined;
  const close = (next: IToken | undefined) => {
    const isLeadingPipe = segments.length === 0 && current.length === 0 && pipe === undefined && next !== undefined;
    if (current.length === 0 && !isLeadingPipe) {
      const at = next ?? pipe;
      const message =
        next === undefined && pipe !== undefined
          ? "empty command: the search ends with '|'"
          : pipe === undefined && next === undefined
            ? "empty search"
            : "empty command between two '|'";
      diagnostics.push(diagnostic("empty-stage", message, at?.startOffset ?? range.start, 1));
    } else if (current.length > 0) {
      segments.push(pipe ? { tokens: current, pipe, afterPipe: true } : { tokens: current, afterPipe: false });
    }
    current = [];
    pipe = next;
  };
  for (const t of tokens) {
    if (t.tokenType === T.Pipe) close(t);
    else current.push(t);
  }
  close(undefined);
  return segments;
}

function parseStage(segment: Segment, text: string, implicitSearch: boolean, diagnostics: Diagnostic[]): Stage | undefined {
  const [first, ...rest] = segment.tokens;
  if (!first) return undefined;
  // A search that does not start with '|' starts with an implicit `search` command.
  const explicit = first.tokenType === T.Word && (!implicitSearch || first.image.toLowerCase() === "search");
  if (!explicit && !implicitSearch) {
    diagnostics.push(diagnostic("syntax", `expected a command name after '|' but found '${first.image}'`, first.startOffset, first.image.length));
    return undefined;
  }
  const name = explicit ? first.image.toLowerCase() : "search";
  const nameSpan = explicit ? { start: first.startOffset, end: T.tokenEnd(first) } : { start: first.startOffset, end: first.startOffset };
  const args = explicit ? rest : segment.tokens;
  const last = segment.tokens[segment.tokens.length - 1]!;
  const span = { start: first.startOffset, end: T.tokenEnd(last) };
  const spec = commandSpec(name);
  const reader = new ArgReader(text, args, nameSpan, name);
  try {
    if (spec) return { name: spec.name, args: spec.parse(reader), span, nameSpan, generic: false };
    return { name, args: parseGeneric(reader), span, nameSpan, generic: true };
  } catch (error) {
    if (!(error instanceof ArgError)) throw error;
    diagnostics.push(...error.diagnostics);
    return undefined;
  }
}

/** Unsupported commands still parse, as options, words and subsearches, so that `check` can name them. */
function parseGeneric(r: ArgReader): GenericArgs {
  const options: Array<GenericArgs["options"][number]> = [];
  const args: Array<GenericArgs["args"][number]> = [];
  const subsearches: Pipeline[] = [];
  while (!r.atEnd()) {
    if (r.atOption()) {
      const o = r.option();
      options.push({ key: o.key, value: o.value.text, span: o.span });
    } else if (r.atSubsearch()) {
      subsearches.push(r.subsearch().pipeline);
    } else if (r.atValue()) {
      const v = r.value("an argument");
      args.push({ text: v.text, span: v.span });
    } else {
      const t = r.next();
      args.push({ text: t.image, span: { start: t.startOffset, end: T.tokenEnd(t) } });
    }
  }
  return { options, args, subsearches };
}

/** Generating commands (tstats, inputlookup, makeresults ...) must come first in their (sub)search. */
function checkGeneratingPosition(stages: readonly Stage[], diagnostics: Diagnostic[]): void {
  stages.forEach((stage, index) => {
    if (index === 0) return;
    const spec = commandSpec(stage.name);
    const generating = spec ? spec.generating?.(stage.args) === true : unsupportedGenerating.has(stage.name);
    if (generating) {
      diagnostics.push(
        diagnostic(
          "generating-not-first",
          `${stage.name} is a generating command: it must be the first command of the search, as \`| ${stage.name} ...\``,
          stage.nameSpan.start,
          stage.nameSpan.end - stage.nameSpan.start,
        ),
      );
    }
  });
}

function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => a.offset - b.offset);
}

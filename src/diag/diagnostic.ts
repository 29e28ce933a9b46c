/**
 * Diagnostics: every error a user can cause carries where it happened and why.
 *
 * Offsets are UTF-16 offsets into the *expanded* search text (after macro expansion); a
 * SourceMap (src/macros/sourcemap.ts) turns them back into places in what the user wrote.
 */

/** A place in a text the user or a macro file supplied. */
export interface TextOrigin {
  /** What the text is: "search" for the user's search (or a file name), or a macro. */
  readonly source: SearchSource | MacroSource;
  /** Offset into that source's text. */
  readonly offset: number;
}

export interface SearchSource {
  readonly kind: "search";
  /** File name, or "<search>" for `-e`. */
  readonly name: string;
  /** The text as the user wrote it. */
  readonly text: string;
}

export interface MacroSource {
  readonly kind: "macro";
  /** Lookup key as Splunk spells it: `name` or `name(N)`. */
  readonly key: string;
  /** Where the definition was read from (file path and line), for messages. */
  readonly definedAt: string;
  /** The definition text the offset points into. */
  readonly text: string;
  /** Where the macro was called from, itself possibly inside another macro. */
  readonly callSite: TextOrigin;
  /** Length of the call text (backtick to backtick) at the call site. */
  readonly callLength: number;
}

/** Maps offsets of expanded text back to their origin. Identity when no macro was expanded. */
export interface OriginLocator {
  locate(offset: number): TextOrigin;
}

export type DiagnosticCode =
  | "syntax"
  | "unbalanced-quote"
  | "unbalanced-bracket"
  | "unbalanced-backtick"
  | "unknown-macro"
  | "macro-arity"
  | "macro-recursion"
  | "macro-validation"
  | "macro-unsupported"
  | "empty-stage"
  | "generating-not-first"
  | "unsupported-command"
  | "bad-argument";

export interface Diagnostic {
  readonly code: DiagnosticCode;
  /** One sentence: what is wrong, in the user's terms. */
  readonly message: string;
  /** Offset into the text the diagnostic was raised against (expanded text, or the raw search for macro errors). */
  readonly offset: number;
  /** Length of the offending text (at least 1 for a caret). */
  readonly length: number;
  /** What the parser would have accepted here, when known. */
  readonly expected?: readonly string[];
}

/** Thrown by the front end for user errors. Never carries a stack trace to the user. */
export class SplError extends Error {
  constructor(
    readonly diagnostics: readonly Diagnostic[],
    /** The text the offsets point into. */
    readonly text: string,
    /** Maps those offsets back through macro expansion. */
    readonly locator: OriginLocator,
  ) {
    super(diagnostics.map((d) => d.message).join("; "));
    this.name = "SplError";
  }
}

export function diagnostic(
  code: DiagnosticCode,
  message: string,
  offset: number,
  length = 1,
  expected?: readonly string[],
): Diagnostic {
  return expected ? { code, message, offset, length: Math.max(1, length), expected } : { code, message, offset, length: Math.max(1, length) };
}

/** The locator for text that went through no expansion. */
export function identityLocator(name: string, text: string): OriginLocator {
  const source: SearchSource = { kind: "search", name, text };
  return { locate: (offset) => ({ source, offset }) };
}

/**
 * A failed search as the REPL shows it: carets under what the user typed and the message lines
 * below. An error inside a macro is marked at the macro's call in the prompt (the outermost call, the
 * one the user wrote), and its message shows the definition and the chain of calls, as `spelunk check`
 * prints it.
 */
import { SplError, type Diagnostic, type TextOrigin } from "../diag/diagnostic.js";
import { locationOf, renderDiagnostics } from "../diag/render.js";
import type { Mark } from "./prompt-view.js";
import { printable, printableLines } from "./text.js";

export interface ErrorView {
  /** The search the marks point into (the marks are dropped once the prompt's text changes). */
  readonly text: string;
  readonly marks: readonly Mark[];
  readonly lines: readonly string[];
}

/** Macro chains are finite; this only guards against a malformed locator. */
const MAX_CHAIN = 1000;

/** Where a diagnostic falls in the text the user typed: [from, to), or undefined when it is not in it. */
export function markInSearch(err: SplError, d: Diagnostic, text: string): Mark | undefined {
  const start = err.locator.locate(d.offset);
  const endOrigin = err.locator.locate(d.offset + Math.max(1, d.length) - 1);
  if (start.source.kind === "search") {
    if (start.source.text !== text) return undefined;
    const end = offsetInSearch(endOrigin);
    const to = end !== undefined && end >= start.offset ? end + 1 : start.offset + 1;
    return { from: start.offset, to: Math.min(Math.max(to, start.offset + 1), text.length + 1) };
  }
  let source = start.source;
  for (let n = 0; n < MAX_CHAIN && source.kind === "macro"; n++) {
    const site = source.callSite;
    if (site.source.kind === "search") {
      if (site.source.text !== text) return undefined;
      return { from: site.offset, to: site.offset + Math.max(1, source.callLength) };
    }
    source = site.source;
  }
  return undefined;
}

/** The offset in the user's search of an origin, following macro calls outward (the end of the call). */
function offsetInSearch(origin: TextOrigin): number | undefined {
  let o = origin;
  for (let n = 0; n < MAX_CHAIN; n++) {
    if (o.source.kind === "search") return o.offset;
    o = { source: o.source.callSite.source, offset: o.source.callSite.offset + o.source.callLength - 1 };
  }
  return undefined;
}

export function errorView(error: unknown, text: string): ErrorView {
  if (!(error instanceof SplError)) {
    const message = error instanceof Error ? error.message : String(error);
    return { text, marks: [], lines: printableLines(`error: ${message}`) };
  }
  const marks: Mark[] = [];
  const lines: string[] = [];
  for (const d of error.diagnostics) {
    const mark = markInSearch(error, d, text);
    if (mark) marks.push(mark);
    const origin = error.locator.locate(d.offset);
    if (origin.source.kind === "search" && mark) {
      const loc = locationOf(error, d);
      lines.push(`${loc.line}:${loc.column}: error: ${d.message}`);
      if (d.expected && d.expected.length > 0) lines.push(`expected: ${d.expected.join(", ")}`);
    } else {
      lines.push(...renderDiagnostics(new SplError([d], error.text, error.locator)).split("\n"));
    }
  }
  return { text, marks, lines: lines.map(printable) };
}

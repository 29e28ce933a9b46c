/**
 * Plain-text rendering of diagnostics, compiler style:
 *
 *   search.spl:1:10: error: unknown macro `foo`
 *   | tstats `foo` count
 *           ^~~~~
 *     in expansion of `bar` called at search.spl:2:3
 *   ...
 *
 * Positions are 1-based lines and columns (UTF-16 units) in the innermost source the offending text
 * was written in: the search, or a macro definition followed by the chain of call sites.
 */
import type { Diagnostic, MacroSource, SearchSource, SplError, TextOrigin } from "./diagnostic.js";

export interface Location {
  /** The search's name, or "macro `key` (definedAt)". */
  readonly name: string;
  readonly line: number;
  readonly column: number;
}

/** Source lines longer than this are shown as a window around the caret. */
const MAX_WIDTH = 120;
/** Columns kept before the caret when a long line is cut. */
const LEAD = 40;
/** Macro call chains are finite; this only guards against a malformed locator. */
const MAX_CHAIN = 1000;

export function renderDiagnostics(err: SplError): string {
  return err.diagnostics.map((d) => renderOne(err, d).join("\n")).join("\n");
}

/** Where a diagnostic points, in the innermost source (for tests and tools). */
export function locationOf(err: SplError, d: Diagnostic): Location {
  const origin = err.locator.locate(d.offset);
  const { line, column } = position(origin.source.text, origin.offset);
  return { name: sourceName(origin.source), line, column };
}

function renderOne(err: SplError, d: Diagnostic): string[] {
  const start = err.locator.locate(d.offset);
  const end = offsetIn(start.source, err.locator.locate(d.offset + d.length - 1));
  const length = end !== undefined && end >= start.offset ? end + 1 - start.offset : 1;
  const loc = locationOf(err, d);
  const lines = [`${loc.name}:${loc.line}:${loc.column}: error: ${d.message}`, ...excerpt(start.source.text, start.offset, length)];
  if (d.expected && d.expected.length > 0) lines.push(`expected: ${d.expected.join(", ")}`);
  let source = start.source;
  for (let n = 0; source.kind === "macro" && n < MAX_CHAIN; n++) {
    const site = source.callSite;
    const { line, column } = position(site.source.text, site.offset);
    lines.push(`  in expansion of \`${source.key}\` called at ${sourceName(site.source)}:${line}:${column}`);
    lines.push(...excerpt(site.source.text, site.offset, source.callLength));
    source = site.source;
  }
  return lines;
}

function sourceName(source: SearchSource | MacroSource): string {
  return source.kind === "search" ? source.name : `macro \`${source.key}\` (${source.definedAt})`;
}

/**
 * The offset in `source` of `origin`, following call sites outward when the origin lies inside a
 * macro called from `source` (a span that starts in the search and ends inside an expansion ends
 * at the end of the call).
 */
function offsetIn(source: SearchSource | MacroSource, origin: TextOrigin): number | undefined {
  let o = origin;
  for (let n = 0; n < MAX_CHAIN; n++) {
    if (o.source === source) return o.offset;
    if (o.source.kind !== "macro") return undefined;
    o = { source: o.source.callSite.source, offset: o.source.callSite.offset + o.source.callLength - 1 };
  }
  return undefined;
}

interface Position {
  readonly line: number;
  readonly column: number;
  readonly lineStart: number;
  readonly lineEnd: number;
}

function position(text: string, offset: number): Position {
  const at = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let nl = text.indexOf("\n"); nl >= 0 && nl < at; nl = text.indexOf("\n", nl + 1)) {
    line++;
    lineStart = nl + 1;
  }
  let lineEnd = text.indexOf("\n", lineStart);
  if (lineEnd < 0) lineEnd = text.length;
  if (text[lineEnd - 1] === "\r") lineEnd--;
  return { line, column: at - lineStart + 1, lineStart, lineEnd };
}

/** The source line and a caret line under [offset, offset + length), clipped to the line. */
function excerpt(text: string, offset: number, length: number): [string, string] {
  const { lineStart, lineEnd, column } = position(text, offset);
  const line = text.slice(lineStart, lineEnd);
  const col = column - 1;
  // ESCU searches are often one very long line: show a window around the caret.
  const from = line.length > MAX_WIDTH && col > LEAD ? Math.min(col - LEAD, line.length - MAX_WIDTH) : 0;
  const to = Math.min(line.length, from + MAX_WIDTH);
  const head = from > 0 ? "..." : "";
  const shown = head + line.slice(from, to) + (to < line.length ? "..." : "");
  // Tabs stay tabs so the caret lines up whatever the terminal's tab width.
  const pad = " ".repeat(head.length) + line.slice(from, col).replace(/[^\t]/g, " ");
  const span = Math.max(1, Math.min(length, Math.max(1, to - col)));
  return [shown, pad + "^" + "~".repeat(span - 1)];
}

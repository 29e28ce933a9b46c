/**
 * How the prompt is drawn: the input cut into screen rows (each logical line wrapped to the width),
 * where the cursor is, and caret rows under the characters an error points at. The REPL draws its
 * own wrapping so that a caret lands under the right character even when a long search wraps.
 */
import { displayWidth } from "./text.js";

export interface PromptRow {
  readonly kind: "input" | "caret";
  readonly prefix: string;
  /** What the row shows (tabs as spaces). */
  readonly text: string;
  /** Index in `text` the cursor is at (text.length: after the last character); absent when not on this row. */
  readonly cursor?: number;
}

/** A span of the input an error points at: [from, to). */
export interface Mark {
  readonly from: number;
  readonly to: number;
}

export interface Prompts {
  readonly first: string;
  readonly next: string;
  readonly wrap: string;
}

export function prompts(width: number): Prompts {
  return width < 20 ? { first: "> ", next: ". ", wrap: "  " } : { first: "spl> ", next: "...> ", wrap: "     " };
}

interface Row {
  readonly start: number;
  readonly end: number;
  readonly lastOfLine: boolean;
  readonly firstOfLine: boolean;
  readonly line: number;
}

function splitRows(text: string, avail: number): Row[] {
  const rows: Row[] = [];
  let line = 0;
  let lineStart = 0;
  while (true) {
    const nl = text.indexOf("\n", lineStart);
    const lineEnd = nl < 0 ? text.length : nl;
    let start = lineStart;
    let w = 0;
    let first = true;
    for (let i = lineStart; i < lineEnd; ) {
      const cp = text.codePointAt(i)!;
      const len = cp > 0xffff ? 2 : 1;
      const cw = Math.max(displayWidth(String.fromCodePoint(cp)), text[i] === "\t" ? 1 : 0);
      if (w + cw > avail && i > start) {
        rows.push({ start, end: i, lastOfLine: false, firstOfLine: first, line });
        first = false;
        start = i;
        w = 0;
      }
      w += cw;
      i += len;
    }
    rows.push({ start, end: lineEnd, lastOfLine: true, firstOfLine: first, line });
    if (nl < 0) break;
    lineStart = nl + 1;
    line++;
  }
  return rows;
}

/**
 * The rows of the prompt for `text` with the cursor at `cursor` (undefined: no cursor shown), `width`
 * columns wide. One column is kept free at the end of each row for the cursor.
 */
export function promptRows(text: string, cursor: number | undefined, width: number, marks: readonly Mark[] = []): PromptRow[] {
  const p = prompts(width);
  const avail = Math.max(1, width - p.first.length - 1);
  const out: PromptRow[] = [];
  for (const row of splitRows(text, avail)) {
    const prefix = row.firstOfLine ? (row.line === 0 ? p.first : p.next) : p.wrap;
    const shown = text.slice(row.start, row.end).replace(/\t/g, " ");
    const onRow = cursor !== undefined && cursor >= row.start && (cursor < row.end || (cursor === row.end && row.lastOfLine));
    out.push(onRow ? { kind: "input", prefix, text: shown, cursor: cursor - row.start } : { kind: "input", prefix, text: shown });
    const caret = caretLine(text, row, marks);
    if (caret !== undefined) out.push({ kind: "caret", prefix: " ".repeat(prefix.length), text: caret });
  }
  return out;
}

/** "   ^~~~" under the marked characters of a row, or undefined when no mark touches it. */
function caretLine(text: string, row: Row, marks: readonly Mark[]): string | undefined {
  // A mark at the very end of a line (an error at the end of the input) sits just after its last character.
  const rowEnd = row.lastOfLine ? row.end + 1 : row.end;
  const cells: string[] = [];
  let any = false;
  for (const m of marks) {
    const from = m.from;
    const to = Math.max(m.to, m.from + 1);
    if (from >= rowEnd || to <= row.start) continue;
    any = true;
    const a = Math.max(from, row.start);
    const b = Math.min(to, rowEnd);
    const col = displayWidth(text.slice(row.start, a).replace(/\t/g, " "));
    const span = Math.max(1, displayWidth(text.slice(a, Math.min(b, row.end)).replace(/\t/g, " ")));
    for (let k = 0; k < span; k++) {
      const ch = k === 0 && from >= row.start ? "^" : "~";
      if (cells[col + k] !== "^") cells[col + k] = ch;
    }
  }
  if (!any) return undefined;
  let s = "";
  for (let i = 0; i < cells.length; i++) s += cells[i] ?? " ";
  return s;
}

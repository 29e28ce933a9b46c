/**
 * The REPL's input buffer: the text being edited (possibly several lines) and the cursor, as a UTF-16
 * offset. Every function is pure and returns a new buffer; the editing keys (editor.ts) are built from
 * these. Positions never split a surrogate pair.
 */

export interface TextBuffer {
  readonly text: string;
  /** 0 ≤ cursor ≤ text.length. */
  readonly cursor: number;
}

export const emptyBuffer: TextBuffer = { text: "", cursor: 0 };

export function bufferOf(text: string, cursor = text.length): TextBuffer {
  return { text, cursor: Math.max(0, Math.min(cursor, text.length)) };
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** The offset one character (code point) before `pos`. */
export function prevChar(text: string, pos: number): number {
  if (pos <= 0) return 0;
  if (pos >= 2 && isLow(text.charCodeAt(pos - 1)) && isHigh(text.charCodeAt(pos - 2))) return pos - 2;
  return pos - 1;
}

/** The offset one character (code point) after `pos`. */
export function nextChar(text: string, pos: number): number {
  if (pos >= text.length) return text.length;
  if (isHigh(text.charCodeAt(pos)) && pos + 1 < text.length && isLow(text.charCodeAt(pos + 1))) return pos + 2;
  return pos + 1;
}

export function lineStart(text: string, pos: number): number {
  return text.lastIndexOf("\n", pos - 1) + 1;
}

export function lineEnd(text: string, pos: number): number {
  const nl = text.indexOf("\n", pos);
  return nl < 0 ? text.length : nl;
}

/** 0-based line and column (UTF-16 units) of the cursor. */
export function cursorLineColumn(b: TextBuffer): { line: number; column: number } {
  let line = 0;
  for (let i = b.text.indexOf("\n"); i >= 0 && i < b.cursor; i = b.text.indexOf("\n", i + 1)) line++;
  return { line, column: b.cursor - lineStart(b.text, b.cursor) };
}

export function lineCount(text: string): number {
  let n = 1;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

export function insert(b: TextBuffer, s: string): TextBuffer {
  return { text: b.text.slice(0, b.cursor) + s + b.text.slice(b.cursor), cursor: b.cursor + s.length };
}

/** Replace [from, to) with `s`, the cursor after it. */
export function replaceRange(b: TextBuffer, from: number, to: number, s: string): TextBuffer {
  return { text: b.text.slice(0, from) + s + b.text.slice(to), cursor: from + s.length };
}

export function backspace(b: TextBuffer): TextBuffer {
  if (b.cursor === 0) return b;
  const from = prevChar(b.text, b.cursor);
  return { text: b.text.slice(0, from) + b.text.slice(b.cursor), cursor: from };
}

export function deleteForward(b: TextBuffer): TextBuffer {
  if (b.cursor >= b.text.length) return b;
  return { text: b.text.slice(0, b.cursor) + b.text.slice(nextChar(b.text, b.cursor)), cursor: b.cursor };
}

export function left(b: TextBuffer): TextBuffer {
  return { text: b.text, cursor: prevChar(b.text, b.cursor) };
}

export function right(b: TextBuffer): TextBuffer {
  return { text: b.text, cursor: nextChar(b.text, b.cursor) };
}

export function home(b: TextBuffer): TextBuffer {
  return { text: b.text, cursor: lineStart(b.text, b.cursor) };
}

export function end(b: TextBuffer): TextBuffer {
  return { text: b.text, cursor: lineEnd(b.text, b.cursor) };
}

/** The cursor on the line above at the same column (clamped); undefined on the first line. */
export function up(b: TextBuffer): TextBuffer | undefined {
  const start = lineStart(b.text, b.cursor);
  if (start === 0) return undefined;
  const column = b.cursor - start;
  const prevStart = lineStart(b.text, start - 1);
  return { text: b.text, cursor: clampToChar(b.text, prevStart + Math.min(column, start - 1 - prevStart)) };
}

/** The cursor on the line below at the same column (clamped); undefined on the last line. */
export function down(b: TextBuffer): TextBuffer | undefined {
  const endOfLine = lineEnd(b.text, b.cursor);
  if (endOfLine >= b.text.length) return undefined;
  const column = b.cursor - lineStart(b.text, b.cursor);
  const nextStart = endOfLine + 1;
  return { text: b.text, cursor: clampToChar(b.text, nextStart + Math.min(column, lineEnd(b.text, nextStart) - nextStart)) };
}

function clampToChar(text: string, pos: number): number {
  return pos > 0 && pos < text.length && isLow(text.charCodeAt(pos)) && isHigh(text.charCodeAt(pos - 1)) ? pos - 1 : pos;
}

export interface Killed {
  readonly buffer: TextBuffer;
  /** The text removed (for Ctrl-Y). */
  readonly killed: string;
}

/** Ctrl-K: delete to the end of the line; at the end of a line, join the next line. */
export function killToEnd(b: TextBuffer): Killed {
  let to = lineEnd(b.text, b.cursor);
  if (to === b.cursor && to < b.text.length) to++;
  return { buffer: { text: b.text.slice(0, b.cursor) + b.text.slice(to), cursor: b.cursor }, killed: b.text.slice(b.cursor, to) };
}

/** Ctrl-U: delete from the start of the line to the cursor. */
export function killToStart(b: TextBuffer): Killed {
  const from = lineStart(b.text, b.cursor);
  return { buffer: { text: b.text.slice(0, from) + b.text.slice(b.cursor), cursor: from }, killed: b.text.slice(from, b.cursor) };
}

const isSpace = (ch: string) => ch === " " || ch === "\t" || ch === "\n" || ch === "\r";
const isWordChar = (ch: string) => /[\p{L}\p{N}_]/u.test(ch);

/** Ctrl-W (readline's unix-word-rubout): delete the whitespace-delimited word before the cursor. */
export function killWordBack(b: TextBuffer): Killed {
  let from = b.cursor;
  while (from > 0 && isSpace(b.text[from - 1]!)) from--;
  while (from > 0 && !isSpace(b.text[from - 1]!)) from--;
  return { buffer: { text: b.text.slice(0, from) + b.text.slice(b.cursor), cursor: from }, killed: b.text.slice(from, b.cursor) };
}

/** Alt-Backspace: delete the alphanumeric word before the cursor (stops at punctuation such as `.` `=` `|`). */
export function killAlnumWordBack(b: TextBuffer): Killed {
  const from = wordStartBefore(b.text, b.cursor);
  return { buffer: { text: b.text.slice(0, from) + b.text.slice(b.cursor), cursor: from }, killed: b.text.slice(from, b.cursor) };
}

/** Alt-D: delete the alphanumeric word after the cursor. */
export function killWordForward(b: TextBuffer): Killed {
  const to = wordEndAfter(b.text, b.cursor);
  return { buffer: { text: b.text.slice(0, b.cursor) + b.text.slice(to), cursor: b.cursor }, killed: b.text.slice(b.cursor, to) };
}

function wordStartBefore(text: string, pos: number): number {
  let i = pos;
  while (i > 0 && !isWordChar(text[i - 1]!)) i--;
  while (i > 0 && isWordChar(text[i - 1]!)) i--;
  return i;
}

function wordEndAfter(text: string, pos: number): number {
  let i = pos;
  while (i < text.length && !isWordChar(text[i]!)) i++;
  while (i < text.length && isWordChar(text[i]!)) i++;
  return i;
}

/** Alt-B / Ctrl-Left. */
export function wordLeft(b: TextBuffer): TextBuffer {
  return { text: b.text, cursor: wordStartBefore(b.text, b.cursor) };
}

/** Alt-F / Ctrl-Right. */
export function wordRight(b: TextBuffer): TextBuffer {
  return { text: b.text, cursor: wordEndAfter(b.text, b.cursor) };
}

/**
 * When Enter runs the search and when it continues it on a new line: a search is complete unless a
 * double-quoted string is still open, a `(` or `[` is not closed yet, or its last non-blank character
 * is a `|` (the next command comes on the next line). Backslash escapes a character inside quotes, as
 * in SPL. Surplus closing brackets and unbalanced backticks do not hold the search back: running it
 * reports them where they are.
 */

export interface OpenState {
  /** Inside a double-quoted string. */
  readonly inQuote: boolean;
  /** Unclosed `(` and `[`. */
  readonly depth: number;
  /** The last non-blank character is a `|` outside quotes. */
  readonly trailingPipe: boolean;
}

export function openState(text: string): OpenState {
  let inQuote = false;
  let depth = 0;
  let last = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inQuote) {
      if (ch === "\\") i++;
      else if (ch === '"') inQuote = false;
      last = "x";
      continue;
    }
    if (ch === '"') inQuote = true;
    else if (ch === "(" || ch === "[") depth++;
    else if ((ch === ")" || ch === "]") && depth > 0) depth--;
    if (ch !== " " && ch !== "\t" && ch !== "\n" && ch !== "\r") last = ch;
  }
  return { inQuote, depth, trailingPipe: last === "|" };
}

/** True when Enter should run `text` rather than open a new line. */
export function isComplete(text: string): boolean {
  const s = openState(text);
  return !s.inQuote && s.depth === 0 && !s.trailingPipe;
}

/** Piped input: a line whose last non-blank character is `|` continues on the next line. */
export function continuesOnNextLine(line: string): boolean {
  return line.trimEnd().endsWith("|");
}

/**
 * Terminal input to key events. Ink splits what it reads from stdin into pieces (a run of plain
 * characters, or one escape sequence); `decodeInput` turns one piece into keys. It is done here rather
 * than with ink's useInput because the REPL needs what useInput folds together: Backspace (DEL) apart
 * from Delete (ESC [3~), Enter (CR) apart from Ctrl-J (LF), Alt-Enter, bracketed paste, and a piece
 * such as "abc\r" (text then Enter, as a fast typist or `tmux send-keys` produces it).
 */

export type KeyName =
  | "text"
  | "return"
  | "newline"
  | "tab"
  | "backtab"
  | "backspace"
  | "delete"
  | "left"
  | "right"
  | "up"
  | "down"
  | "home"
  | "end"
  | "pageup"
  | "pagedown"
  | "insert"
  | "escape"
  | "paste-start"
  | "paste-end"
  /** A letter or other character with Ctrl or Alt (see `char`). */
  | "char"
  | "unknown";

export interface KeyEvent {
  readonly name: KeyName;
  /** The text for "text"; the character (lower case for letters) for "char". */
  readonly text?: string;
  readonly ctrl?: boolean;
  readonly meta?: boolean;
  readonly shift?: boolean;
}

const ESC = "\x1b";

const csiLetters: Record<string, KeyName> = { A: "up", B: "down", C: "right", D: "left", H: "home", F: "end", Z: "backtab" };
const csiNumbers: Record<string, KeyName> = { "1": "home", "7": "home", "4": "end", "8": "end", "2": "insert", "3": "delete", "5": "pageup", "6": "pagedown" };

/** One piece of input, as ink's input parser emits it, to key events. */
export function decodeInput(piece: string): KeyEvent[] {
  if (piece.length === 0) return [];
  if (piece.startsWith(ESC)) return [decodeEscape(piece)];
  return decodePlain(piece);
}

function decodeEscape(seq: string): KeyEvent {
  if (seq === ESC || seq === ESC + ESC) return { name: "escape" };
  if (seq === "\x1b[200~") return { name: "paste-start" };
  if (seq === "\x1b[201~") return { name: "paste-end" };
  // ESC ESC [ ...: Alt with a function key (some terminals).
  if (seq.startsWith(ESC + ESC) && seq.length > 2) return { ...decodeEscape(seq.slice(1)), meta: true };
  const csi = /^\x1b\[([0-9;]*)([A-Za-z~])$/.exec(seq);
  if (csi) {
    const params = csi[1]!.split(";");
    const final = csi[2]!;
    const mod = params.length > 1 ? Number(params[1]) - 1 : 0;
    const mods = modifiers(Number.isFinite(mod) ? mod : 0);
    if (final === "~") {
      const name = csiNumbers[params[0]!];
      return name ? { name, ...mods } : { name: "unknown" };
    }
    if (final === "Z") return { name: "backtab", shift: true };
    const name = csiLetters[final];
    return name ? { name, ...mods } : { name: "unknown" };
  }
  const ss3 = /^\x1bO([A-Za-z])$/.exec(seq);
  if (ss3) {
    const name = csiLetters[ss3[1]!];
    return name ? { name } : { name: "unknown" };
  }
  // ESC followed by one character: Alt (Meta) with that key.
  const rest = seq.slice(1);
  if (rest === "\r") return { name: "newline", meta: true };
  if (rest === "\n") return { name: "newline", meta: true };
  if (rest === "\x7f" || rest === "\b") return { name: "backspace", meta: true };
  if (rest.length >= 1 && [...rest].length === 1) {
    const code = rest.charCodeAt(0);
    if (code < 0x20) return { name: "char", text: String.fromCharCode(code + 96), ctrl: true, meta: true };
    return { name: "char", text: rest.toLowerCase(), meta: true, ...(rest !== rest.toLowerCase() ? { shift: true } : {}) };
  }
  return { name: "unknown" };
}

function modifiers(mod: number): { shift?: boolean; meta?: boolean; ctrl?: boolean } {
  const out: { shift?: boolean; meta?: boolean; ctrl?: boolean } = {};
  if (mod & 1) out.shift = true;
  if (mod & 2) out.meta = true;
  if (mod & 4) out.ctrl = true;
  if (mod & 8) out.meta = true;
  return out;
}

function decodePlain(piece: string): KeyEvent[] {
  const out: KeyEvent[] = [];
  let text = "";
  const flush = () => {
    if (text) out.push({ name: "text", text });
    text = "";
  };
  // A CR with more input after it in the same piece comes from a paste without bracketed paste
  // mode: it is a line break in the search, not Enter. A CR at the end is Enter.
  for (let i = 0; i < piece.length; i++) {
    const ch = piece[i]!;
    const code = ch.charCodeAt(0);
    if (ch === "\r") {
      flush();
      if (i + 1 < piece.length) {
        if (piece[i + 1] === "\n") i++;
        out.push({ name: "newline" });
      } else out.push({ name: "return" });
    } else if (ch === "\n") {
      flush();
      out.push({ name: "newline" });
    } else if (ch === "\t") {
      flush();
      out.push({ name: "tab" });
    } else if (ch === "\x7f" || ch === "\b") {
      flush();
      out.push({ name: "backspace" });
    } else if (code < 0x20) {
      flush();
      out.push(code === 0 ? { name: "unknown" } : { name: "char", text: String.fromCharCode(code + 96), ctrl: true });
    } else if (code >= 0x80 && code < 0xa0) {
      // C1 controls: never inserted.
      flush();
    } else text += ch;
  }
  flush();
  return out;
}

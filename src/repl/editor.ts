/**
 * The prompt's line editor as a pure state machine: `editorKey(state, key, env)` gives the next state
 * and, for keys that reach beyond the prompt, an action (run the search, leave, scroll the results).
 *
 * Keys: Enter runs a complete search (completeness.ts) and otherwise starts a new line; Alt-Enter or
 * Ctrl-J always start a new line; arrows, Home/End, Ctrl-A/E/B/F, Alt-B/F and Ctrl-←/→ move; Backspace,
 * Delete, Ctrl-D (on a non-empty prompt), Ctrl-K/U/W, Alt-D, Alt-Backspace delete (Ctrl-Y puts back
 * the last deletion); Up/Down move between lines and, on the first/last line, through history
 * (Ctrl-P/N always do); Ctrl-R searches history backwards; Tab/Shift-Tab complete. Ctrl-C clears the
 * prompt, Ctrl-D on an empty prompt leaves; PgUp/PgDn, Shift-↑/↓ and Alt-/Shift-←/→ scroll the results.
 */
import * as B from "./buffer.js";
import type { TextBuffer } from "./buffer.js";
import { commonPrefix, type Candidate, type Completion } from "./completion.js";
import { isComplete } from "./completeness.js";
import { searchBackward } from "./history.js";
import type { KeyEvent } from "./keys.js";

export interface CompletionMenu {
  /** The completed word is text[start, end). */
  readonly start: number;
  readonly end: number;
  readonly candidates: readonly Candidate[];
  /** The candidate inserted by cycling, -1 before the first. */
  readonly selected: number;
}

export interface ReverseSearch {
  readonly query: string;
  /** Index in history of the match shown, -1 for none. */
  readonly match: number;
  /** The prompt before Ctrl-R, restored by Ctrl-G. */
  readonly original: TextBuffer;
}

export interface EditorState {
  readonly buffer: TextBuffer;
  /** History, oldest first, as it was when this prompt started. */
  readonly history: readonly string[];
  /** The entry shown: history.length for the prompt's own text. */
  readonly historyIndex: number;
  /** The prompt's own text, kept while browsing history. */
  readonly draft: string;
  /** The last deleted text, for Ctrl-Y. */
  readonly killed: string;
  readonly menu?: CompletionMenu;
  /** A message in place of a menu ("no completions"). */
  readonly menuMessage?: string;
  readonly reverse?: ReverseSearch;
  /** Inside a bracketed paste: Enter and Tab are text. */
  readonly pasting: boolean;
}

export type ScrollDirection = "pageup" | "pagedown" | "up" | "down" | "left" | "right" | "first" | "last";

export type EditorAction =
  | { readonly type: "submit"; readonly text: string }
  | { readonly type: "exit" }
  /** Ctrl-C on an empty prompt. */
  | { readonly type: "interrupt" }
  | { readonly type: "scroll"; readonly direction: ScrollDirection };

export interface EditorEnv {
  readonly complete: (text: string, cursor: number) => Completion;
}

export interface EditorResult {
  readonly state: EditorState;
  readonly action?: EditorAction;
}

export function newEditor(history: readonly string[], text = ""): EditorState {
  return { buffer: B.bufferOf(text), history, historyIndex: history.length, draft: "", killed: "", pasting: false };
}

/** The state after a search was taken from the prompt: empty, with the new history. */
export function resetEditor(state: EditorState, history: readonly string[]): EditorState {
  return { ...newEditor(history), killed: state.killed };
}

/** Whether Enter runs `text`: a meta command is always one line. */
export function readyToRun(text: string): boolean {
  return /^\s*\./.test(text) || isComplete(text);
}

const set = (state: EditorState, buffer: TextBuffer): EditorState => ({ ...state, buffer });

export function editorKey(state: EditorState, key: KeyEvent, env: EditorEnv): EditorResult {
  if (key.name === "paste-start") return { state: { ...state, pasting: true, menu: undefined, menuMessage: undefined } };
  if (key.name === "paste-end") return { state: { ...state, pasting: false } };
  if (state.pasting) return { state: pasteKey(state, key) };
  if (state.reverse) return reverseKey(state, state.reverse, key, env);

  // Tab cycles an open menu; every other key closes it first.
  if (key.name === "tab" || key.name === "backtab") return { state: completeKey(state, env, key.name === "backtab") };
  const hadMenu = state.menu !== undefined || state.menuMessage !== undefined;
  const s: EditorState = hadMenu ? { ...state, menu: undefined, menuMessage: undefined } : state;
  if (key.name === "escape") return { state: s };
  if (hadMenu && key.name === "return" && state.menu && state.menu.selected >= 0) return { state: s };
  return plainKey(s, key);
}

function plainKey(s: EditorState, key: KeyEvent): EditorResult {
  const b = s.buffer;
  const kill = (k: B.Killed): EditorResult => ({ state: { ...s, buffer: k.buffer, killed: k.killed || s.killed } });
  switch (key.name) {
    case "text":
      return { state: set(s, B.insert(b, key.text ?? "")) };
    case "return":
      if (readyToRun(b.text)) return { state: s, action: { type: "submit", text: b.text } };
      return { state: set(s, B.insert(b, "\n")) };
    case "newline":
      return { state: set(s, B.insert(b, "\n")) };
    case "backspace":
      return key.meta ? kill(B.killAlnumWordBack(b)) : { state: set(s, B.backspace(b)) };
    case "delete":
      return { state: set(s, B.deleteForward(b)) };
    case "left":
      if (key.meta || (key.shift && !key.ctrl)) return { state: s, action: { type: "scroll", direction: "left" } };
      return { state: set(s, key.ctrl ? B.wordLeft(b) : B.left(b)) };
    case "right":
      if (key.meta || (key.shift && !key.ctrl)) return { state: s, action: { type: "scroll", direction: "right" } };
      return { state: set(s, key.ctrl ? B.wordRight(b) : B.right(b)) };
    case "up":
      if (key.shift || key.meta) return { state: s, action: { type: "scroll", direction: "up" } };
      return { state: lineOrHistory(s, -1) };
    case "down":
      if (key.shift || key.meta) return { state: s, action: { type: "scroll", direction: "down" } };
      return { state: lineOrHistory(s, 1) };
    case "home":
      if (key.ctrl) return { state: s, action: { type: "scroll", direction: "first" } };
      return { state: set(s, B.home(b)) };
    case "end":
      if (key.ctrl) return { state: s, action: { type: "scroll", direction: "last" } };
      return { state: set(s, B.end(b)) };
    case "pageup":
      return { state: s, action: { type: "scroll", direction: "pageup" } };
    case "pagedown":
      return { state: s, action: { type: "scroll", direction: "pagedown" } };
    case "char":
      return key.ctrl && !key.meta ? ctrlKey(s, key.text ?? "") : key.meta ? metaKey(s, key.text ?? "") : { state: s };
    default:
      return { state: s };
  }
}

function ctrlKey(s: EditorState, ch: string): EditorResult {
  const b = s.buffer;
  const kill = (k: B.Killed): EditorResult => ({ state: { ...s, buffer: k.buffer, killed: k.killed || s.killed } });
  switch (ch) {
    case "a":
      return { state: set(s, B.home(b)) };
    case "e":
      return { state: set(s, B.end(b)) };
    case "b":
      return { state: set(s, B.left(b)) };
    case "f":
      return { state: set(s, B.right(b)) };
    case "k":
      return kill(B.killToEnd(b));
    case "u":
      return kill(B.killToStart(b));
    case "w":
      return kill(B.killWordBack(b));
    case "y":
      return { state: set(s, B.insert(b, s.killed)) };
    case "p":
      return { state: history(s, -1) };
    case "n":
      return { state: history(s, 1) };
    case "r":
      return { state: { ...s, reverse: { query: "", match: -1, original: b } } };
    case "d":
      if (b.text === "") return { state: s, action: { type: "exit" } };
      return { state: set(s, B.deleteForward(b)) };
    case "c":
      if (b.text === "") return { state: { ...s, historyIndex: s.history.length, draft: "" }, action: { type: "interrupt" } };
      return { state: { ...s, buffer: B.emptyBuffer, historyIndex: s.history.length, draft: "" } };
    default:
      return { state: s };
  }
}

function metaKey(s: EditorState, ch: string): EditorResult {
  const b = s.buffer;
  switch (ch) {
    case "b":
      return { state: set(s, B.wordLeft(b)) };
    case "f":
      return { state: set(s, B.wordRight(b)) };
    case "d": {
      const k = B.killWordForward(b);
      return { state: { ...s, buffer: k.buffer, killed: k.killed || s.killed } };
    }
    case "<":
      return { state: s, action: { type: "scroll", direction: "first" } };
    case ">":
      return { state: s, action: { type: "scroll", direction: "last" } };
    default:
      return { state: s };
  }
}

function pasteKey(s: EditorState, key: KeyEvent): EditorState {
  switch (key.name) {
    case "text":
      return set(s, B.insert(s.buffer, key.text ?? ""));
    case "return":
    case "newline":
      return set(s, B.insert(s.buffer, "\n"));
    case "tab":
      return set(s, B.insert(s.buffer, "\t"));
    default:
      return s;
  }
}

/** Up/Down: move a line in a multi-line prompt, else go through history. */
function lineOrHistory(s: EditorState, step: -1 | 1): EditorState {
  const moved = step < 0 ? B.up(s.buffer) : B.down(s.buffer);
  return moved ? set(s, moved) : history(s, step);
}

/**
 * One step through history. Going back puts the cursor at the end of the entry's first line, going
 * forward at the end of its last, so that the next Up/Down keeps going through history.
 */
function history(s: EditorState, step: -1 | 1): EditorState {
  const index = s.historyIndex + step;
  if (index < 0 || index > s.history.length) return s;
  const draft = s.historyIndex === s.history.length ? s.buffer.text : s.draft;
  const text = index === s.history.length ? draft : s.history[index]!;
  const cursor = step < 0 ? B.lineEnd(text, 0) : text.length;
  return { ...s, historyIndex: index, draft, buffer: B.bufferOf(text, cursor) };
}

function completeKey(s: EditorState, env: EditorEnv, backwards: boolean): EditorState {
  const menu = s.menu;
  if (menu && menu.candidates.length > 1) {
    const n = menu.candidates.length;
    const selected = backwards ? (menu.selected <= 0 ? n - 1 : menu.selected - 1) : (menu.selected + 1) % n;
    const insert = menu.candidates[selected]!.insert;
    const buffer = B.replaceRange(s.buffer, menu.start, menu.end, insert);
    return { ...s, buffer, menu: { ...menu, selected, end: menu.start + insert.length } };
  }
  const c = env.complete(s.buffer.text, s.buffer.cursor);
  if (c.candidates.length === 0) return { ...s, menu: undefined, menuMessage: "no completions" };
  if (c.candidates.length === 1) return { ...s, menu: undefined, menuMessage: undefined, buffer: B.replaceRange(s.buffer, c.start, c.end, c.candidates[0]!.insert) };
  const typed = s.buffer.text.slice(c.start, c.end);
  const prefix = commonPrefix(c.candidates);
  const buffer = prefix.length > typed.length ? B.replaceRange(s.buffer, c.start, c.end, prefix) : s.buffer;
  return { ...s, buffer, menuMessage: undefined, menu: { start: c.start, end: buffer.cursor, candidates: c.candidates, selected: -1 } };
}

function reverseKey(s: EditorState, r: ReverseSearch, key: KeyEvent, env: EditorEnv): EditorResult {
  const shown = (match: number): TextBuffer => (match >= 0 ? B.bufferOf(s.history[match]!) : r.original);
  const withQuery = (query: string): EditorState => {
    const match = query === "" ? -1 : searchBackward(s.history, query, s.history.length);
    return { ...s, buffer: shown(match), reverse: { ...r, query, match } };
  };
  const accept = (): EditorState => ({ ...s, reverse: undefined, historyIndex: r.match >= 0 ? r.match : s.historyIndex });
  const cancel = (): EditorState => ({ ...s, reverse: undefined, buffer: r.original });
  if (key.name === "text") return { state: withQuery(r.query + (key.text ?? "")) };
  if (key.name === "backspace") return { state: withQuery(r.query.slice(0, -1)) };
  if (key.name === "return") {
    const text = s.buffer.text;
    const state = accept();
    return readyToRun(text) && text.trim() !== "" ? { state, action: { type: "submit", text } } : { state };
  }
  if (key.name === "char" && key.ctrl) {
    if (key.text === "r") {
      if (r.query === "") return { state: s };
      const from = r.match >= 0 ? r.match : s.history.length;
      const match = searchBackward(s.history, r.query, from);
      return { state: match >= 0 ? { ...s, buffer: shown(match), reverse: { ...r, match } } : s };
    }
    if (key.text === "g" || key.text === "c") return { state: cancel() };
  }
  // Any other key takes the match into the prompt and then does what it does there.
  if (key.name === "escape") return { state: accept() };
  return editorKey(accept(), key, env);
}

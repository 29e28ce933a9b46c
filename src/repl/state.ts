/**
 * The interactive REPL as a pure state machine: `step(state, event)` gives the next state and the
 * effects to carry out (run a search, run a meta command, cancel, remember a search in history, leave).
 * Results of effects come back as events. `screen(state)` (screen.ts) turns a state into the lines
 * drawn; the ink components only draw those lines and carry out the effects.
 *
 * Output that is done with goes to the transcript (printed once, above the live part, into the
 * terminal's scrollback): each search that ran, the page of its results that was on screen when the
 * next entry was submitted, and meta commands with their output. The live part is the current
 * results (paged), the prompt, and an error under the prompt.
 */
import type { Completion } from "./completion.js";
import { editorKey, newEditor, resetEditor, type EditorState, type ScrollDirection } from "./editor.js";
import { errorView, type ErrorView } from "./errors.js";
import type { KeyEvent } from "./keys.js";
import type { MetaResult } from "./meta.js";
import { promptRows } from "./prompt-view.js";
import { displayWidth, wrapLine } from "./text.js";
import { lastPageTop, layoutTable, previousPageTop, type Grid, type TableLayout, type TableView } from "./table-layout.js";

export interface ResultView {
  readonly search: string;
  readonly grid: Grid;
  readonly view: TableView;
  /** "12 ms · 411 events scanned". */
  readonly timing: string;
  readonly warnings: readonly string[];
}

export type Tone = "plain" | "echo" | "error" | "warning" | "dim" | "header";

export interface TranscriptItem {
  readonly id: number;
  readonly lines: readonly string[];
  readonly tone: Tone;
}

export type Phase = "ready" | "running";

export interface ReplState {
  readonly columns: number;
  readonly rows: number;
  readonly editor: EditorState;
  readonly history: readonly string[];
  readonly phase: Phase;
  /** Data still loading (the prompt works meanwhile; a search submitted waits for it). */
  readonly loading: boolean;
  readonly progress?: string;
  /**
   * What is running: a search (cancellable) or a meta command. A search submitted while the data
   * loads is `waiting` until it has loaded.
   */
  readonly running?: { readonly id: number; readonly text: string; readonly kind: "search" | "meta"; readonly waiting?: boolean };
  readonly runId: number;
  readonly result?: ResultView;
  readonly error?: ErrorView;
  readonly notice?: string;
  readonly transcript: readonly TranscriptItem[];
  readonly nextId: number;
}

export type Effect =
  | { readonly type: "run"; readonly id: number; readonly search: string }
  | { readonly type: "meta"; readonly id: number; readonly line: string }
  | { readonly type: "cancel" }
  | { readonly type: "remember"; readonly text: string }
  | { readonly type: "exit" };

export type SearchDone =
  | { readonly kind: "ok"; readonly grid: Grid; readonly timing: string; readonly warnings: readonly string[] }
  | { readonly kind: "error"; readonly error: unknown }
  | { readonly kind: "cancelled" };

export type ReplEvent =
  | { readonly type: "key"; readonly key: KeyEvent }
  | { readonly type: "resize"; readonly columns: number; readonly rows: number }
  | { readonly type: "load-progress"; readonly text: string }
  | { readonly type: "loaded"; readonly lines: readonly string[]; readonly error?: boolean }
  | { readonly type: "search-done"; readonly id: number; readonly outcome: SearchDone }
  | { readonly type: "meta-done"; readonly id: number; readonly result: MetaResult }
  | { readonly type: "meta-progress"; readonly text: string };

export interface StepEnv {
  readonly complete: (text: string, cursor: number) => Completion;
}

export interface Step {
  readonly state: ReplState;
  readonly effects: readonly Effect[];
}

export function initialState(options: { columns: number; rows: number; history: readonly string[]; loading: boolean }): ReplState {
  return {
    columns: options.columns,
    rows: options.rows,
    editor: newEditor(options.history),
    history: options.history,
    phase: "ready",
    loading: options.loading,
    ...(options.loading ? { progress: "loading data…" } : {}),
    runId: 0,
    transcript: [],
    nextId: 0,
  };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

/** "12 ms · 411 events scanned". */
export function timingText(ms: number, scanned: number): string {
  const time = ms < 10 ? `${ms.toFixed(1)} ms` : ms < 10_000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
  return `${time} · ${plural(scanned, "event")} scanned`;
}

/**
 * The line under the results: "3 rows · 12 ms · 411 events scanned" when all is shown, else where the
 * view is first ("rows 1–20 of 411 · columns 1–6 of 14 · 12 ms · ..."), so that a narrow screen cuts
 * the least useful part.
 */
export function statusText(result: ResultView, layout: TableLayout): string {
  const { grid } = result;
  const pagedRows = layout.firstRow > 0 || layout.endRow < grid.rowCount;
  const pagedCols = grid.rowCount > 0 && (layout.firstCol > 0 || layout.endCol < grid.fields.length);
  if (!pagedRows && !pagedCols) return `${plural(grid.rowCount, "row")} · ${result.timing}`;
  const parts: string[] = [];
  parts.push(pagedRows ? `rows ${layout.firstRow + 1}–${layout.endRow} of ${grid.rowCount.toLocaleString("en-US")}` : plural(grid.rowCount, "row"));
  if (pagedCols) parts.push(`columns ${layout.firstCol + 1}–${layout.endCol} of ${grid.fields.length}`);
  parts.push(result.timing);
  parts.push([pagedRows ? "PgUp/PgDn" : "", pagedCols ? "Alt-←/→" : ""].filter(Boolean).join(" "));
  return parts.join(" · ");
}

function withTranscript(state: ReplState, lines: readonly string[], tone: Tone): ReplState {
  if (lines.length === 0) return state;
  return { ...state, transcript: [...state.transcript, { id: state.nextId, lines, tone }], nextId: state.nextId + 1 };
}

/** The prompt as it was typed (wrapped as it was shown), for the transcript. */
export function echoLines(text: string, columns: number): string[] {
  return promptRows(text, undefined, columns).map((r) => `${r.prefix}${r.text}`.trimEnd());
}

function remember(history: readonly string[], text: string): readonly string[] {
  if (text.trim() === "" || history[history.length - 1] === text) return history;
  return [...history, text];
}

export function step(state: ReplState, event: ReplEvent, env: StepEnv): Step {
  switch (event.type) {
    case "resize":
      return { state: { ...state, columns: Math.max(1, event.columns), rows: Math.max(1, event.rows) }, effects: [] };
    case "load-progress":
      return { state: { ...state, progress: event.text }, effects: [] };
    case "meta-progress":
      return { state: { ...state, progress: event.text }, effects: [] };
    case "loaded": {
      let s: ReplState = { ...state, loading: false, progress: undefined };
      s = withTranscript(s, event.lines, event.error ? "error" : "dim");
      const waiting = s.running?.waiting ? s.running : undefined;
      if (waiting) return { state: { ...s, running: { ...waiting, waiting: false } }, effects: [{ type: "run", id: waiting.id, search: waiting.text }] };
      return { state: s, effects: [] };
    }
    case "search-done":
      return searchDone(state, event.id, event.outcome);
    case "meta-done":
      return metaDone(state, event.id, event.result);
    case "key":
      return keyEvent(state, event.key, env);
  }
}

function keyEvent(state: ReplState, key: KeyEvent, env: StepEnv): Step {
  const ctrl = (ch: string) => key.name === "char" && key.ctrl === true && !key.meta && key.text === ch;
  if (state.phase === "running" && state.running) {
    if (ctrl("c")) {
      if (state.running.kind === "meta") return { state: { ...state, notice: `${state.running.text.split(/\s/)[0]} cannot be cancelled; it stops by itself` }, effects: [] };
      return { state: { ...state, phase: "ready", running: undefined, notice: "search cancelled" }, effects: [{ type: "cancel" }] };
    }
    if (ctrl("d")) return { state, effects: [{ type: "cancel" }, { type: "exit" }] };
    return { state, effects: [] };
  }
  const r = editorKey(state.editor, key, env);
  let s: ReplState = { ...state, editor: r.state };
  // Once the text changes, carets no longer point at the right place; the message stays.
  if (s.error && s.error.marks.length > 0 && s.error.text !== r.state.buffer.text) s = { ...s, error: { ...s.error, marks: [] } };
  if (s.notice !== undefined && !ctrl("c")) s = { ...s, notice: undefined };
  const action = r.action;
  if (!action) return { state: s, effects: [] };
  switch (action.type) {
    case "exit":
      return { state: s, effects: [{ type: "exit" }] };
    case "interrupt":
      return { state: { ...s, notice: "Ctrl-D (or .quit) leaves" }, effects: [] };
    case "scroll":
      return { state: scroll(s, action.direction), effects: [] };
    case "submit":
      return submit(s, action.text);
  }
}

function submit(state: ReplState, text: string): Step {
  if (text.trim() === "") return { state: { ...state, editor: resetEditor(state.editor, state.history) }, effects: [] };
  const history = remember(state.history, text);
  let s: ReplState = freeze({ ...state, history, error: undefined, notice: undefined });
  s = { ...s, editor: { ...s.editor, history, historyIndex: history.length, draft: "" } };
  const effects: Effect[] = history !== state.history ? [{ type: "remember", text }] : [];
  if (/^\s*\./.test(text)) {
    const id = s.runId + 1;
    s = { ...s, runId: id, phase: "running", running: { id, text: text.trim(), kind: "meta" } };
    return { state: s, effects: [...effects, { type: "meta", id, line: text }] };
  }
  const id = s.runId + 1;
  if (s.loading) return { state: { ...s, runId: id, phase: "running", running: { id, text, kind: "search", waiting: true } }, effects };
  return { state: { ...s, runId: id, phase: "running", running: { id, text, kind: "search" } }, effects: [...effects, { type: "run", id, search: text }] };
}

/** The results on screen go to the transcript as they are shown, and leave the live part. */
function freeze(state: ReplState): ReplState {
  const result = state.result;
  if (!result) return state;
  const layout = layoutTable(result.grid, result.view, state.columns, tableHeight(state));
  const table = result.grid.fields.length === 0 || result.grid.rowCount === 0 ? [] : layout.lines;
  const warnings = result.warnings.map((w) => `warning: ${w}`);
  return withTranscript({ ...state, result: undefined }, [...table, statusText(result, layout), ...warnings], "plain");
}

function searchDone(state: ReplState, id: number, outcome: SearchDone): Step {
  if (!state.running || state.running.id !== id) return { state, effects: [] };
  const search = state.running.text;
  let s: ReplState = { ...state, phase: "ready", running: undefined };
  switch (outcome.kind) {
    case "cancelled":
      return { state: { ...s, notice: "search cancelled" }, effects: [] };
    case "error": {
      const error = errorView(outcome.error, search);
      const first = error.marks[0];
      const editor = s.editor.buffer.text === search && first ? { ...s.editor, buffer: { text: search, cursor: Math.min(first.from, search.length) } } : s.editor;
      return { state: { ...s, error, editor }, effects: [] };
    }
    case "ok":
      s = withTranscript(s, echoLines(search, s.columns), "echo");
      s = { ...s, editor: resetEditor(s.editor, s.history), result: { search, grid: outcome.grid, view: { top: 0, left: 0 }, timing: outcome.timing, warnings: outcome.warnings } };
      return { state: s, effects: [] };
  }
}

function metaDone(state: ReplState, id: number, result: MetaResult): Step {
  if (!state.running || state.running.id !== id) return { state, effects: [] };
  const line = state.running.text;
  let s: ReplState = { ...state, phase: "ready", running: undefined, progress: state.loading ? state.progress : undefined };
  s = withTranscript(s, echoLines(line, s.columns), "echo");
  s = withTranscript(s, result.lines, result.error ? "error" : "plain");
  s = { ...s, editor: resetEditor(s.editor, s.history) };
  return { state: s, effects: result.exit ? [{ type: "exit" }] : [] };
}

// --- the live part's layout -------------------------------------------------------------------

/** Lines an error message may take under the prompt (longer ones end in "… N more lines"). */
export const MAX_ERROR_LINES = 8;
/** Lines the completion menu may take (then "… N more"). */
export const MAX_MENU_LINES = 4;

/** Lines the live part has besides the table (the screen budget, see screen.ts). */
export function fixedLines(state: ReplState): number {
  const prompt = Math.min(promptHeight(state), maxPromptRows(state));
  const menu = state.editor.reverse ? 1 : state.editor.menu ? Math.min(MAX_MENU_LINES, menuRows(state)) : state.editor.menuMessage ? 1 : 0;
  const error = state.error ? Math.min(MAX_ERROR_LINES, state.error.lines.reduce((n, l) => n + wrapLine(l, state.columns).length, 0)) : 0;
  const status = state.result ? 1 + Math.min(2, state.result.warnings.length) : 0;
  const progress = state.progress !== undefined ? 1 : 0;
  const notice = state.notice !== undefined || state.phase === "running" ? 1 : 0;
  return prompt + menu + error + status + progress + notice;
}

/** At most half the screen goes to the prompt; a longer search scrolls inside it (around the cursor). */
export function maxPromptRows(state: ReplState): number {
  return Math.max(1, Math.floor(state.rows / 2));
}

function promptHeight(state: ReplState): number {
  return promptRows(state.editor.buffer.text, state.editor.buffer.cursor, state.columns, state.error?.marks ?? []).length;
}

function menuRows(state: ReplState): number {
  const menu = state.editor.menu;
  if (!menu) return 0;
  const width = Math.min(state.columns, Math.max(...menu.candidates.map((c) => displayWidth(c.display))) + 2);
  const perLine = Math.max(1, Math.floor(state.columns / width));
  return Math.ceil(menu.candidates.length / perLine);
}

/** Lines for the results table (header and separator included): what is left, at least 3. */
export function tableHeight(state: ReplState): number {
  return Math.max(3, state.rows - 1 - fixedLines(state));
}

function scroll(state: ReplState, direction: ScrollDirection): ReplState {
  const result = state.result;
  if (!result) return state;
  const height = tableHeight(state);
  const layout = layoutTable(result.grid, result.view, state.columns, height);
  const { grid, view } = result;
  let next: TableView = view;
  switch (direction) {
    case "pagedown":
      if (layout.endRow < grid.rowCount) next = { ...view, top: layout.endRow };
      break;
    case "pageup":
      next = { ...view, top: previousPageTop(grid, view, layout, height) };
      break;
    case "down":
      if (layout.endRow < grid.rowCount) next = { ...view, top: view.top + 1 };
      break;
    case "up":
      next = { ...view, top: Math.max(0, view.top - 1) };
      break;
    case "first":
      next = { ...view, top: 0 };
      break;
    case "last":
      next = { ...view, top: lastPageTop(grid, layout, height) };
      break;
    case "right":
      if (layout.endCol < grid.fields.length) next = { ...view, left: view.left + 1 };
      break;
    case "left":
      next = { ...view, left: Math.max(0, view.left - 1) };
      break;
  }
  return next === view ? state : { ...state, result: { ...result, view: next } };
}

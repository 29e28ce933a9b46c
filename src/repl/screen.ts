/**
 * The live part of the REPL's screen as lines, from the state: loading progress, the results page
 * and its status line, what is running, the prompt (with carets under an error), the completion menu
 * or the history search, and the error message. Every line fits the width; the whole fits the
 * height when the terminal has room for it (the table takes what is left, at least 3 lines).
 */
import { promptRows, type PromptRow } from "./prompt-view.js";
import { MAX_ERROR_LINES, MAX_MENU_LINES, maxPromptRows, statusText, tableHeight, type ReplState, type Tone } from "./state.js";
import { layoutTable } from "./table-layout.js";
import { displayWidth, padEnd, truncate, wrapLine } from "./text.js";

export type LineTone = Tone | "prompt" | "caret" | "selected";

export interface ScreenLine {
  readonly text: string;
  readonly tone: LineTone;
  /** Prompt lines: the prompt text drawn before `text`. */
  readonly prefix?: string;
  /** Prompt lines: the cursor's index in `text`. */
  readonly cursor?: number;
}

export function screen(state: ReplState): ScreenLine[] {
  const width = Math.max(1, state.columns);
  const out: ScreenLine[] = [];
  const fit = (text: string) => truncate(text, width);
  if (state.progress !== undefined) out.push({ text: fit(state.progress), tone: "dim" });

  const result = state.result;
  if (result) {
    const { grid } = result;
    const layout = layoutTable(grid, result.view, width, tableHeight(state));
    if (grid.rowCount > 0 && grid.fields.length > 0) layout.lines.forEach((line, i) => out.push({ text: line, tone: i < 2 ? "header" : "plain" }));
    out.push({ text: fit(statusText(result, layout)), tone: "dim" });
    for (const w of result.warnings.slice(0, 2)) out.push({ text: fit(`warning: ${w}`), tone: "warning" });
  }

  if (state.phase === "running") {
    const what = state.running?.kind === "meta" ? "working…" : state.running?.waiting ? "waiting for the data to load… (Ctrl-C cancels)" : "running… (Ctrl-C cancels)";
    out.push({ text: fit(what), tone: "dim" });
  } else if (state.notice !== undefined) out.push({ text: fit(state.notice), tone: "dim" });

  out.push(...promptLines(state, width));

  const editor = state.editor;
  if (editor.reverse) {
    const r = editor.reverse;
    const label = r.query !== "" && r.match < 0 ? "failing reverse-i-search" : "reverse-i-search";
    out.push({ text: fit(`(${label})'${r.query}'  Enter runs · Esc edits · Ctrl-G cancels`), tone: "dim" });
  } else if (editor.menu) {
    out.push(...menuLines(state, width));
  } else if (editor.menuMessage) {
    out.push({ text: fit(editor.menuMessage), tone: "dim" });
  }

  if (state.error) {
    const wrapped = state.error.lines.flatMap((l) => wrapLine(l, width));
    const shown = wrapped.length > MAX_ERROR_LINES ? [...wrapped.slice(0, MAX_ERROR_LINES - 1), `… ${wrapped.length - MAX_ERROR_LINES + 1} more lines`] : wrapped;
    for (const l of shown) out.push({ text: l, tone: "error" });
  }
  return out;
}

function promptLines(state: ReplState, width: number): ScreenLine[] {
  const { buffer } = state.editor;
  const running = state.phase === "running";
  const rows = promptRows(buffer.text, running ? undefined : buffer.cursor, width, state.error?.marks ?? []);
  const max = maxPromptRows(state);
  let shown: PromptRow[] = rows;
  if (rows.length > max) {
    const at = Math.max(0, rows.findIndex((r) => r.cursor !== undefined));
    const from = Math.max(0, Math.min(at - Math.floor(max / 2), rows.length - max));
    shown = rows.slice(from, from + max);
  }
  return shown.map((r) =>
    r.kind === "caret"
      ? { text: r.text, tone: "caret" as const, prefix: r.prefix }
      : { text: r.text, tone: running ? ("dim" as const) : ("prompt" as const), prefix: r.prefix, ...(r.cursor !== undefined ? { cursor: r.cursor } : {}) },
  );
}

function menuLines(state: ReplState, width: number): ScreenLine[] {
  const menu = state.editor.menu!;
  const cell = Math.min(width, Math.max(...menu.candidates.map((c) => displayWidth(c.display))) + 2);
  const perLine = Math.max(1, Math.floor(width / cell));
  const lines: ScreenLine[][] = [];
  for (let i = 0; i < menu.candidates.length; i += perLine) {
    lines.push([]);
    const text = menu.candidates
      .slice(i, i + perLine)
      .map((c, k) => {
        const label = truncate(c.display, cell - 2);
        return i + k === menu.selected ? padEnd(`[${label}]`, cell) : padEnd(` ${label} `, cell);
      })
      .join("")
      .trimEnd();
    const selected = menu.selected >= i && menu.selected < i + perLine;
    lines[lines.length - 1]!.push({ text, tone: selected ? "selected" : "dim" });
  }
  if (lines.length <= MAX_MENU_LINES) return lines.flat();
  const selLine = menu.selected >= 0 ? Math.floor(menu.selected / perLine) : 0;
  const from = Math.max(0, Math.min(selLine - (MAX_MENU_LINES - 2), lines.length - (MAX_MENU_LINES - 1)));
  const window = lines.slice(from, from + MAX_MENU_LINES - 1).flat();
  const more = menu.candidates.length - Math.min(menu.candidates.length, (from + MAX_MENU_LINES - 1) * perLine) + from * perLine;
  return [...window, { text: truncate(`… ${more} more (${menu.candidates.length} in all; Tab cycles)`, width), tone: "dim" }];
}

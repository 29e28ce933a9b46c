/** The REPL's state machine without a screen: what each event does and which effects it asks for. */
import { describe, expect, it } from "vitest";
import { complete } from "../../src/repl/completion.js";
import type { KeyEvent } from "../../src/repl/keys.js";
import { initialState, step, type Effect, type ReplEvent, type ReplState } from "../../src/repl/state.js";
import { screen } from "../../src/repl/screen.js";
import type { Grid } from "../../src/repl/table-layout.js";
import { fakeSources } from "./helpers.js";

const env = { complete: (text: string, cursor: number) => complete(text, cursor, fakeSources) };

function run(state: ReplState, ...events: ReplEvent[]): { state: ReplState; effects: Effect[] } {
  const effects: Effect[] = [];
  let s = state;
  for (const e of events) {
    const r = step(s, e, env);
    s = r.state;
    effects.push(...r.effects);
  }
  return { state: s, effects };
}

const key = (k: KeyEvent): ReplEvent => ({ type: "key", key: k });
const text = (t: string) => key({ name: "text", text: t });
const enter = key({ name: "return" });
const ctrlC = key({ name: "char", text: "c", ctrl: true });
const rows = (n: number): Grid => ({ fields: ["n"], rowCount: n, cell: (r) => [String(r)] });
const ready = () => run(initialState({ columns: 80, rows: 20, history: [], loading: true }), { type: "loaded", lines: ["411 events"] }).state;

describe("the REPL state machine", () => {
  it("holds a search typed while the data loads, and runs it once loaded; Ctrl-C drops it", () => {
    const loading = initialState({ columns: 80, rows: 20, history: [], loading: true });
    const typed = run(loading, text("| makeresults"), enter);
    expect(typed.effects).toEqual([{ type: "remember", text: "| makeresults" }]);
    expect(screen(typed.state).some((l) => l.text.startsWith("waiting for the data to load"))).toBe(true);
    const loaded = run(typed.state, { type: "loaded", lines: ["411 events"] });
    expect(loaded.effects).toEqual([{ type: "run", id: 1, search: "| makeresults" }]);
    const dropped = run(typed.state, ctrlC, { type: "loaded", lines: [] });
    expect(dropped.effects).toEqual([{ type: "cancel" }]);
    expect(dropped.state.notice).toBe("search cancelled");
  });

  it("shows results, and moves them to the transcript when the next entry is submitted", () => {
    let s = run(ready(), text("| makeresults count=3"), enter).state;
    s = run(s, { type: "search-done", id: 1, outcome: { kind: "ok", grid: rows(3), timing: "1.0 ms · 0 events scanned", warnings: ["w1"] } }).state;
    expect(s.editor.buffer.text).toBe("");
    expect(s.transcript.map((t) => t.lines)).toEqual([["411 events"], ["spl> | makeresults count=3"]]);
    expect(screen(s).map((l) => l.text).slice(0, 6)).toEqual(["n", "-", "0", "1", "2", "3 rows · 1.0 ms · 0 events scanned"]);
    s = run(s, text(".tz"), enter).state;
    expect(s.result).toBeUndefined();
    expect(s.transcript.at(-1)!.lines).toEqual(["n", "-", "0", "1", "2", "3 rows · 1.0 ms · 0 events scanned", "warning: w1"]);
  });

  it("ignores the result of a cancelled search that comes back late", () => {
    let r = run(ready(), text("| makeresults"), enter, ctrlC);
    expect(r.effects).toContainEqual({ type: "cancel" });
    r = run(r.state, { type: "search-done", id: 1, outcome: { kind: "ok", grid: rows(1), timing: "", warnings: [] } });
    expect(r.state.result).toBeUndefined();
    expect(r.state.editor.buffer.text).toBe("| makeresults");
  });

  it("keeps a failed search in the prompt with the cursor at the error", () => {
    let s = run(ready(), text("| tstats count frm x"), enter).state;
    s = run(s, { type: "search-done", id: 1, outcome: { kind: "error", error: new Error("boom") } }).state;
    expect(s.editor.buffer.text).toBe("| tstats count frm x");
    expect(s.error?.lines).toEqual(["error: boom"]);
    expect(s.phase).toBe("ready");
  });

  it("pages with the keys, within the rows there are", () => {
    let s = run(ready(), text("x"), enter).state;
    s = run(s, { type: "search-done", id: 1, outcome: { kind: "ok", grid: rows(100), timing: "", warnings: [] } }).state;
    const page = () => screen(s).find((l) => l.text.startsWith("rows "))!.text;
    // 20 rows: the prompt and the status line take 2, one is kept free, the header takes 2.
    expect(page()).toMatch(/^rows 1–15 of 100 /);
    s = run(s, key({ name: "pagedown" })).state;
    expect(page()).toMatch(/^rows 16–30 of 100 /);
    s = run(s, key({ name: "end", ctrl: true })).state;
    expect(page()).toMatch(/^rows 86–100 of 100 /);
    s = run(s, key({ name: "pagedown" })).state;
    expect(page()).toMatch(/^rows 86–100 of 100 /);
    s = run(s, key({ name: "up", shift: true }), key({ name: "pageup" }), key({ name: "pageup" })).state;
    expect(page()).toMatch(/^rows 55–69 of 100 /);
    s = run(s, key({ name: "home", ctrl: true })).state;
    expect(page()).toMatch(/^rows 1–15 of 100 /);
    // The live part fits the 20 rows of the screen.
    expect(screen(s).length).toBeLessThanOrEqual(19);
  });

  it("Ctrl-D leaves; while a search runs it cancels it first", () => {
    expect(run(ready(), key({ name: "char", text: "d", ctrl: true })).effects).toEqual([{ type: "exit" }]);
    expect(run(ready(), text("| makeresults"), enter, key({ name: "char", text: "d", ctrl: true })).effects.slice(-2)).toEqual([{ type: "cancel" }, { type: "exit" }]);
  });
});

import { describe, expect, it } from "vitest";
import { complete } from "../../src/repl/completion.js";
import { editorKey, newEditor, type EditorAction, type EditorState } from "../../src/repl/editor.js";
import type { KeyEvent } from "../../src/repl/keys.js";
import { fakeSources } from "./helpers.js";

const env = { complete: (text: string, cursor: number) => complete(text, cursor, fakeSources) };
const text = (t: string): KeyEvent => ({ name: "text", text: t });
const ctrl = (c: string): KeyEvent => ({ name: "char", text: c, ctrl: true });
const meta = (c: string): KeyEvent => ({ name: "char", text: c, meta: true });
const key = (name: KeyEvent["name"], mods: Partial<KeyEvent> = {}): KeyEvent => ({ name, ...mods });

function press(state: EditorState, ...keys: KeyEvent[]): { state: EditorState; actions: EditorAction[] } {
  const actions: EditorAction[] = [];
  let s = state;
  for (const k of keys) {
    const r = editorKey(s, k, env);
    s = r.state;
    if (r.action) actions.push(r.action);
  }
  return { state: s, actions };
}

describe("the prompt's editing keys", () => {
  it("Enter runs a complete search and continues an incomplete one on a new line", () => {
    const r = press(newEditor([]), text("| makeresults |"), key("return"), text("eval x=1"), key("return"));
    expect(r.actions).toEqual([{ type: "submit", text: "| makeresults |\neval x=1" }]);
    const open = press(newEditor([]), text('search "abc'), key("return"));
    expect(open.actions).toEqual([]);
    expect(open.state.buffer.text).toBe('search "abc\n');
  });

  it("Alt-Enter and Ctrl-J start a new line in a complete search; a meta command always runs", () => {
    const r = press(newEditor([]), text("| makeresults"), key("newline", { meta: true }), text("| head 1"), key("newline"));
    expect(r.state.buffer.text).toBe("| makeresults\n| head 1\n");
    expect(press(newEditor([]), text(".load x.json ("), key("return")).actions).toEqual([{ type: "submit", text: ".load x.json (" }]);
  });

  it("moves with arrows, Home/End and Ctrl-A/E, and kills with Ctrl-K/U/W, Ctrl-Y putting back", () => {
    let r = press(newEditor([]), text("| stats count"), key("home"), key("right"), key("right"), ctrl("k"));
    expect(r.state.buffer).toEqual({ text: "| ", cursor: 2 });
    r = press(r.state, ctrl("y"), ctrl("a"), key("delete"), ctrl("e"), key("backspace"));
    expect(r.state.buffer).toEqual({ text: " stats coun", cursor: 11 });
    r = press(r.state, ctrl("w"));
    expect(r.state.buffer.text).toBe(" stats ");
    r = press(r.state, key("left"), key("left"), ctrl("u"));
    expect(r.state.buffer).toEqual({ text: "s ", cursor: 0 });
    r = press(r.state, key("end"), meta("b"), key("left", { ctrl: true }));
    expect(r.state.buffer.cursor).toBe(0);
  });

  it("Up and Down move between lines, then through history, keeping the draft", () => {
    const history = ["| tstats count", "| makeresults\n| eval x=1"];
    let r = press(newEditor(history), text("draft"), key("up"));
    // Back to the newest entry, with the cursor on its first line so Up goes on through history.
    expect(r.state.buffer).toEqual({ text: history[1], cursor: "| makeresults".length });
    r = press(r.state, key("up"));
    expect(r.state.buffer.text).toBe("| tstats count");
    r = press(r.state, key("up"));
    expect(r.state.buffer.text).toBe("| tstats count");
    r = press(r.state, key("down"));
    expect(r.state.buffer).toEqual({ text: history[1], cursor: history[1]!.length });
    r = press(r.state, key("down"));
    expect(r.state.buffer.text).toBe("draft");
    // Inside a multi-line prompt Up moves a line.
    r = press(newEditor(history), text("a\nb"), key("up"));
    expect(r.state.buffer).toEqual({ text: "a\nb", cursor: 1 });
    expect(press(newEditor(history), ctrl("p")).state.buffer.text).toBe(history[1]);
  });

  it("Ctrl-R searches history backwards; Enter runs the match, Esc keeps it to edit, Ctrl-G restores", () => {
    const history = ["| tstats count by a", "| makeresults", "| tstats count by b"];
    let r = press(newEditor(history), text("typed"), ctrl("r"), text("tst"));
    expect(r.state.buffer.text).toBe("| tstats count by b");
    r = press(r.state, ctrl("r"));
    expect(r.state.buffer.text).toBe("| tstats count by a");
    expect(press(r.state, key("return")).actions).toEqual([{ type: "submit", text: "| tstats count by a" }]);
    const kept = press(r.state, key("escape"), text("X"));
    expect(kept.state.reverse).toBeUndefined();
    expect(kept.state.buffer.text).toBe("| tstats count by aX");
    const cancelled = press(r.state, ctrl("g"));
    expect(cancelled.state.buffer.text).toBe("typed");
    const failing = press(newEditor(history), ctrl("r"), text("zzz"));
    expect(failing.state.reverse?.match).toBe(-1);
  });

  it("Tab completes a single candidate, extends to the common prefix, then cycles", () => {
    let r = press(newEditor([]), text("| ts"), key("tab"));
    expect(r.state.buffer.text).toBe("| tstats ");
    r = press(newEditor([]), text("| tstats count from datamodel=Network_Traffic by All_Traffic.d"), key("tab"));
    expect(r.state.buffer.text.endsWith("All_Traffic.dest_")).toBe(true);
    expect(r.state.menu?.candidates.map((c) => c.display)).toEqual(["All_Traffic.dest_ip", "All_Traffic.dest_port"]);
    r = press(r.state, key("tab"));
    expect(r.state.buffer.text.endsWith("All_Traffic.dest_ip")).toBe(true);
    r = press(r.state, key("tab"));
    expect(r.state.buffer.text.endsWith("All_Traffic.dest_port")).toBe(true);
    r = press(r.state, key("backtab"));
    expect(r.state.buffer.text.endsWith("All_Traffic.dest_ip")).toBe(true);
    // Enter takes the choice without running; the next Enter runs.
    r = press(r.state, key("return"));
    expect(r.actions).toEqual([]);
    expect(r.state.menu).toBeUndefined();
    expect(press(r.state, key("return")).actions).toHaveLength(1);
    expect(press(newEditor([]), text("| zz"), key("tab")).state.menuMessage).toBe("no completions");
  });

  it("a bracketed paste is text: its line breaks and tabs do not run or complete", () => {
    const r = press(newEditor([]), key("paste-start"), text("| makeresults"), key("return"), key("tab"), text("| head 1"), key("paste-end"));
    expect(r.actions).toEqual([]);
    expect(r.state.buffer.text).toBe("| makeresults\n\t| head 1");
  });

  it("Ctrl-C clears the prompt (and on an empty one says how to leave); Ctrl-D leaves only an empty prompt", () => {
    let r = press(newEditor([]), text("abc"), ctrl("c"));
    expect(r.state.buffer.text).toBe("");
    expect(press(r.state, ctrl("c")).actions).toEqual([{ type: "interrupt" }]);
    r = press(newEditor([]), text("abc"), key("home"), ctrl("d"));
    expect(r.state.buffer.text).toBe("bc");
    expect(press(newEditor([]), ctrl("d")).actions).toEqual([{ type: "exit" }]);
  });

  it("paging keys scroll the results", () => {
    const r = press(newEditor([]), key("pagedown"), key("pageup"), key("up", { shift: true }), key("right", { meta: true }), key("end", { ctrl: true }));
    expect(r.actions.map((a) => (a.type === "scroll" ? a.direction : a.type))).toEqual(["pagedown", "pageup", "up", "right", "last"]);
  });
});

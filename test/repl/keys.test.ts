import { describe, expect, it } from "vitest";
import { decodeInput } from "../../src/repl/keys.js";

describe("terminal input to keys", () => {
  it("tells Enter, Ctrl-J and Alt-Enter apart", () => {
    expect(decodeInput("\r")).toEqual([{ name: "return" }]);
    expect(decodeInput("\n")).toEqual([{ name: "newline" }]);
    expect(decodeInput("\x1b\r")).toEqual([{ name: "newline", meta: true }]);
  });

  it("tells Backspace (DEL) and Delete apart", () => {
    expect(decodeInput("\x7f")).toEqual([{ name: "backspace" }]);
    expect(decodeInput("\x1b[3~")).toEqual([{ name: "delete" }]);
    expect(decodeInput("\x1b\x7f")).toEqual([{ name: "backspace", meta: true }]);
  });

  it("reads text followed by Enter in one piece, and line breaks inside a piece as new lines", () => {
    expect(decodeInput("abc\r")).toEqual([{ name: "text", text: "abc" }, { name: "return" }]);
    expect(decodeInput("| makeresults\r| head 1\r")).toEqual([
      { name: "text", text: "| makeresults" },
      { name: "newline" },
      { name: "text", text: "| head 1" },
      { name: "return" },
    ]);
  });

  it("reads control keys, arrows with modifiers, Home/End and paging", () => {
    expect(decodeInput("\x01")).toEqual([{ name: "char", text: "a", ctrl: true }]);
    expect(decodeInput("\x12")).toEqual([{ name: "char", text: "r", ctrl: true }]);
    expect(decodeInput("\x1b[D")).toEqual([{ name: "left" }]);
    expect(decodeInput("\x1b[1;5C")).toEqual([{ name: "right", ctrl: true }]);
    expect(decodeInput("\x1b[1;3D")).toEqual([{ name: "left", meta: true }]);
    expect(decodeInput("\x1b[1;2A")).toEqual([{ name: "up", shift: true }]);
    expect(decodeInput("\x1b[H")).toEqual([{ name: "home" }]);
    expect(decodeInput("\x1bOF")).toEqual([{ name: "end" }]);
    expect(decodeInput("\x1b[1~")).toEqual([{ name: "home" }]);
    expect(decodeInput("\x1b[5~")).toEqual([{ name: "pageup" }]);
    expect(decodeInput("\x1b[6~")).toEqual([{ name: "pagedown" }]);
    expect(decodeInput("\x1b[Z")).toEqual([{ name: "backtab", shift: true }]);
    expect(decodeInput("\t")).toEqual([{ name: "tab" }]);
    expect(decodeInput("\x1bb")).toEqual([{ name: "char", text: "b", meta: true }]);
    expect(decodeInput("\x1b")).toEqual([{ name: "escape" }]);
  });

  it("marks bracketed paste and never inserts control characters", () => {
    expect(decodeInput("\x1b[200~")).toEqual([{ name: "paste-start" }]);
    expect(decodeInput("\x1b[201~")).toEqual([{ name: "paste-end" }]);
    expect(decodeInput("a\x9bb")).toEqual([{ name: "text", text: "a" }, { name: "text", text: "b" }]);
    expect(decodeInput("\x1b[99;99X")).toEqual([{ name: "unknown" }]);
  });
});

import { describe, expect, it } from "vitest";
import { promptRows } from "../../src/repl/prompt-view.js";

describe("drawing the prompt", () => {
  it("prefixes the first line and continuation lines, and places the cursor", () => {
    expect(promptRows("| makeresults\n| head 1", 3, 80)).toEqual([
      { kind: "input", prefix: "spl> ", text: "| makeresults", cursor: 3 },
      { kind: "input", prefix: "...> ", text: "| head 1" },
    ]);
    expect(promptRows("ab", 2, 80)[0]!.cursor).toBe(2);
  });

  it("wraps long lines itself, the cursor on the right piece", () => {
    const rows = promptRows("x".repeat(30), 25, 20);
    expect(rows.map((r) => r.text)).toEqual(["x".repeat(14), "x".repeat(14), "xx"]);
    expect(rows.map((r) => r.prefix)).toEqual(["spl> ", "     ", "     "]);
    expect(rows[1]!.cursor).toBe(11);
  });

  it("puts a caret row under the characters an error marks, on wrapped rows too", () => {
    const rows = promptRows("| tstats count frm x", undefined, 80, [{ from: 15, to: 18 }]);
    expect(rows[1]).toEqual({ kind: "caret", prefix: "     ", text: `${" ".repeat(15)}^~~` });
    const wrapped = promptRows("aaaaaaaaaaaaaa bbb", undefined, 20, [{ from: 15, to: 18 }]);
    expect(wrapped.map((r) => r.text)).toEqual(["aaaaaaaaaaaaaa", " bbb", " ^~~"]);
    // An error at the end of the input sits just after the last character.
    const atEnd = promptRows("| eval x=", undefined, 80, [{ from: 9, to: 10 }]);
    expect(atEnd[1]!.text).toBe(`${" ".repeat(9)}^`);
    // A mark on the second line.
    const second = promptRows("| makeresults\n| `bad`", undefined, 80, [{ from: 16, to: 21 }]);
    expect(second.map((r) => r.kind)).toEqual(["input", "input", "caret"]);
    expect(second[2]!.text).toBe("  ^~~~~");
  });

  it("uses a short prompt on a very narrow terminal", () => {
    expect(promptRows("abc", 0, 15)[0]!.prefix).toBe("> ");
  });
});

import { describe, expect, it } from "vitest";
import * as B from "../../src/repl/buffer.js";

const at = (text: string, cursor = text.length) => B.bufferOf(text, cursor);

describe("the input buffer", () => {
  it("inserts and deletes around the cursor", () => {
    let b = at("| stats", 2);
    b = B.insert(b, "ts");
    expect(b).toEqual({ text: "| tsstats", cursor: 4 });
    expect(B.backspace(b)).toEqual({ text: "| tstats", cursor: 3 });
    expect(B.deleteForward(at("abc", 1))).toEqual({ text: "ac", cursor: 1 });
    expect(B.backspace(at("abc", 0))).toEqual({ text: "abc", cursor: 0 });
    expect(B.deleteForward(at("abc"))).toEqual({ text: "abc", cursor: 3 });
  });

  it("never splits a surrogate pair", () => {
    const text = "a😀b";
    expect(B.left(at(text, 3)).cursor).toBe(1);
    expect(B.right(at(text, 1)).cursor).toBe(3);
    expect(B.backspace(at(text, 3))).toEqual({ text: "ab", cursor: 1 });
    expect(B.deleteForward(at(text, 1))).toEqual({ text: "ab", cursor: 1 });
  });

  it("moves by line, keeping the column where it can", () => {
    const text = "| tstats count\n| head 5\n| table x";
    const b = at(text, 12); // "| tstats cou|nt"
    expect(B.up(b)).toBeUndefined();
    const down = B.down(b)!;
    expect(down.cursor).toBe(text.indexOf("\n") + 1 + 8); // clamped to the end of "| head 5"
    expect(B.cursorLineColumn(down)).toEqual({ line: 1, column: 8 });
    expect(B.down(B.down(down)!)).toBeUndefined();
    expect(B.up(down)!.cursor).toBe(8);
    expect(B.home(down).cursor).toBe(15);
    expect(B.end(at(text, 0)).cursor).toBe(14);
  });

  it("kills to the end and start of the line, and words", () => {
    const text = "| eval x=1\n| head 5";
    expect(B.killToEnd(at(text, 7))).toEqual({ buffer: { text: "| eval \n| head 5", cursor: 7 }, killed: "x=1" });
    // At the end of a line Ctrl-K joins the next one.
    expect(B.killToEnd(at(text, 10)).buffer.text).toBe("| eval x=1| head 5");
    expect(B.killToStart(at(text, 14))).toEqual({ buffer: { text: "| eval x=1\nead 5", cursor: 11 }, killed: "| h" });
    expect(B.killWordBack(at("| stats count by src_ip  "))).toEqual({ buffer: { text: "| stats count by ", cursor: 17 }, killed: "src_ip  " });
    expect(B.killAlnumWordBack(at("All_Traffic.src_ip")).buffer.text).toBe("All_Traffic.");
    expect(B.killWordForward(at("a foo bar", 1))).toEqual({ buffer: { text: "a bar", cursor: 1 }, killed: " foo" });
  });

  it("moves by word", () => {
    const b = at("| tstats count by All_Traffic.app");
    expect(B.wordLeft(b).cursor).toBe(30);
    expect(B.wordLeft(at(b.text, 30)).cursor).toBe(18);
    expect(B.wordRight(at(b.text, 0)).cursor).toBe(8);
  });
});

import { describe, expect, it } from "vitest";
import { continuesOnNextLine, isComplete, openState } from "../../src/repl/completeness.js";

describe("when Enter runs the search", () => {
  it("runs a complete search", () => {
    expect(isComplete("| tstats count from datamodel=Network_Traffic by All_Traffic.app")).toBe(true);
    expect(isComplete('search "a|b" | head 1')).toBe(true);
    expect(isComplete("")).toBe(true);
  });

  it("continues after a trailing pipe, even followed by blanks", () => {
    expect(isComplete("| makeresults |")).toBe(false);
    expect(isComplete("| makeresults |  \n ")).toBe(false);
  });

  it("continues inside an open quote, and not after an escaped quote", () => {
    expect(isComplete('search x="abc')).toBe(false);
    expect(isComplete('search x="a\\"')).toBe(false);
    expect(isComplete('search x="a\\"b"')).toBe(true);
    // A pipe inside quotes is not a trailing pipe.
    expect(isComplete('search x="|"')).toBe(true);
  });

  it("continues inside open brackets; surplus closers leave it to the parser", () => {
    expect(isComplete("| eval x=if(a>1,")).toBe(false);
    expect(isComplete("search [| makeresults")).toBe(false);
    expect(isComplete("search [| makeresults]")).toBe(true);
    expect(isComplete("| eval x=1)")).toBe(true);
    expect(openState("( [ ( ) ").depth).toBe(2);
  });

  it("piped lines continue only when they end in a pipe", () => {
    expect(continuesOnNextLine("| tstats count |")).toBe(true);
    expect(continuesOnNextLine("| tstats count | ")).toBe(true);
    expect(continuesOnNextLine('| eval x="(')).toBe(false);
  });
});

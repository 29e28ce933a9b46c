import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { TextOrigin } from "../../src/diag/diagnostic.js";
import { expandMacros } from "../../src/macros/expand.js";
import { loadShippedMacros } from "../../src/macros/load.js";
import { library, macro } from "./helpers.js";

const shipped = loadShippedMacros();

/** The character an origin points at, in the text it was written in. */
const charAt = (o: TextOrigin) => o.source.text[o.offset];

describe("locator", () => {
  it("maps text substituted from an argument back to the argument in the user's search", () => {
    const search = "| tstats count by All_Traffic.dest | `drop_dm_object_name(All_Traffic)`";
    const { text, locator } = expandMacros(search, shipped, { sourceName: "s.spl" });
    expect(text).toBe("| tstats count by All_Traffic.dest | rename All_Traffic.* AS *");
    const origin = locator.locate(text.lastIndexOf("All_Traffic"));
    expect(origin.source).toMatchObject({ kind: "search", name: "s.spl" });
    expect(origin.offset).toBe(search.lastIndexOf("All_Traffic"));
  });

  it("maps text of a definition to the macro, whose call site is in the user's search", () => {
    const search = "| `drop_dm_object_name(All_Traffic)`";
    const { text, locator } = expandMacros(search, shipped, { sourceName: "s.spl" });
    const origin = locator.locate(text.indexOf("AS"));
    expect(origin.source).toMatchObject({ kind: "macro", key: "drop_dm_object_name(1)", definedAt: "macros/drop_dm_object_name.yml", callLength: 34 });
    expect(origin.offset).toBe("rename $object$.* ".length);
    if (origin.source.kind !== "macro") throw new Error("unreachable");
    expect(origin.source.callSite).toMatchObject({ source: { kind: "search" }, offset: 2 });
  });

  it("maps text after an expansion back to the search", () => {
    const search = "`summariesonly_config` | stats count";
    const { text, locator } = expandMacros(search, shipped, { sourceName: "s.spl" });
    expect(text).toBe("false | stats count");
    expect(locator.locate(text.indexOf("stats"))).toMatchObject({ source: { kind: "search" }, offset: search.indexOf("stats") });
    expect(locator.locate(text.length)).toMatchObject({ source: { kind: "search" }, offset: search.length });
  });

  it("nested macros map to the innermost definition", () => {
    const { text, locator } = expandMacros("`security_content_summariesonly`", shipped, { sourceName: "s.spl" });
    const origin = locator.locate(text.lastIndexOf("null"));
    expect(origin).toMatchObject({ source: { kind: "macro", key: "fillnull_config" }, offset: 0 });
  });

  it("every character of any expansion maps to the same character where it was written", () => {
    const lib = library(
      macro("a", [], "x`b`y"),
      macro("b", [], "[`c(b1)`]"),
      macro("c", ["v"], "<$v$|$v$>"),
      macro("w", ["p", "q"], '"$q$" `c($p$)`'),
    );
    const piece = fc.constantFrom("`a`", "`b`", "`c(zz)`", "`w(k, `a`)`", "`w(q=1, p=2)`", '"`a`"', "```c `a` ```", " ", "|", "ab", "\n");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const { text, locator } = expandMacros(pieces.join(""), lib, { sourceName: "s" });
        for (let i = 0; i < text.length; i++) expect(charAt(locator.locate(i))).toBe(text[i]);
      }),
      { numRuns: 300 },
    );
  });
});

import { describe, expect, it } from "vitest";
import { type Diagnostic, SplError, diagnostic, identityLocator } from "../../src/diag/diagnostic.js";
import { locationOf, renderDiagnostics } from "../../src/diag/render.js";
import { type ExpandOptions, expandMacros } from "../../src/macros/expand.js";
import type { MacroLibrary } from "../../src/macros/library.js";
import { loadShippedMacros } from "../../src/macros/load.js";
import { library, macro } from "./helpers.js";

const shipped = loadShippedMacros();

function splError(search: string, lib: MacroLibrary = shipped, options: Partial<ExpandOptions> = {}): SplError {
  try {
    expandMacros(search, lib, { sourceName: "search.spl", ...options });
  } catch (e) {
    if (e instanceof SplError) return e;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(search)} to fail`);
}

const first = (e: SplError): Diagnostic => e.diagnostics[0]!;

describe("unknown macros", () => {
  it("names the macro and points at the call (line and column of the opening backtick)", () => {
    const err = splError("index=main\n| `no_such_macro` | stats count");
    expect(first(err)).toMatchObject({ code: "unknown-macro", message: "unknown macro `no_such_macro`" });
    expect(locationOf(err, first(err))).toEqual({ name: "search.spl", line: 2, column: 3 });
    expect(renderDiagnostics(err)).toBe(
      ["search.spl:2:3: error: unknown macro `no_such_macro`", "| `no_such_macro` | stats count", "  ^~~~~~~~~~~~~~~"].join("\n"),
    );
  });

  it("the key includes the number of arguments", () => {
    expect(first(splError("`nope(a, b)`")).message).toBe("unknown macro `nope(2)`");
  });

  it("reports every unknown macro of the search at once", () => {
    expect(splError("`a` | `b`").diagnostics.map((d) => d.message)).toEqual(["unknown macro `a`", "unknown macro `b`"]);
  });

  it("a call with the wrong number of arguments says how many the macro takes", () => {
    const err = splError("| `security_content_ctime` | `drop_dm_object_name(a, b)`");
    expect(err.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ["macro-arity", "macro `security_content_ctime` takes 1 argument, called with 0"],
      ["macro-arity", "macro `drop_dm_object_name` takes 1 argument, called with 2"],
    ]);
  });

  it("lists every arity of an overloaded macro", () => {
    const lib = library(macro("m", [], "x"), macro("m", ["a", "b"], "y"));
    expect(first(splError("`m(1)`", lib)).message).toBe("macro `m` takes 0 or 2 arguments, called with 1");
  });
});

describe("backticks", () => {
  it("a lone backtick is unbalanced-backtick at its offset", () => {
    const err = splError("| stats count | `x");
    expect(first(err)).toMatchObject({ code: "unbalanced-backtick", offset: 16, length: 1 });
  });

  it("an unclosed ``` comment is an error covering the ```", () => {
    const err = splError("| stats count ```oops");
    expect(first(err)).toMatchObject({ code: "unbalanced-backtick", offset: 14, length: 3 });
    expect(renderDiagnostics(err)).toBe(
      ["search.spl:1:15: error: this comment (```) is never closed by another ```", "| stats count ```oops", "              ^~~"].join("\n"),
    );
  });

  it("a call missing its closing parenthesis says so", () => {
    expect(first(splError("`drop_dm_object_name(All_Traffic` | x"))).toMatchObject({ code: "unbalanced-bracket", offset: 0, length: 33 });
  });

  it("text between backticks that is not a call is reported", () => {
    expect(first(splError("x `not a call` y"))).toMatchObject({ code: "unknown-macro", offset: 2, length: 12 });
  });
});

describe("recursion and limits", () => {
  it("a cycle names the chain and points inside the definition that closes it", () => {
    const lib = library(macro("a", [], "x `b`"), macro("b", [], "y `a`"));
    const err = splError("`a`", lib);
    expect(first(err)).toMatchObject({ code: "macro-recursion", message: "macro `a` calls itself: `a` -> `b` -> `a`" });
    expect(err.text).toBe("y `a`");
    expect(locationOf(err, first(err))).toEqual({ name: "macro `b` (b.yml)", line: 1, column: 3 });
  });

  it("a macro calling itself directly", () => {
    expect(first(splError("`self`", library(macro("self", [], "`self`")))).message).toBe("macro `self` calls itself: `self` -> `self`");
  });

  it("nesting deeper than maxDepth is reported", () => {
    const defs = Array.from({ length: 10 }, (_, i) => macro(`m${i}`, [], i === 9 ? "end" : `\`m${i + 1}\``));
    const err = splError("`m0`", library(...defs), { maxDepth: 5 });
    expect(first(err)).toMatchObject({ code: "macro-recursion" });
    expect(first(err).message).toMatch(/^macros are nested more than 5 levels deep: `m0` -> `m1` .* -> `m5`$/);
    expect(expandMacros("`m0`", library(...defs), { sourceName: "s", maxDepth: 10 }).text).toBe("end");
  });

  it("a macro that doubles at every level stops at maxLength instead of running away", () => {
    const defs = Array.from({ length: 30 }, (_, i) => macro(`d${i}`, [], i === 29 ? "0123456789" : `\`d${i + 1}\` \`d${i + 1}\``));
    const started = Date.now();
    const err = splError("`d0`", library(...defs), { maxLength: 100_000 });
    expect(first(err)).toMatchObject({ code: "macro-recursion" });
    expect(first(err).message).toContain("longer than 100000 characters");
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe("errors inside macro definitions", () => {
  const lib = library(macro("outer", [], "index=main\n| `inner(x)`"), macro("inner", ["v"], "stats count by $v$ | `missing`"));

  it("render the definition line, then each call site out to the user's search", () => {
    const err = splError("| tstats count\n| `outer` | stats count", lib);
    expect(renderDiagnostics(err)).toBe(
      [
        "macro `inner(1)` (inner.yml):1:22: error: unknown macro `missing`",
        "stats count by $v$ | `missing`",
        "                     ^~~~~~~~~",
        "  in expansion of `inner(1)` called at macro `outer` (outer.yml):2:3",
        "| `inner(x)`",
        "  ^~~~~~~~~~",
        "  in expansion of `outer` called at search.spl:2:3",
        "| `outer` | stats count",
        "  ^~~~~~~",
      ].join("\n"),
    );
  });

  it("the error's own text is the definition after substitution, its origin the macro", () => {
    const err = splError("| `outer`", lib);
    expect(err.text).toBe("stats count by x | `missing`");
    const origin = err.locator.locate(first(err).offset);
    expect(origin.source).toMatchObject({ kind: "macro", key: "inner(1)", definedAt: "inner.yml", callLength: 10 });
    expect(origin.offset).toBe(21);
  });

  it("a macro given as an argument is blamed at the argument, in the user's search", () => {
    const err = splError("`pair(`nope`, 1)`", library(macro("pair", ["a", "b"], "$a$ $b$")));
    expect(locationOf(err, first(err))).toEqual({ name: "search.spl", line: 1, column: 7 });
    expect(renderDiagnostics(err).split("\n").slice(0, 3)).toEqual([
      "search.spl:1:7: error: unknown macro `nope`",
      "`pair(`nope`, 1)`",
      "      ^~~~~~",
    ]);
  });
});

describe("rendering", () => {
  it("keeps tabs in the caret padding so the caret lines up", () => {
    const err = splError("\tindex=x\t| `nope`");
    expect(renderDiagnostics(err).split("\n").slice(1)).toEqual(["\tindex=x\t| `nope`", "\t       \t  ^~~~~~"]);
  });

  it("prints what was expected", () => {
    const err = new SplError([diagnostic("syntax", "unexpected end of search", 6, 1, ["a field name", "\"by\""])], "stats ", identityLocator("<search>", "stats "));
    expect(renderDiagnostics(err)).toBe(
      ["<search>:1:7: error: unexpected end of search", "stats ", "      ^", 'expected: a field name, "by"'].join("\n"),
    );
  });

  it("a span running from the search into an expansion underlines the whole call", () => {
    const lib = library(macro("cnt", [], "count by host"));
    const { text, locator } = expandMacros("stats `cnt`", lib, { sourceName: "s.spl" });
    expect(text).toBe("stats count by host");
    const err = new SplError([diagnostic("syntax", "bad stats", 0, text.length)], text, locator);
    expect(renderDiagnostics(err)).toBe(["s.spl:1:1: error: bad stats", "stats `cnt`", "^" + "~".repeat(10)].join("\n"));
  });

  it("shows a window of a very long line around the caret", () => {
    const search = `${"x".repeat(300)} \`nope\` ${"y".repeat(300)}`;
    const [, line, caret] = renderDiagnostics(splError(search)).split("\n");
    expect(line!.length).toBeLessThanOrEqual(126);
    expect(line!.startsWith("...") && line!.endsWith("...")).toBe(true);
    expect(line!.slice(caret!.indexOf("^"), caret!.indexOf("^") + 6)).toBe("`nope`");
  });
});

describe("hostile input", () => {
  it("a search of nothing but backticks and parentheses fails fast with a bounded report", () => {
    const started = Date.now();
    const err = splError("`a(".repeat(20_000) + "`x` ".repeat(50_000));
    expect(err.diagnostics.length).toBeLessThanOrEqual(20);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

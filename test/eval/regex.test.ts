/** PCRE patterns as Splunk users write them, run by JavaScript. */
import { describe, expect, it } from "vitest";
import { compilePcre, PcreError } from "../../src/eval/regex.js";

const matches = (pattern: string, text: string): boolean => compilePcre(pattern).test(text);
const groups = (pattern: string, text: string) => compilePcre(pattern).exec(text)?.groups;

describe("compilePcre", () => {
  it("turns leading inline flags into flags", () => {
    expect(matches("(?i)^powershell", "PowerShell.exe")).toBe(true);
    expect(matches("^(?i)powershell", "POWERSHELL")).toBe(true);
    expect(matches("(?s)a.b", "a\nb")).toBe(true);
    expect(matches("(?x) a b  # comment", "ab")).toBe(true);
  });

  it("accepts the named group spellings of PCRE", () => {
    expect(groups("(?<user>\\w+)@", "bob@x")).toEqual({ user: "bob" });
    expect(groups("(?P<user>\\w+)@", "bob@x")).toEqual({ user: "bob" });
    expect(groups("(?'user'\\w+)@", "bob@x")).toEqual({ user: "bob" });
    expect(matches("(?P<c>a)(?P=c)", "aa")).toBe(true);
    expect(matches("(a)\\g1", "aa")).toBe(true);
    expect(matches("(?<c>a)\\k{c}", "aa")).toBe(true);
  });

  it("translates PCRE-only escapes and anchors", () => {
    expect(matches("\\Aab\\z", "ab")).toBe(true);
    expect(matches("\\Aab\\z", "ab\n")).toBe(false);
    expect(matches("ab\\Z", "ab\n")).toBe(true);
    expect(matches("ab$", "ab\n")).toBe(true);
    expect(matches("\\Qa.b\\E", "a.b")).toBe(true);
    expect(matches("\\Qa.b\\E", "axb")).toBe(false);
    expect(matches("a\\hb", "a\tb")).toBe(true);
    expect(matches("\\x{41}", "A")).toBe(true);
    expect(matches("[[:digit:]]+x", "12x")).toBe(true);
    expect(matches("[]a]", "]")).toBe(true);
    expect(matches("a(?#note)b", "ab")).toBe(true);
  });

  it("keeps what JavaScript already shares with PCRE", () => {
    expect(matches("(?<=\\\\)cmd\\.exe$", "C:\\Windows\\cmd.exe")).toBe(true);
    expect(matches("^\\d{1,3}(\\.\\d{1,3}){3}$", "10.0.0.1")).toBe(true);
    expect(matches("a{2,}?", "aaa")).toBe(true);
    expect(matches("x{", "x{")).toBe(true);
  });

  it("refuses PCRE syntax JavaScript cannot express, by name", () => {
    expect(() => compilePcre("a++")).toThrow(/possessive/);
    expect(() => compilePcre("a{2}+")).toThrow(/possessive/);
    expect(() => compilePcre("(?>a)")).toThrow(/atomic/);
    expect(() => compilePcre("(a|(?R))")).toThrow(/recursive/);
    expect(() => compilePcre("a(?i)b")).toThrow(/inline flags/);
    expect(() => compilePcre("\\p{L}")).toThrow(PcreError);
    expect(() => compilePcre("(")).toThrow(/invalid regular expression/);
  });

  it("caches compiled patterns", () => {
    expect(compilePcre("abc")).toBe(compilePcre("abc"));
    expect(compilePcre("abc", true).global).toBe(true);
  });
});

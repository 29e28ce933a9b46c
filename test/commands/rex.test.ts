import { describe, it, expect } from "vitest";
import { pcreToJs, type RexArgs } from "../../src/commands/rex.js";
import { argsOf, parseError, pointedAt, stageArgs, textAt } from "./_helpers.js";

describe("rex", () => {
  it("extracts named groups from _raw by default, renaming them for JavaScript", () => {
    const search = '| rex "user=(?<user>\\w+)\\s+ip=(?<src_ip>[\\d.]+)"';
    expect(argsOf(search)).toEqual({
      field: { name: "_raw" },
      maxMatch: 1,
      mode: "extract",
      pattern: {
        pcre: "user=(?<user>\\w+)\\s+ip=(?<src_ip>[\\d.]+)",
        source: "user=(?<g0>\\w+)\\s+ip=(?<g1>[\\d.]+)",
        flags: "",
        groups: ["user", "src_ip"],
      },
    });
    const args = stageArgs<RexArgs>(search);
    expect(textAt(search, args.regexSpan)).toBe('"user=(?<user>\\w+)\\s+ip=(?<src_ip>[\\d.]+)"');
  });

  it("reads field=, max_match= and offset_field=, before or after the regex", () => {
    expect(argsOf('| rex field=b64x_join "(?<b64x_by8>.{8})" max_match=0 offset_field=off')).toMatchObject({
      field: { name: "b64x_join" },
      maxMatch: 0,
      offsetField: { name: "off" },
      pattern: { source: "(?<g0>.{8})", groups: ["b64x_by8"] },
    });
  });

  it("turns a leading (?i) into a flag and reads PCRE's (?P<name>) groups", () => {
    expect(argsOf('| rex field=newvalue max_match=0 "(?i)(?P<new_method_type>\\"MethodType\\")"')).toMatchObject({
      pattern: { source: '(?<g0>"MethodType")', flags: "i", groups: ["new_method_type"] },
    });
  });

  it("resolves SPL's \\\\ so the regex sees one backslash (\\\\x{202E} is the RTLO character)", () => {
    const args = stageArgs<RexArgs>('| rex field=file_name "(?<a>.+)(?<rtlo>\\\\x{202E})(?<b>.+)"');
    expect(args.mode === "extract" && args.pattern.source).toBe("(?<g0>.+)(?<g1>\\u202e)(?<g2>.+)");
    expect(args.mode === "extract" && new RegExp(args.pattern.source).exec("a\u202Eb")?.groups).toEqual({ g0: "a", g1: "\u202E", g2: "b" });
  });

  it("reads a sed expression with mode=sed", () => {
    expect(argsOf('| rex field=x mode=sed "s/\\x00//g"')).toEqual({
      field: { name: "x" },
      maxMatch: 1,
      mode: "sed",
      sed: { kind: "s", pattern: { pcre: "\\x00", source: "\\x00", flags: "", groups: [] }, replacement: "", global: true },
    });
    expect(argsOf('| rex mode=sed "y/abc/xyz/"')).toMatchObject({ sed: { kind: "y", from: "abc", to: "xyz" } });
  });

  it("reports an invalid regex at its place in the search", () => {
    const search = '| rex field=x "(?<a>\\d+"';
    const d = parseError(search);
    expect(d.message).toBe("rex: invalid regular expression: Unterminated group");
    expect(pointedAt(search, d)).toBe('"(?<a>\\d+"');
  });

  it("points at PCRE syntax JavaScript lacks", () => {
    const search = '| rex "(?<a>(?>\\d+))x"';
    const d = parseError(search);
    expect(d.message).toBe("rex: invalid regular expression: atomic groups (?>...) are not supported");
    expect(pointedAt(search, d)).toBe("(");
    expect(d.offset).toBe(search.indexOf("(?>"));
  });

  it("needs a named group to extract", () => {
    expect(parseError('| rex field=x "\\d+"').message).toBe(
      "rex: the regular expression does not extract anything: name at least one group, as in (?<field>...)",
    );
  });

  it("needs the regex in double quotes", () => {
    expect(parseError("| rex field=x").message).toBe('rex: expected the regular expression in double quotes, as in rex "(?<name>\\d+)" but found the end of the input');
  });

  it("refuses a mode other than sed", () => {
    expect(parseError('| rex mode=extract "(?<a>.)"').message).toBe("rex: mode= accepts only sed but found 'extract'");
  });
});

describe("pcreToJs", () => {
  it("keeps numbered groups numbered as in PCRE and maps named back-references", () => {
    expect(pcreToJs("(a)(?<x>b)\\1(?P=x)\\k<x>")).toEqual({ pattern: { pcre: "(a)(?<x>b)\\1(?P=x)\\k<x>", source: "(a)(?<g0>b)\\1\\k<g0>\\k<g0>", flags: "", groups: ["x"] } });
  });

  it("rewrites anchors, POSIX classes and a leading ] in a class", () => {
    const t = pcreToJs("\\A[[:alpha:]_]+[]x]\\z");
    expect("pattern" in t && t.pattern.source).toBe("(?<![\\s\\S])[a-zA-Z_]+[\\]x](?![\\s\\S])");
  });

  it("allows the same field name twice (each occurrence gets its own JavaScript group)", () => {
    const t = pcreToJs("(?<v>a)|(?<v>b)");
    expect("pattern" in t && t.pattern).toMatchObject({ source: "(?<g0>a)|(?<g1>b)", groups: ["v", "v"] });
  });

  it("refuses escapes JavaScript would read as a plain letter", () => {
    expect(pcreToJs("\\p{L}+")).toEqual({ error: "the escape \\p is not supported", index: 0 });
    expect(pcreToJs("a(?i)b")).toEqual({ error: "inline flags are supported only at the very start of the pattern, as in (?i)...", index: 1 });
  });
});

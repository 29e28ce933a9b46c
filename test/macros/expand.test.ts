import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { SplError } from "../../src/diag/diagnostic.js";
import { expandMacros } from "../../src/macros/expand.js";
import { loadShippedMacros } from "../../src/macros/load.js";
import { library, macro } from "./helpers.js";

const shipped = loadShippedMacros();
const opts = { sourceName: "search.spl" };
const expand = (search: string, lib = shipped) => expandMacros(search, lib, opts).text;

describe("shipped ESCU macros", () => {
  it("security_content_summariesonly expands through its three nested *_config macros", () => {
    expect(expand("`security_content_summariesonly`")).toBe("summariesonly=false allow_old_summaries=true fillnull_value=null");
  });

  it("drop_dm_object_name keeps the quotes of a quoted argument, as Splunk substitutes it verbatim", () => {
    expect(expand('| `drop_dm_object_name("All_Traffic")`')).toBe('| rename "All_Traffic".* AS *');
  });

  it("drop_dm_object_name with a bare argument", () => {
    expect(expand("| `drop_dm_object_name(All_Traffic)`")).toBe("| rename All_Traffic.* AS *");
  });

  it("security_content_ctime substitutes its field", () => {
    expect(expand("| `security_content_ctime(firstTime)`")).toBe('| convert timeformat="%Y-%m-%dT%H:%M:%S" ctime(firstTime)');
  });

  it("non_public_ip_blocks is a parenthesised list usable after IN", () => {
    const text = expand("where dest_ip IN `non_public_ip_blocks`");
    expect(text.startsWith('where dest_ip IN ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", ')).toBe(true);
    expect(text.endsWith('"240.0.0.0/4", "::1")')).toBe(true);
  });

  it("the seed detections' filter macros are `search *`", () => {
    expect(expand("`detect_outbound_smb_traffic_filter` | `smb_traffic_spike___mltk_filter`")).toBe("search * | search *");
  });

  it("a published Detect Outbound SMB Traffic search expands completely and lists the macros it used", () => {
    const yml = parse(readFileSync(new URL("../../../shared/reference/escu-yaml/detect_outbound_smb_traffic.v13_2025-06-10_zeek+drilldown.yml", import.meta.url), "utf8")) as { search: string };
    const result = expandMacros(yml.search, shipped, opts);
    expect(result.text).not.toContain("`");
    expect(result.text).toContain("| tstats summariesonly=false allow_old_summaries=true fillnull_value=null earliest(_time)");
    expect(result.macrosUsed).toEqual([
      "security_content_summariesonly",
      "summariesonly_config",
      "oldsummaries_config",
      "fillnull_config",
      "drop_dm_object_name(1)",
      "security_content_ctime(1)",
      "detect_outbound_smb_traffic_filter",
    ]);
  });
});

describe("arguments", () => {
  const lib = library(
    macro("pair", ["a", "b"], "$a$-$b$"),
    macro("foo", [], "zero"),
    macro("foo", ["x"], "one $x$"),
    macro("greet", ["who"], 'search msg="hello $who$"'),
    macro("one", [], "1"),
  );

  it("named arguments can be given in any order", () => {
    expect(expand("`pair(b=2, a=1)`", lib)).toBe("1-2");
    expect(expand("`pair(a=1,b=2)`", lib)).toBe("1-2");
  });

  it("arguments are positional unless every one names a declared argument", () => {
    expect(expand("`pair(a=1, 2)`", lib)).toBe("a=1-2");
    expect(expand("`pair(c=1, d=2)`", lib)).toBe("c=1-d=2");
  });

  it("`foo` and `foo(1)` are different macros (overloading by arity)", () => {
    expect(expand("`foo` `foo(bar)` `foo()`", lib)).toBe("zero one bar zero");
  });

  it("commas inside double quotes or parentheses do not split arguments", () => {
    expect(expand('`pair("x,y", f(1,2))`', lib)).toBe('"x,y"-f(1,2)');
  });

  it("surrounding whitespace of an argument is trimmed", () => {
    expect(expand("`pair(  1 ,\n 2  )`", lib)).toBe("1-2");
  });

  it("$arg$ is replaced even inside quotation marks", () => {
    expect(expand("`greet(world)`", lib)).toBe('search msg="hello world"');
  });

  it("a $token$ that is not a declared argument is left alone", () => {
    const l = library(macro("m", ["x"], "$dest$ $x$ $$x$"));
    expect(expand("`m(v)`", l)).toBe("$dest$ v $v");
  });

  it("a macro call inside an argument is expanded", () => {
    expect(expand("`pair(`one`, 2)`", lib)).toBe("1-2");
  });

  it("a macro called with an argument is expanded again after substitution", () => {
    const l = library(macro("outer", ["x"], "`inner($x$)`"), macro("inner", ["y"], "[$y$]"));
    expect(expand("`outer(v)`", l)).toBe("[v]");
  });
});

describe("what is not expanded", () => {
  const lib = library(macro("bar", [], "BAR"));

  it("a macro inside a double-quoted string is left as written", () => {
    expect(expand('search "foo`bar`baz" `bar`', lib)).toBe('search "foo`bar`baz" BAR');
  });

  it("an escaped quote does not end the quoted string", () => {
    expect(expand('search "a \\" `bar` " `bar`', lib)).toBe('search "a \\" `bar` " BAR');
  });

  it("an escaped quote outside a string does not open one (ESCU writes terms like *\\\"privileged\\\":true*)", () => {
    expect(expand('search x=*\\"privileged\\":true* | `bar`', lib)).toBe('search x=*\\"privileged\\":true* | BAR');
  });

  it("triple-backtick comments are left untouched, macro calls in them included", () => {
    expect(expand("| stats count ```see `bar` here``` | `bar`", lib)).toBe("| stats count ```see `bar` here``` | BAR");
  });

  it("a search without macros is returned unchanged", () => {
    const search = "index=main | stats count by host";
    expect(expandMacros(search, lib, opts)).toMatchObject({ text: search, macrosUsed: [] });
  });
});

describe("filter macros and other fallbacks", () => {
  it("a macro the library lacks takes its definition from the fallback", () => {
    const fallback = (key: string) => (key.endsWith("_filter") ? "search *" : undefined);
    const result = expandMacros("| stats count | `my_detection_filter`", library(), { ...opts, fallback });
    expect(result.text).toBe("| stats count | search *");
    expect(result.macrosUsed).toEqual(["my_detection_filter"]);
  });

  it("a library definition wins over the fallback", () => {
    const lib = library(macro("my_detection_filter", [], "search dest!=10.0.0.1"));
    const result = expandMacros("`my_detection_filter`", lib, { ...opts, fallback: () => "search *" });
    expect(result.text).toBe("search dest!=10.0.0.1");
  });
});

describe("validation and eval macros", () => {
  const lib = library(
    macro("num", ["n"], "head $n$", { validation: "isnum($n$)", errormsg: "n must be a number" }),
    macro("ev", [], '"x"', { iseval: true }),
  );
  const fail = (search: string, validate?: (e: string) => boolean | string | null) => {
    try {
      expandMacros(search, lib, validate ? { ...opts, validate } : opts);
    } catch (e) {
      if (e instanceof SplError) return e.diagnostics[0];
      throw e;
    }
    throw new Error("expected an error");
  };

  it("the validation expression gets the arguments substituted", () => {
    const seen: string[] = [];
    const text = expandMacros("`num(5)`", lib, { ...opts, validate: (e) => (seen.push(e), true) }).text;
    expect(text).toBe("head 5");
    expect(seen).toEqual(["isnum(5)"]);
  });

  it("null from the validation means valid", () => {
    expect(expandMacros("`num(5)`", lib, { ...opts, validate: () => null }).text).toBe("head 5");
  });

  it("false from the validation reports the macro's errormsg", () => {
    expect(fail("`num(abc)`", () => false)).toMatchObject({ code: "macro-validation", message: "n must be a number", offset: 0, length: 10 });
  });

  it("a string from the validation is the error message", () => {
    expect(fail("`num(abc)`", () => "abc is not a number")).toMatchObject({ code: "macro-validation", message: "abc is not a number" });
  });

  it("without a validator, a macro with validation is reported as unsupported", () => {
    expect(fail("`num(5)`")).toMatchObject({ code: "macro-unsupported" });
  });

  it("iseval = true macros are reported as unsupported", () => {
    expect(fail("x `ev`")).toMatchObject({
      code: "macro-unsupported",
      message: "macro `ev`: eval-based macros (iseval = true) are not supported yet",
      offset: 2,
      length: 4,
    });
  });
});

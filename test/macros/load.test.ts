import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { expandMacros } from "../../src/macros/expand.js";
import { MacroLibrary, macroKey } from "../../src/macros/library.js";
import { loadMacroDir, loadShippedMacros, parseMacroYaml, parseMacrosConf } from "../../src/macros/load.js";
import { macro } from "./helpers.js";

const CONF = `# macros for tests
[foo]
definition = index=main

[foo(1)]
args = x
definition = index=$x$

[foo(2)]
args = a, b
definition = search $a$=$b$
description = two arguments

[long(1)]
args = field
# the continuation keeps the line break
definition = stats count \\
    by $field$ \\
| where count > 1

[evaled]
iseval = true
definition = "index=" . "main"

[checked(1)]
args = n
definition = head $n$
validation = isint($n$)
errormsg = n must be an integer
`;

describe("macros.conf", () => {
  const { definitions, problems } = parseMacrosConf(CONF, "app/default/macros.conf");
  const lib = new MacroLibrary(definitions);

  it("reads overloaded stanzas as distinct macros keyed name(N)", () => {
    expect(problems).toEqual([]);
    expect(lib.keys()).toEqual(["checked(1)", "evaled", "foo", "foo(1)", "foo(2)", "long(1)"]);
    expect(lib.get("foo(2)")).toEqual({ name: "foo", args: ["a", "b"], definition: "search $a$=$b$", iseval: false, definedAt: "app/default/macros.conf:9" });
  });

  it("a trailing backslash continues the value on the next line", () => {
    expect(lib.get("long(1)")?.definition).toBe("stats count \n    by $field$ \n| where count > 1");
    expect(expandMacros("`long(host)`", lib, { sourceName: "s" }).text).toBe("stats count \n    by host \n| where count > 1");
  });

  it("reads iseval, validation and errormsg", () => {
    expect(lib.get("evaled")).toMatchObject({ iseval: true, definition: '"index=" . "main"' });
    expect(lib.get("checked(1)")).toMatchObject({ iseval: false, validation: "isint($n$)", errormsg: "n must be an integer" });
  });

  it("a stanza whose arity does not match its args is reported and skipped; the rest loads", () => {
    const text = "[ok]\ndefinition = a\n\n[bad(2)]\nargs = x\ndefinition = $x$\n\n[none(1)]\ndefinition = y\n";
    const result = parseMacrosConf(text, "m.conf");
    expect(result.definitions.map((d) => macroKey(d.name, d.args.length))).toEqual(["ok"]);
    expect(result.problems).toEqual([
      { file: "m.conf", line: 4, message: "[bad(2)]: the stanza name says 2 arguments, but args lists 1 (x)" },
      { file: "m.conf", line: 8, message: "[none(1)]: the stanza name says 1 argument, but args lists 0" },
    ]);
  });

  it("args of a stanza without (N) are ignored, as macros.conf.spec says", () => {
    const { definitions } = parseMacrosConf("[plain]\nargs = x\ndefinition = $x$\n", "m.conf");
    expect(definitions[0]).toMatchObject({ name: "plain", args: [], definition: "$x$" });
  });

  it("reports a missing definition, a bad iseval, bad argument names, stray lines", () => {
    const text = "stray = 1\n[a]\ndescription = nothing\n[b]\niseval = maybe\ndefinition = x\n[c(1)]\nargs = a b\ndefinition = x\n[d]\nnot a setting\ndefinition = ok\n";
    const result = parseMacrosConf(text, "m.conf");
    expect(result.definitions.map((d) => d.name)).toEqual(["d"]);
    expect(result.problems.map((p) => [p.line, p.message])).toEqual([
      [1, "setting outside any [stanza] is ignored"],
      [11, 'expected "key = value" or a [stanza], found: not a setting'],
      [2, "[a]: no definition"],
      [4, '[b]: iseval must be true or false, not "maybe"'],
      [7, '[c(1)]: argument name "a b" may only contain letters, digits, "_" and "-"'],
    ]);
  });
});

describe("security_content macro YAML", () => {
  it("reads name, definition and arguments; other metadata keys are ignored", () => {
    const text = [
      "name: security_content_ctime",
      "id: 832ca4f6-6dc6-4043-9d90-f159169795e8",
      "version: 1",
      "arguments:",
      "  - field",
      "definition: 'convert timeformat=\"%Y-%m-%dT%H:%M:%S\" ctime($field$)'",
      "description: convert epoch time to string",
    ].join("\n");
    expect(parseMacroYaml(text, "macros/security_content_ctime.yml")).toEqual({
      definitions: [
        {
          name: "security_content_ctime",
          args: ["field"],
          definition: 'convert timeformat="%Y-%m-%dT%H:%M:%S" ctime($field$)',
          iseval: false,
          definedAt: "macros/security_content_ctime.yml",
        },
      ],
      problems: [],
    });
  });

  it("an unquoted false is not a definition string", () => {
    const { problems } = parseMacroYaml("name: x\ndefinition: false\n", "x.yml");
    expect(problems).toEqual([{ file: "x.yml", line: 2, message: '`definition` must be a string (quote values such as "false" or "null")' }]);
  });

  it("a YAML syntax error is reported with its line", () => {
    const { definitions, problems } = parseMacroYaml("name: x\ndefinition: [a\n  b: c\n", "x.yml");
    expect(definitions).toEqual([]);
    expect(problems[0]).toMatchObject({ file: "x.yml", line: 2 });
    expect(problems[0]!.message).toMatch(/^not valid YAML: /);
  });
});

describe("macro directories", () => {
  const root = mkdtempSync(join(tmpdir(), "spelunk-macros-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("a bad YAML file is reported and skipped while the others load", () => {
    const dir = join(root, "yml");
    mkdirSync(dir);
    writeFileSync(join(dir, "a.yml"), "name: a\ndefinition: A\n");
    writeFileSync(join(dir, "broken.yml"), "name: broken\ndefinition: 'unclosed\n");
    writeFileSync(join(dir, "c.yaml"), "name: c\narguments: [x]\ndefinition: C $x$\n");
    writeFileSync(join(dir, "notes.txt"), "not a macro");
    const { definitions, problems } = loadMacroDir(dir, "yml");
    expect(definitions.map((d) => [d.name, d.definedAt])).toEqual([
      ["a", join("yml", "a.yml")],
      ["c", join("yml", "c.yaml")],
    ]);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.file).toBe(join("yml", "broken.yml"));
  });

  it("reads an app's default/macros.conf, with local/macros.conf overriding it", () => {
    const app = join(root, "app");
    mkdirSync(join(app, "default"), { recursive: true });
    mkdirSync(join(app, "local"));
    writeFileSync(join(app, "default", "macros.conf"), "[idx]\ndefinition = index=main\n[other]\ndefinition = x\n");
    writeFileSync(join(app, "local", "macros.conf"), "[idx]\ndefinition = index=local\n");
    const { definitions, problems } = loadMacroDir(app);
    expect(problems).toEqual([]);
    const lib = new MacroLibrary(definitions);
    expect(lib.get("idx")).toMatchObject({ definition: "index=local", definedAt: join(app, "local", "macros.conf") + ":1" });
    expect(lib.get("other")?.definition).toBe("x");
  });

  it("a missing directory is an error naming it", () => {
    expect(() => loadMacroDir(join(root, "nope"))).toThrow(`macro directory not found: ${join(root, "nope")}`);
  });

  it("the shipped macros all load", () => {
    expect(loadShippedMacros().keys()).toEqual([
      "detect_outbound_smb_traffic_filter",
      "drop_dm_object_name(1)",
      "fillnull_config",
      "non_public_ip_blocks",
      "oldsummaries_config",
      "security_content_ctime(1)",
      "security_content_summariesonly",
      "smb_traffic_spike___mltk_filter",
      "summariesonly_config",
    ]);
    expect(loadShippedMacros().get("drop_dm_object_name(1)")?.definedAt).toBe(join("macros", "drop_dm_object_name.yml"));
  });
});

describe("MacroLibrary", () => {
  it("a later definition of the same key wins, and overrides make a copy", () => {
    const base = new MacroLibrary([macro("m", [], "one"), macro("m", [], "two")]);
    expect(base.get("m")?.definition).toBe("two");
    const over = base.withOverrides([macro("m", [], "three"), macro("n", ["a"], "$a$")]);
    expect(over.get("m")?.definition).toBe("three");
    expect(over.keys()).toEqual(["m", "n(1)"]);
    expect(base.keys()).toEqual(["m"]);
  });

  it("macroKey spells keys like macros.conf stanzas", () => {
    expect(macroKey("foo", 0)).toBe("foo");
    expect(macroKey("foo", 2)).toBe("foo(2)");
  });
});

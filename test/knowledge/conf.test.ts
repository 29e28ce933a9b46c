import { describe, expect, it } from "vitest";
import { mergeStanzas, parseConf, parseConfBool } from "../../src/knowledge/conf.js";

describe(".conf files", () => {
  it("reads stanzas and key = value settings with their lines", () => {
    const { stanzas, problems } = parseConf("[bro:conn:json]\nKV_MODE = json\n\n[other]\nA=1\n", "props.conf");
    expect(problems).toEqual([]);
    expect(stanzas).toEqual([
      { name: "bro:conn:json", line: 1, entries: [{ key: "KV_MODE", value: "json", line: 2 }] },
      { name: "other", line: 4, entries: [{ key: "A", value: "1", line: 5 }] },
    ]);
  });

  it("a trailing backslash continues the value on the next line, keeping the line break", () => {
    const text = "[s]\nEVAL-x = case(a=1, \"one\", \\\n  1=1, \"other\")\nnext = 2\n";
    const { stanzas } = parseConf(text, "props.conf");
    expect(stanzas[0]!.entries).toEqual([
      { key: "EVAL-x", value: 'case(a=1, "one", \n  1=1, "other")', line: 2 },
      { key: "next", value: "2", line: 4 },
    ]);
  });

  it("lines starting with # are comments; a # later in a line is part of the value", () => {
    const { stanzas } = parseConf("# header\n[s]\n  # indented comment\nREGEX = ^#fields\\t\n", "t.conf");
    expect(stanzas[0]!.entries).toEqual([{ key: "REGEX", value: "^#fields\\t", line: 4 }]);
  });

  it("settings before any stanza go to [default]", () => {
    const { stanzas, problems } = parseConf("a = 1\n[s]\nb = 2\n", "x.conf");
    expect(problems).toEqual([]);
    expect(stanzas.map((s) => [s.name, s.line, s.entries.map((e) => e.key)])).toEqual([
      ["default", 0, ["a"]],
      ["s", 2, ["b"]],
    ]);
  });

  it("reports a header without ']' and a line without '=', and loads the rest", () => {
    const { stanzas, problems } = parseConf("[broken\nx = 1\n[ok]\nnot a setting\ny = 2\n", "x.conf");
    expect(problems).toEqual([
      { file: "x.conf", line: 1, message: 'stanza header [broken has no closing "]"' },
      { file: "x.conf", line: 2, message: "setting under the broken stanza header of line 1 is ignored" },
      { file: "x.conf", line: 4, message: 'expected "key = value" or a [stanza], found: not a setting' },
    ]);
    expect(stanzas).toEqual([{ name: "ok", line: 3, entries: [{ key: "y", value: "2", line: 5 }] }]);
  });

  it("a value may hold '=' signs; only the first one splits", () => {
    const { stanzas } = parseConf("[e]\nsearch = sourcetype=\"bro:conn\" a=b\n", "eventtypes.conf");
    expect(stanzas[0]!.entries[0]).toMatchObject({ key: "search", value: 'sourcetype="bro:conn" a=b' });
  });

  it("a repeated stanza merges, later settings winning", () => {
    const { stanzas } = parseConf("[s]\na = 1\nb = 1\n[t]\nc = 1\n[s]\nb = 2\n", "x.conf");
    const merged = mergeStanzas(stanzas);
    expect([...merged.keys()]).toEqual(["s", "t"]);
    expect(merged.get("s")!.line).toBe(1);
    expect([...merged.get("s")!.settings].map(([k, e]) => [k, e.value, e.line])).toEqual([
      ["a", "1", 2],
      ["b", "2", 7],
    ]);
  });

  it("reads Splunk's boolean spellings", () => {
    expect(["true", "1", "T", "yes", "y"].map(parseConfBool)).toEqual([true, true, true, true, true]);
    expect(["false", "0", "f", "No", "n"].map(parseConfBool)).toEqual([false, false, false, false, false]);
    expect(parseConfBool("maybe")).toBeUndefined();
  });
});

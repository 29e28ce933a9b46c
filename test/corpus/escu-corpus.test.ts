/**
 * The yardstick: every detection and baseline search of Splunk's security content (fixtures/escu,
 * see its PROVENANCE.md) expands with the corpus macros and parses. Commands spelunk parses only
 * generically still count as parsed: `check` reports them as unsupported, which is the point.
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { describe, expect, it } from "vitest";
import { compileSearch } from "../../src/compile.js";
import { SplError } from "../../src/diag/diagnostic.js";
import { renderDiagnostics } from "../../src/diag/render.js";
import { MacroLibrary, type MacroDefinition } from "../../src/macros/library.js";
import { loadShippedMacros } from "../../src/macros/load.js";

interface CorpusSearch {
  readonly file: string;
  readonly name: string;
  readonly search: string;
}

const fixture = (name: string) => new URL(`../../fixtures/escu/${name}`, import.meta.url);
const readJsonl = <T>(name: string): T[] =>
  readFileSync(fixture(name), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as T);

function corpusLibrary(): MacroLibrary {
  const macros = readJsonl<{ name: string; arguments: string[]; definition: string }>("escu_macros.jsonl");
  const defs: MacroDefinition[] = macros.map((m) => ({
    name: m.name,
    args: m.arguments ?? [],
    definition: m.definition,
    iseval: false,
    definedAt: `fixtures/escu/escu_macros.jsonl (${m.name})`,
  }));
  // drop_dm_object_name ships with the CIM add-on, not security_content (PROVENANCE.md).
  const cim = loadShippedMacros().get("drop_dm_object_name(1)");
  return new MacroLibrary(cim ? [...defs, cim] : defs);
}

function parseAll(searches: readonly CorpusSearch[], library: MacroLibrary) {
  const failures: string[] = [];
  for (const s of searches) {
    try {
      compileSearch(s.search, { sourceName: s.file, macros: library, detectionStem: basename(s.file, ".yml") });
    } catch (error) {
      if (!(error instanceof SplError)) throw error;
      failures.push(renderDiagnostics(error).split("\n").slice(0, 3).join("\n"));
    }
  }
  return failures;
}

describe("Splunk security content corpus", () => {
  const library = corpusLibrary();

  it("parses at least 99% of the 1,869 detections after macro expansion", () => {
    const detections = readJsonl<CorpusSearch>("escu_detections.jsonl");
    expect(detections).toHaveLength(1869);
    const failures = parseAll(detections, library);
    const rate = (detections.length - failures.length) / detections.length;
    console.log(`detections parsed: ${detections.length - failures.length}/${detections.length} (${(rate * 100).toFixed(2)}%)`);
    if (failures.length > 0) console.log(`failures:\n${failures.join("\n\n")}`);
    expect(rate).toBeGreaterThanOrEqual(0.99);
  });

  it("parses all 48 baselines", () => {
    const baselines = readJsonl<CorpusSearch>("escu_baselines.jsonl");
    expect(baselines).toHaveLength(48);
    const failures = parseAll(baselines, library);
    console.log(`baselines parsed: ${baselines.length - failures.length}/${baselines.length}`);
    expect(failures).toEqual([]);
  });
});

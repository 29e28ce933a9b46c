/**
 * Whatever a user types, the front end answers with a syntax tree or with located diagnostics:
 * never a crash, a hang or an untyped exception.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileSearch } from "../../src/compile.js";
import { SplError } from "../../src/diag/diagnostic.js";
import { renderDiagnostics } from "../../src/diag/render.js";
import { loadShippedMacros } from "../../src/macros/load.js";

const macros = loadShippedMacros();
const seeds = ["detect_outbound_smb_traffic", "smb_traffic_spike___mltk", "baseline_of_smb_traffic___mltk"].map((n) =>
  readFileSync(new URL(`../../searches/${n}.spl`, import.meta.url), "utf8"),
);

/** Either a pipeline, or an SplError whose every diagnostic points inside its text and renders. */
function answersCleanly(search: string): void {
  try {
    const { pipeline } = compileSearch(search, { sourceName: "<fuzz>", macros });
    expect(Array.isArray(pipeline.stages)).toBe(true);
  } catch (error) {
    if (!(error instanceof SplError)) throw error;
    expect(error.diagnostics.length).toBeGreaterThan(0);
    for (const d of error.diagnostics) {
      expect(d.offset).toBeGreaterThanOrEqual(0);
      expect(d.offset).toBeLessThanOrEqual(error.text.length);
      expect(d.message.length).toBeGreaterThan(0);
    }
    expect(renderDiagnostics(error)).toMatch(/error: /);
  }
}

const splPieces = [
  "|", "[", "]", "(", ")", ",", "=", "!=", "<", ">=", '"', "'", "`", "```", " ", "\n", "\\", "*", "/", ".", "+", "-",
  "AND", "OR", "NOT", "IN", "and", "by", "as", "AS", "where", "from", "search", "tstats", "stats", "eval", "where",
  "rename", "table", "sort", "count", "values(x)", "datamodel=Network_Traffic", "x", "10.0.0.0/8", "if(", "`security_content_ctime(x)`",
  "`drop_dm_object_name(\"All_Traffic\")`", "`security_content_summariesonly`", "TERM(", "eval(", "$x$",
];

describe("parser robustness (fast-check)", () => {
  it("answers random SPL-like token soup with a tree or diagnostics", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...splPieces), { maxLength: 40 }), (pieces) => answersCleanly(pieces.join(""))),
      { numRuns: 1500 },
    );
  });

  it("answers arbitrary unicode text with a tree or diagnostics", () => {
    fc.assert(fc.property(fc.string({ maxLength: 200, unit: "binary" }), answersCleanly), { numRuns: 1000 });
  });

  it("answers mutated seed searches (characters deleted, inserted, duplicated) with a tree or diagnostics", () => {
    const mutation = fc.record({
      seed: fc.integer({ min: 0, max: seeds.length - 1 }),
      edits: fc.array(fc.tuple(fc.nat(), fc.constantFrom("delete", "insert", "duplicate"), fc.constantFrom(...splPieces)), { minLength: 1, maxLength: 6 }),
    });
    fc.assert(
      fc.property(mutation, ({ seed, edits }) => {
        let text = seeds[seed]!;
        for (const [at, kind, piece] of edits) {
          const i = at % (text.length + 1);
          if (kind === "delete") text = text.slice(0, i) + text.slice(i + 1 + (at % 7));
          else if (kind === "insert") text = text.slice(0, i) + piece + text.slice(i);
          else text = text.slice(0, i) + text.slice(i, i + 20) + text.slice(i);
        }
        answersCleanly(text);
      }),
      { numRuns: 1500 },
    );
  });
});

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DIAGRAM_FILE, grammarDiagramsHtml } from "../../src/parse/diagrams.js";

describe("grammar/ syntax diagrams", () => {
  it("match the grammar (regenerate with `npm run grammar` after changing src/parse/grammar.ts)", () => {
    const committed = readFileSync(new URL(`../../grammar/${DIAGRAM_FILE}`, import.meta.url), "utf8");
    expect(committed === grammarDiagramsHtml(), "grammar/ is out of date: run `npm run grammar`").toBe(true);
  });
});

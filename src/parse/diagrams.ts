/**
 * Syntax diagrams of the expression grammars (search and eval), drawn by chevrotain, written to
 * grammar/. A test regenerates them and fails when the committed copy is out of date.
 */
import { createSyntaxDiagramsCode } from "chevrotain";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parser } from "./grammar.js";

export const DIAGRAM_FILE = "spl-expressions.html";

export function grammarDiagramsHtml(): string {
  return createSyntaxDiagramsCode(parser.getSerializedGastProductions());
}

/** Writes the diagrams into `dir`; returns the paths written. */
export function writeGrammarDiagrams(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, DIAGRAM_FILE);
  writeFileSync(path, grammarDiagramsHtml());
  return [path];
}

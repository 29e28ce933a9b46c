/** Shared helpers of the command parser tests: parse one stage, catch the error, drop spans. */
import { expect } from "vitest";
import { SplError, type Diagnostic } from "../../src/diag/diagnostic.js";
import type { Span } from "../../src/parse/ast.js";
import { parseSearch } from "../../src/parse/pipeline.js";

/** The typed arguments of the last stage of `search` (write `| cmd ...` to make cmd the first command). */
export function stageArgs<A>(search: string): A {
  const { stages } = parseSearch(search);
  const stage = stages[stages.length - 1]!;
  expect(stage.generic, `${stage.name} is not registered in src/commands/index.ts`).toBe(false);
  return stage.args as A;
}

/** The first diagnostic of a search that must not parse. */
export function parseError(search: string): Diagnostic {
  try {
    parseSearch(search);
  } catch (error) {
    if (error instanceof SplError) return error.diagnostics[0]!;
    throw error;
  }
  throw new Error(`expected a parse error for: ${search}`);
}

/** The text a diagnostic points at. */
export const pointedAt = (search: string, d: Diagnostic): string => search.slice(d.offset, d.offset + d.length);

/** The text a span covers. */
export const textAt = (search: string, span: Span): string => search.slice(span.start, span.end);

/** The AST without its `span`/`...Span` fields and subsearch pipelines' spans, to compare with a hand-written one. */
export function noSpans(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(noSpans);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== "span" && !key.endsWith("Span") && key !== "optionSpans")
      .map(([key, v]) => [key, noSpans(v)]),
  );
}

/** Stage args without spans. */
export const argsOf = (search: string): unknown => noSpans(stageArgs(search));

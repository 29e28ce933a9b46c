/**
 * The front end in one call: macro expansion (with its source map), parsing, and the checks that
 * must pass before anything runs. Everything a user can get wrong comes back as one SplError.
 */
import { diagnostic, SplError, type Diagnostic } from "./diag/diagnostic.js";
import { expandMacros, type Expansion } from "./macros/expand.js";
import type { MacroLibrary } from "./macros/library.js";
import type { Pipeline } from "./parse/ast.js";
import { subsearchesOf } from "./parse/walk.js";
import { parseSearch } from "./parse/pipeline.js";

export interface CompileOptions {
  /** File name for messages, or "<search>". */
  readonly sourceName: string;
  readonly macros: MacroLibrary;
  /**
   * The detection's file stem: its `<stem>_filter` macro defaults to `search *` when no definition
   * exists, as contentctl generates it (security_content.md §3.1).
   */
  readonly detectionStem?: string;
}

export interface Compiled {
  readonly expansion: Expansion;
  readonly pipeline: Pipeline;
}

/** Expand and parse. Throws SplError (located diagnostics) for any syntax or macro error. */
export function compileSearch(search: string, options: CompileOptions): Compiled {
  const filterMacro = options.detectionStem ? `${options.detectionStem}_filter` : undefined;
  const expansion = expandMacros(search, options.macros, {
    sourceName: options.sourceName,
    fallback: (key) => (key === filterMacro ? "search *" : undefined),
  });
  const pipeline = parseSearch(expansion.text, options.sourceName, expansion.locator);
  return { expansion, pipeline };
}

/** Expand, parse, and refuse commands spelunk cannot run: what `spelunk check` and every run do first. */
export function checkSearch(search: string, options: CompileOptions): Compiled {
  const compiled = compileSearch(search, options);
  const unsupported = unsupportedCommands(compiled.pipeline);
  if (unsupported.length > 0) throw new SplError(unsupported, compiled.expansion.text, compiled.expansion.locator);
  return compiled;
}

/** Every generically parsed stage, in subsearches too, as an "unsupported-command" diagnostic. */
export function unsupportedCommands(pipeline: Pipeline): Diagnostic[] {
  const out: Diagnostic[] = [];
  const visit = (p: Pipeline, depth: number): void => {
    if (depth > 50) return;
    for (const stage of p.stages) {
      if (stage.generic) {
        const { start, end } = stage.nameSpan;
        out.push(diagnostic("unsupported-command", `command '${stage.name}' is not supported yet`, start, end - start));
      }
      for (const sub of subsearchesOf(stage.args)) visit(sub, depth + 1);
    }
  };
  visit(pipeline, 0);
  return out;
}

/**
 * One search, start to finish: expand, parse, check that every stage can run, then run it. User
 * errors at any step, including those found while running (an unknown data model, a bad regex),
 * come back as one located SplError.
 */
import { checkSearch, type CompileOptions, type Compiled } from "../compile.js";
import { diagnostic, SplError } from "../diag/diagnostic.js";
import type { Pipeline } from "../parse/ast.js";
import type { Table } from "../table/table.js";
import { RuntimeError, type ExecContext } from "./context.js";
import type { DataSource } from "./datasource.js";
import { execute, unrunnableStages } from "./execute.js";
import { ModelStore } from "../mltk/store.js";

export interface RunOptions extends CompileOptions {
  readonly data: DataSource;
  readonly now: number;
  readonly tz: string;
  readonly earliest?: number;
  readonly latest?: number;
  /** MLTK's model directory (default ./models). */
  readonly modelsDir?: string;
  /** iplocation's MaxMind-schema database (--geoip-db). */
  readonly geoipDb?: string;
  readonly warn?: (message: string) => void;
  readonly signal?: AbortSignal;
}

export interface RunResult {
  readonly table: Table;
  readonly compiled: Compiled;
  readonly warnings: readonly string[];
}

export async function runSearch(search: string, options: RunOptions): Promise<RunResult> {
  const compiled = checkSearch(search, options);
  const { expansion, pipeline } = compiled;
  const unrunnable = unrunnableStages(pipeline);
  if (unrunnable.length > 0) throw new SplError(unrunnable, expansion.text, expansion.locator);
  const warnings: string[] = [];
  const ctx: ExecContext = {
    now: options.now,
    tz: options.tz,
    ...(options.earliest !== undefined ? { earliest: options.earliest } : {}),
    ...(options.latest !== undefined ? { latest: options.latest } : {}),
    data: options.data,
    models: new ModelStore(options.modelsDir ?? "models"),
    ...(options.geoipDb !== undefined ? { geoipDb: options.geoipDb } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    warn(message) {
      warnings.push(message);
      options.warn?.(message);
    },
    // Time modifiers do not apply to subsearches; the run's range does (spl_semantics §6).
    runSubsearch: (sub: Pipeline) => execute(sub, ctx),
  };
  try {
    const table = await execute(pipeline, ctx);
    return { table, compiled, warnings };
  } catch (error) {
    if (error instanceof RuntimeError) {
      const { start, end } = error.span;
      throw new SplError([diagnostic("bad-argument", error.message, start, end - start)], expansion.text, expansion.locator);
    }
    throw error;
  }
}

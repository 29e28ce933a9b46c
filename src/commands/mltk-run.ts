/**
 * What fit, apply and the model commands share: turning MLTK's errors into located search errors and
 * building the DensityFunction input from a results table.
 */
import { RuntimeError, type ExecContext } from "../exec/context.js";
import type { DensityInput } from "../mltk/densityfunction.js";
import { MltkError } from "../mltk/densityfunction.js";
import { ModelStoreError } from "../mltk/store.js";
import type { Span } from "../parse/ast.js";
import { ArrayColumn, type Column, type Table } from "../table/table.js";
import type { Value } from "../table/value.js";

/** Run `work`; an MLTK or model-store error becomes a RuntimeError at `span`. */
export async function mltkStep<T>(span: Span, work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof MltkError || error instanceof ModelStoreError) throw new RuntimeError(error.message, span);
    throw error;
  }
}

export function densityInput(table: Table, feature: string, by: readonly string[]): DensityInput {
  return {
    feature,
    values: table.column(feature),
    by: by.map((name) => ({ name, column: table.column(name) })),
    rows: table.length,
  };
}

/** The input rows with MLTK's output columns added (replacing same-named ones). */
export function withOutputs(table: Table, columns: ReadonlyArray<{ name: string; values: Value[] }>): Table {
  return table.withColumns(columns.map((c) => [c.name, new ArrayColumn(c.values)] as [string, Column]));
}

export function warnAll(ctx: ExecContext, warnings: readonly string[]): void {
  for (const w of warnings) ctx.warn(w);
}

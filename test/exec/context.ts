/** A minimal ExecContext for running one command in a test. */
import type { ExecContext } from "../../src/exec/context.js";
import type { DataSource } from "../../src/exec/datasource.js";
import { execute } from "../../src/exec/execute.js";
import type { Stage } from "../../src/parse/ast.js";
import { parseSearch } from "../../src/parse/pipeline.js";
import { Table } from "../../src/table/table.js";
import { commandSpec } from "../../src/commands/index.js";
import { ModelStore } from "../../src/mltk/store.js";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const emptyData: DataSource = {
  events: () => Table.empty(),
  summary: () => undefined,
  lookup: () => undefined,
};

/** now = 2024-03-01T12:00:00Z, tz UTC; warnings collected in `warnings`. */
export function testContext(overrides: Partial<ExecContext> = {}): ExecContext & { warnings: string[] } {
  const warnings: string[] = [];
  const ctx: ExecContext & { warnings: string[] } = {
    now: Date.UTC(2024, 2, 1, 12) / 1000,
    tz: "UTC",
    data: emptyData,
    models: new ModelStore(mkdtempSync(join(tmpdir(), "spelunk-models-"))),
    warn: (message) => warnings.push(message),
    runSubsearch: (pipeline) => execute(pipeline, ctx),
    warnings,
    ...overrides,
  };
  return ctx;
}

/** Run `| <command ...>` (one stage, already expanded) over `input`. */
export async function runStage(command: string, input: Table, ctx: ExecContext = testContext()): Promise<Table> {
  const stage = parseSearch(`| ${command}`).stages[0] as Stage;
  const spec = commandSpec(stage.name);
  if (!spec?.run) throw new Error(`${stage.name} cannot run`);
  return spec.run(stage.args, input, ctx, stage);
}

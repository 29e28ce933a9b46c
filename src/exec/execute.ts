/**
 * The executor: runs a checked pipeline stage by stage. A leading `search` reads the loaded events
 * (within the run's time range); every other command gets the previous stage's table.
 * Before anything runs, every stage (subsearches included) must be runnable, so a search never
 * runs half-way.
 */
import { commandSpec } from "../commands/index.js";
import { diagnostic, type Diagnostic } from "../diag/diagnostic.js";
import type { Pipeline } from "../parse/ast.js";
import { subsearchesOf } from "../parse/walk.js";
import { NumberColumn, Table } from "../table/table.js";
import type { ExecContext } from "./context.js";

/** The user cancelled the search (REPL Ctrl-C); not an error in the search. */
export class SearchCancelled extends Error {
  constructor() {
    super("search cancelled");
    this.name = "SearchCancelled";
  }
}

/** Stages that cannot run (no `run` yet), as diagnostics; empty when the whole search can run. */
export function unrunnableStages(pipeline: Pipeline): Diagnostic[] {
  const out: Diagnostic[] = [];
  const visit = (p: Pipeline, depth: number): void => {
    if (depth > 50) return;
    for (const stage of p.stages) {
      const spec = commandSpec(stage.name);
      if (!spec?.run) {
        const { start, end } = stage.nameSpan;
        out.push(diagnostic("unsupported-command", `command '${stage.name}' cannot run yet (it parses, but spelunk does not execute it)`, start, end - start));
      }
      for (const sub of subsearchesOf(stage.args)) visit(sub, depth + 1);
    }
  };
  visit(pipeline, 0);
  return out;
}

export async function execute(pipeline: Pipeline, ctx: ExecContext): Promise<Table> {
  let table = Table.empty();
  for (let i = 0; i < pipeline.stages.length; i++) {
    const stage = pipeline.stages[i]!;
    // A cancellable search (the REPL's Ctrl-C) lets the event loop turn between stages, so that the
    // key press is read while the search runs.
    if (ctx.signal) await new Promise<void>((resolve) => setImmediate(resolve));
    if (ctx.signal?.aborted) throw new SearchCancelled();
    const spec = commandSpec(stage.name)!;
    const input = i === 0 && stage.name === "search" ? eventsInRange(ctx) : table;
    table = await spec.run!(stage.args, input, ctx, stage);
  }
  return table;
}

/** The loaded events within [earliest, latest), newest first. */
export function eventsInRange(ctx: ExecContext): Table {
  const events = ctx.data.events();
  if (ctx.earliest === undefined && ctx.latest === undefined) return events;
  const time = events.column("_time");
  const lo = ctx.earliest ?? -Infinity;
  const hi = ctx.latest ?? Infinity;
  const keep: number[] = [];
  for (let row = 0; row < events.length; row++) {
    const t = time instanceof NumberColumn ? time.values[row]! : Number(time?.get(row));
    if (t >= lo && t < hi) keep.push(row);
  }
  return events.take(Uint32Array.from(keep));
}

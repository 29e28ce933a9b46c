import type { FieldArg } from "./options.js";
import { Table } from "../table/table.js";
import { defineCommand } from "./command.js";
import { readModelName } from "./fit.js";
import { mltkStep } from "./mltk-run.js";

/** MLTK's `| summary <model>`: for DensityFunction, one row per group with its distribution and parameters. */
export interface SummaryArgs {
  readonly model: FieldArg;
}

export const summary = defineCommand<SummaryArgs>({
  name: "summary",
  generating: () => true,
  parse(r) {
    const model = readModelName(r);
    r.end();
    return { model };
  },
  run: (args, _input, ctx) =>
    mltkStep(args.model.span, async () => {
      const table = await ctx.models.summary(args.model.name);
      return Table.fromRows(table.rows, table.columns);
    }),
});

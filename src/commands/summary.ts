import { Table } from "../table/table.js";
import { defineCommand } from "./command.js";
import { readModelArgs, type ModelArgs } from "./fit.js";
import { mltkStep } from "./mltk-run.js";

/** MLTK's `| summary <model>`: for DensityFunction, one row per group with its distribution and parameters. */
export type SummaryArgs = ModelArgs;

export const summary = defineCommand<SummaryArgs>({
  name: "summary",
  generating: () => true,
  parse: readModelArgs,
  run: (args, _input, ctx) =>
    mltkStep(args.model.span, async () => {
      const table = await ctx.models.summary(args.model.name);
      return Table.fromRows(table.rows, table.columns);
    }),
});

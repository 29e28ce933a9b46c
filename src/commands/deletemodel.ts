import { Table } from "../table/table.js";
import { defineCommand } from "./command.js";
import { readModelArgs, type ModelArgs } from "./fit.js";
import { mltkStep } from "./mltk-run.js";

/** MLTK's `| deletemodel <model>`: removes the model file; a model that does not exist is an error. */
export type DeleteModelArgs = ModelArgs;

export const deletemodel = defineCommand<DeleteModelArgs>({
  name: "deletemodel",
  generating: () => true,
  parse: readModelArgs,
  run: (args, _input, ctx) =>
    mltkStep(args.model.span, async () => {
      await ctx.models.delete(args.model.name);
      return Table.empty();
    }),
});

import { Table } from "../table/table.js";
import { defineCommand } from "./command.js";
import type { FieldArg } from "./options.js";
import { readModelName } from "./fit.js";
import { mltkStep } from "./mltk-run.js";

/** MLTK's `| deletemodel <model>`: removes the model file; a model that does not exist is an error. */
export interface DeleteModelArgs {
  readonly model: FieldArg;
}

export const deletemodel = defineCommand<DeleteModelArgs>({
  name: "deletemodel",
  generating: () => true,
  parse(r) {
    const model = readModelName(r);
    r.end();
    return { model };
  },
  run: (args, _input, ctx) =>
    mltkStep(args.model.span, async () => {
      await ctx.models.delete(args.model.name);
      return Table.empty();
    }),
});

import { Table } from "../table/table.js";
import { defineCommand } from "./command.js";
import { mltkStep } from "./mltk-run.js";

/** MLTK's `| listmodels`: the models in the model directory, by name. */
export const listmodels = defineCommand<Record<string, never>>({
  name: "listmodels",
  generating: () => true,
  parse(r) {
    r.end();
    return {};
  },
  run: (_args, _input, ctx, stage) =>
    mltkStep(stage.nameSpan, async () => {
      const names = await ctx.models.list();
      const rows = [];
      for (const name of names) rows.push({ name, type: (await ctx.models.load(name)).algorithm });
      return Table.fromRows(rows, ["name", "type"]);
    }),
});

import { RuntimeError } from "../exec/context.js";
import type { Span } from "../parse/ast.js";
import { defineCommand } from "./command.js";

/**
 * `| from datamodel <Model>[.<Dataset>]` (also `datamodel:<Model>.<Dataset>`): the events of a data
 * model dataset with the model's fields, named `<Root>.<field>` as `| datamodel ... search` names them.
 */
export interface FromArgs {
  readonly datamodel: string;
  readonly dataset?: string;
  readonly span: Span;
}

export const from = defineCommand<FromArgs>({
  name: "from",
  generating: () => true,
  parse(r) {
    const first = r.value("datamodel <name>");
    let target: string;
    let span = first.span;
    if (first.text.toLowerCase() === "datamodel") {
      const name = r.value("a data model name after `from datamodel`");
      target = name.text;
      span = name.span;
    } else if (/^datamodel:/i.test(first.text)) {
      target = first.text.slice("datamodel:".length);
    } else {
      return r.fail("bad-argument", "from: only `from datamodel <Model>[.<Dataset>]` is supported yet", first.span);
    }
    r.end();
    const [datamodel, ...rest] = target.split(".");
    if (!datamodel) return r.fail("bad-argument", "from: expected a data model name", span);
    return rest.length > 0 ? { datamodel, dataset: rest[rest.length - 1]!, span } : { datamodel, span };
  },
  run(args, _input, ctx) {
    const summary = ctx.data.summary(args.datamodel);
    if (!summary) throw new RuntimeError(`data model ${args.datamodel} is not loaded (add its JSON in an app with --apps)`, args.span);
    if (args.dataset === undefined) return summary.table;
    const rows = summary.membership.get(args.dataset);
    if (!rows) throw new RuntimeError(`data model ${args.datamodel} has no dataset ${args.dataset}`, args.span);
    return summary.table.take(rows);
  },
});

import type { ArgReader } from "../parse/args.js";
import type { Span } from "../parse/ast.js";
import { RuntimeError, type ExecContext } from "../exec/context.js";
import { applyDensityFunction } from "../mltk/densityfunction.js";
import { parseDensityFunctionOptions } from "../mltk/options.js";
import type { Table } from "../table/table.js";
import { densityInput, mltkStep, warnAll, withOutputs } from "./mltk-run.js";
import { defineCommand } from "./command.js";
import { readModelName, readParam, record } from "./fit.js";
import { readField, type FieldArg } from "./options.js";

/**
 * `apply <model> [<param>=<value>]... [as <name>]` (MLTK 5.7.4 `[apply-command]`, spl_semantics.md §7.8):
 * runs a model saved by `fit ... into <model>`; parameters such as `threshold=0.001` override the
 * fitted ones for this run.
 */
export interface ApplyArgs {
  readonly model: FieldArg;
  readonly options: Readonly<Record<string, string>>;
  readonly optionSpans: Readonly<Record<string, Span>>;
  readonly as?: FieldArg;
}

export const apply = defineCommand<ApplyArgs>({
  name: "apply",
  run: (args, input, ctx) => runApply(args, input, ctx),
  parse(r: ArgReader) {
    if (r.atOption()) r.failHere("expected the model name first (apply <model> [options])");
    const model = readModelName(r);
    const options: Array<[string, string]> = [];
    const optionSpans: Array<[string, Span]> = [];
    let as: FieldArg | undefined;
    while (!r.atEnd()) {
      if (r.atOption()) readParam(r, options, optionSpans);
      else if (!as && r.acceptWord("as")) as = readField(r, "an output field name after AS");
      else r.failHere("expected name=value parameters or AS <name>");
    }
    const args = { model, options: record(options), optionSpans: record(optionSpans) };
    return as ? { ...args, as } : args;
  },
});

/** `apply <model> [threshold=...] [show_density=...] [as <name>]`: score each row with its group's density. */
async function runApply(args: ApplyArgs, input: Table, ctx: ExecContext): Promise<Table> {
  return mltkStep(args.model.span, async () => {
    const model = await ctx.models.load(args.model.name);
    const params = parseDensityFunctionOptions({ ...model.params, ...args.options }, "apply");
    if (!params.ok) throw new RuntimeError(params.error, args.model.span);
    const applied = applyDensityFunction(model, densityInput(input, model.feature, model.by), {
      params: params.value,
      ...(args.as ? { as: args.as.name } : {}),
    });
    warnAll(ctx, applied.warnings);
    return withOutputs(input, applied.columns);
  });
}

import type { ArgReader, ArgValue } from "../parse/args.js";
import type { Span } from "../parse/ast.js";
import * as T from "../parse/lexer.js";
import { RuntimeError, type ExecContext } from "../exec/context.js";
import { applyDensityFunction, fitDensityFunction } from "../mltk/densityfunction.js";
import { parseDensityFunctionOptions } from "../mltk/options.js";
import type { Table } from "../table/table.js";
import { densityInput, mltkStep, warnAll, withOutputs } from "./mltk-run.js";
import { defineCommand } from "./command.js";
import { readField, type FieldArg } from "./options.js";

/**
 * `fit <algorithm> [<param>=<value>]... <field>... [from <field>...] [by <fields>] [into <model>] [as <name>]`
 * (MLTK 5.7.4 `[fit-command]` and `bin/util/param_util.py`; spl_semantics.md §7.1). Keywords are
 * case-insensitive, each allowed once, in any order after the algorithm, as MLTK's own tokenizer reads them.
 */
export interface FitArgs {
  readonly algorithm: FieldArg;
  /** Algorithm parameters as written (`dist=norm`, `threshold="0.01,0.005"`); the algorithm validates them. */
  readonly options: Readonly<Record<string, string>>;
  readonly optionSpans: Readonly<Record<string, Span>>;
  /** Fields before `from` (for DensityFunction: the fields whose density is fitted). May hold wildcards. */
  readonly fields: readonly FieldArg[];
  /** Fields after `from` (explanatory variables of supervised algorithms). */
  readonly from: readonly FieldArg[];
  /** Split-by fields: `by "HourOfDay,DayOfWeek"` is split at commas, as MLTK does. */
  readonly by: readonly FieldArg[];
  /** The model to save (`into smb_pdfmodel`). */
  readonly into?: FieldArg;
  /** Renames the output column (`IsOutlier(<field>)` for DensityFunction). */
  readonly as?: FieldArg;
}

/** What MLTK accepts as a model name (param_util: `^[a-zA-Z_][a-zA-Z0-9_]*$`, else "Invalid model name"). */
const MODEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A model name. Models are files in the model directory, so anything but a plain name (a path, `..`)
 * is refused here. MLTK's `app:`/`user:` namespace prefixes are not supported.
 */
export function readModelName(r: ArgReader, what = "a model name"): FieldArg {
  const v = r.value(what);
  if (!MODEL_NAME.test(v.text)) {
    r.fail(
      "bad-argument",
      `${r.command}: invalid model name '${v.text}': a model name starts with a letter or underscore and has only letters, digits and underscores`,
      v.span,
    );
  }
  return { name: v.text, span: v.span };
}

/** `name=value` options into the two maps of FitArgs/ApplyArgs (a repeated key keeps the last value). */
export function readParam(r: ArgReader, options: Array<[string, string]>, spans: Array<[string, Span]>): void {
  const o = r.option();
  options.push([o.key, o.value.text]);
  spans.push([o.key, o.span]);
}

/** Object.fromEntries makes own properties even for keys such as `__proto__`. */
export const record = <V>(entries: Array<[string, V]>): Readonly<Record<string, V>> => Object.fromEntries(entries);

/** Split `"HourOfDay,DayOfWeek"` at commas, pointing each piece at its place when the text allows. */
function splitCommaList(r: ArgReader, v: ArgValue): FieldArg[] {
  const raw = r.text.slice(v.span.start, v.span.end);
  const base = raw === v.text ? v.span.start : raw === `"${v.text}"` ? v.span.start + 1 : undefined;
  const fields: FieldArg[] = [];
  let at = 0;
  for (const piece of v.text.split(",")) {
    const name = piece.trim();
    const start = at + piece.indexOf(name);
    if (name !== "") fields.push({ name, span: base === undefined ? v.span : { start: base + start, end: base + start + name.length } });
    at += piece.length + 1;
  }
  return fields;
}

/**
 * `by` takes the next argument and splits it at commas (MLTK `_comma_separated_to_list`), so
 * `by "a,b"` and `by a,b` name two fields. `by a, b` (comma then space) is also read as two fields.
 */
function readBy(r: ArgReader): FieldArg[] {
  const by = splitCommaList(r, r.value("the split-by fields after BY"));
  while (r.accept(T.Comma)) {
    if (r.atValue() && !r.atOption() && !r.atWord("by", "into", "as", "from")) by.push(...splitCommaList(r, r.value("a field name")));
  }
  if (by.length === 0) r.failHere("expected the split-by fields after BY");
  return by;
}

export const fit = defineCommand<FitArgs>({
  run: (args, input, ctx) => runFit(args, input, ctx),
  name: "fit",
  parse(r: ArgReader) {
    if (r.atOption() || !r.atValue()) r.failHere("expected an algorithm name such as DensityFunction");
    const algorithm = readField(r, "an algorithm name");
    const options: Array<[string, string]> = [];
    const optionSpans: Array<[string, Span]> = [];
    const fields: FieldArg[] = [];
    const from: FieldArg[] = [];
    let by: FieldArg[] = [];
    let into: FieldArg | undefined;
    let as: FieldArg | undefined;
    const seen = new Set<string>();
    let inFrom = false;
    while (!r.atEnd()) {
      if (r.atOption()) {
        readParam(r, options, optionSpans);
        continue;
      }
      if (r.accept(T.Comma)) continue;
      const keyword = r.peek()!;
      const kw = r.acceptWord("by", "into", "as", "from");
      if (kw !== undefined) {
        if (seen.has(kw)) r.fail("bad-argument", `fit: '${kw}' may be given only once`, { start: keyword.startOffset, end: T.tokenEnd(keyword) });
        seen.add(kw);
      }
      if (kw === "by") by = readBy(r);
      else if (kw === "into") into = readModelName(r, "a model name after INTO");
      else if (kw === "as") as = readField(r, "an output field name after AS");
      else if (kw === "from") inFrom = true;
      else (inFrom ? from : fields).push(readField(r, "a field name"));
    }
    if (fields.length === 0) r.failHere(`expected the fields to fit with ${algorithm.name}`);
    const args = { algorithm, options: record(options), optionSpans: record(optionSpans), fields, from, by };
    return { ...args, ...(into && { into }), ...(as && { as }) };
  },
});

/**
 * `fit DensityFunction <field> [by ...] [into <model>]`: one density per by-group (MLTK 5.7.4,
 * spl_semantics.md §7), saved when `into` is given, and the fitted rows returned with their
 * IsOutlier/BoundaryRanges columns as MLTK returns them.
 */
async function runFit(args: FitArgs, input: Table, ctx: ExecContext): Promise<Table> {
  if (args.algorithm.name !== "DensityFunction") {
    throw new RuntimeError(`fit: algorithm ${args.algorithm.name} is not supported yet (DensityFunction is)`, args.algorithm.span);
  }
  const [feature, ...extra] = args.fields;
  if (!feature || extra.length > 0 || args.from.length > 0) {
    throw new RuntimeError("fit DensityFunction takes exactly one field, as `fit DensityFunction count by ...`", args.algorithm.span);
  }
  const params = parseDensityFunctionOptions(args.options, "fit");
  if (!params.ok) throw new RuntimeError(params.error, args.algorithm.span);
  const by = args.by.map((b) => b.name);
  return mltkStep(args.algorithm.span, async () => {
    const fitted = fitDensityFunction(densityInput(input, feature.name, by), {
      params: params.value,
      ...(args.into ? { into: args.into.name } : {}),
    });
    warnAll(ctx, fitted.warnings);
    if (args.into) await ctx.models.save(args.into.name, fitted.model);
    const rows = fitted.rows.length === input.length ? input : input.take(Uint32Array.from(fitted.rows));
    const applied = applyDensityFunction(
      fitted.model,
      densityInput(rows, feature.name, by),
      { params: params.value, fromFit: true, ...(args.as ? { as: args.as.name } : {}) },
      fitted.rng,
    );
    return withOutputs(rows, applied.columns);
  });
}

/** `<command> <model>`: the arguments of summary and deletemodel. */
export interface ModelArgs {
  readonly model: FieldArg;
}

export function readModelArgs(r: ArgReader): ModelArgs {
  const model = readModelName(r);
  r.end();
  return { model };
}

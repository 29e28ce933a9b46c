import type { ArgOption, ArgReader } from "../parse/args.js";
import type { Span } from "../parse/ast.js";
import { parseTimespan, type Timespan, type TimeUnit } from "../time/timespan.js";
import { defineCommand } from "./command.js";
import { intOption, parseNumber, readField, readOption, type FieldArg, type OptionHandlers } from "./options.js";

/** `span=10` (a width for numeric fields, seconds for _time) or `span=1h`. */
export type BinWidth =
  | { readonly kind: "number"; readonly value: number; readonly span: Span }
  | { readonly kind: "time"; readonly count: number; readonly unit: TimeUnit; readonly span: Span };

/**
 * `bin [span=<span>] [bins=<int>] [minspan=<timespan>] [start=<num>] [end=<num>] [aligntime=<time>] <field> [AS <newfield>]`
 * (searchbnf `[bin-command]`, alias `bucket`). Options may come before or after the field; ESCU writes
 * both `bin _time span=1h` and `bucket span=5m _time`.
 */
export interface BinArgs {
  readonly field: FieldArg;
  readonly as?: FieldArg;
  /** span=, named `width` here because `span` is every AST node's source location. */
  readonly width?: BinWidth;
  /** Maximum number of bins (bins=). */
  readonly bins?: number;
  readonly minspan?: Timespan & { readonly span: Span };
  readonly start?: number;
  readonly end?: number;
  /** `earliest`, `latest` or a relative time such as `@d+3h`, as written (checked where time modifiers are). */
  readonly aligntime?: { readonly text: string; readonly span: Span };
}

const EXAMPLES = "such as 1h, 10m, 1d or 30s";

function readWidth(o: ArgOption, r: ArgReader): BinWidth {
  const { text, span } = o.value;
  const time = parseTimespan(text);
  const number = /^(?:\d+\.?\d*|\.\d+)$/.test(text) ? Number(text) : undefined;
  // Log spans (`span=log`, `span=2log10`) are not supported and fail here too.
  if (!time && number === undefined) r.fail("bad-argument", `bin: span= expects a number or a time span ${EXAMPLES} but found '${text}'`, span);
  if (!((time?.count ?? number!) > 0)) r.fail("bad-argument", `bin: span= must be greater than 0 but is '${text}'`, span);
  return time ? { kind: "time", ...time, span } : { kind: "number", value: number!, span };
}

function readMinspan(o: ArgOption, r: ArgReader): NonNullable<BinArgs["minspan"]> {
  const time = parseTimespan(o.value.text);
  if (!time || time.count === 0) return r.fail("bad-argument", `bin: minspan= expects a time span ${EXAMPLES} but found '${o.value.text}'`, o.value.span);
  return { ...time, span: o.value.span };
}

export const bin = defineCommand<BinArgs>({
  name: "bin",
  aliases: ["bucket"],
  parse(r: ArgReader) {
    const opts: { -readonly [K in keyof BinArgs]?: BinArgs[K] } = {};
    const options: OptionHandlers = {
      span: (o) => (opts.width = readWidth(o, r)),
      bins: (o) => (opts.bins = intOption(o, r, 1)),
      minspan: (o) => (opts.minspan = readMinspan(o, r)),
      start: (o) => (opts.start = parseNumber(o.value, r, "start=")),
      end: (o) => (opts.end = parseNumber(o.value, r, "end=")),
      aligntime: (o) => (opts.aligntime = { text: o.value.text, span: o.value.span }),
    };
    let field: FieldArg | undefined;
    let as: FieldArg | undefined;
    while (!r.atEnd()) {
      if (readOption(r, options)) continue;
      if (field && !as && r.acceptWord("as") !== undefined) as = readField(r, "the new field name after AS");
      else if (!field) field = readField(r, "the field to bin");
      else r.failHere("expected only one field to bin (bin <field> [AS <new field>] span=...)");
    }
    if (!field) return r.failHere("expected the field to bin, as in bin _time span=1h");
    return { ...opts, field, ...(as && { as }) };
  },
});

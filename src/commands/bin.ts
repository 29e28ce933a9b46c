import { RuntimeError, type ExecContext } from "../exec/context.js";
import type { ArgOption, ArgReader } from "../parse/args.js";
import type { Span, Stage } from "../parse/ast.js";
import { ArrayColumn, type Table } from "../table/table.js";
import { numberText, scalarNumber, valuesOf, type Scalar, type Value } from "../table/value.js";
import { binStart } from "../time/bins.js";
import { parseTimeArg } from "../time/relative.js";
import { fixedSeconds, parseTimespan, type Timespan, type TimeUnit } from "../time/timespan.js";
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
  run: (args, input, ctx, stage) => runBin(args, input, ctx, stage),
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

// ---- running -------------------------------------------------------------------------------------

/** limits.conf [discretize] default: "bins ... Default: 100" (bin command, Search Reference 9.x). */
const DEFAULT_BINS = 100;

/** Calendar units: their bins start at local midnight and aligntime is "Ignored if span is in days/months/years". */
const calendarUnits: ReadonlySet<TimeUnit> = new Set(["d", "w", "mon", "q", "y"]);

/**
 * `bin` (Search Reference, bin; searchbnf [bin-command]):
 *
 * - A time discretization (the field is `_time`, or the span has a time unit) puts each value at the
 *   start of its bin, epoch seconds: sub-day spans from epoch 0 UTC or from `aligntime=` ("Align the
 *   bin times to something other than base UTC time (epoch 0)"), spans of days and longer at local
 *   midnight in the search's time zone ("When a <span-length> of a day or more is used, the span is
 *   aligned to midnight in the timezone of the user"; aligntime is "Ignored if span is in
 *   days/months/years"). A bare number on `_time` is seconds ("If discretizing based on the _time
 *   field ... this is treated as a time range", DSP bin docs).
 * - Other fields get the bin as a range `lo-hi` ("The bins are 0-9, 10-19, 20-29, and so forth";
 *   Splunk writes them as `0-10`, `10-20`, as the SPL-compatible bin of OpenSearch PPL shows).
 * - Without span=, numeric bins are a power of ten wide: the smallest power of ten that puts the
 *   data (its range widened by start=/end=, which "are used when a span value is not specified" and
 *   can "only ... expand the range") in at most bins= bins (Search Manual, "Search using time bins
 *   and spans": values 0-59 with bins=5 fall in one bin, 0-100). Automatic time spans (bins= or no
 *   span= on _time) are refused.
 * - `AS <newfield>` writes the bins there and keeps the field; otherwise the field is replaced.
 * - A value that is not a number is left as it is (UNCONFIRMED); a multivalue is binned value by value.
 */
function runBin(args: BinArgs, input: Table, ctx: ExecContext, stage: Stage<BinArgs>): Table {
  const column = input.column(args.field.name);
  const isTime = args.field.name === "_time" || args.width?.kind === "time";
  const binOne = isTime ? timeBinner(args, ctx, stage) : numericBinner(args, input);
  if (!column) return input;
  const out = new Array<Value>(input.length);
  for (let row = 0; row < input.length; row++) {
    const v = column.get(row);
    if (v === null) {
      out[row] = null;
    } else if (Array.isArray(v)) {
      out[row] = v.map((x) => binValue(x, binOne)) as Scalar[];
    } else {
      out[row] = binValue(v as Scalar, binOne);
    }
  }
  return input.withColumn(args.as?.name ?? args.field.name, new ArrayColumn(out));
}

function binValue(v: Scalar, binOne: (n: number) => Scalar): Scalar {
  const n = scalarNumber(v);
  return n === null || !Number.isFinite(n) ? v : binOne(n);
}

function timeBinner(args: BinArgs, ctx: ExecContext, stage: Stage<BinArgs>): (t: number) => Scalar {
  const width = args.width;
  if (!width) {
    throw new RuntimeError(
      `${stage.name}: automatic time bins${args.bins !== undefined ? " (bins=)" : ""} are not supported yet; give the width with span=, as in bin _time span=1h`,
      stage.nameSpan,
    );
  }
  const span: Timespan | undefined = width.kind === "time" ? { count: width.count, unit: width.unit } : undefined;
  if (span && calendarUnits.has(span.unit)) return (t) => binStart(t, span, ctx.tz);
  const seconds = span ? fixedSeconds(span)! : (width as { value: number }).value;
  const offset = args.aligntime ? alignment(args.aligntime, ctx, stage) : 0;
  if (offset === 0 && span) return (t) => binStart(t, span, ctx.tz);
  return (t) => {
    // The epsilon absorbs binary noise (0.3 / 0.1 = 2.9999999999999996), as binStart does.
    const k = Math.floor((t - offset) / seconds + 1e-9);
    return Math.round((offset + k * seconds) * 1e6) / 1e6;
  };
}

/** aligntime=earliest|latest|<time>: the instant bins are counted from (the search's time range for earliest/latest). */
function alignment(aligntime: NonNullable<BinArgs["aligntime"]>, ctx: ExecContext, stage: Stage<BinArgs>): number {
  const text = aligntime.text.toLowerCase();
  // An all-time search runs from epoch 0 to now.
  if (text === "earliest") return ctx.earliest ?? 0;
  if (text === "latest") return ctx.latest ?? ctx.now;
  const t = parseTimeArg(aligntime.text, ctx.now, ctx.tz);
  if (t === undefined) {
    throw new RuntimeError(`${stage.name}: aligntime=${aligntime.text} is not a time (expected earliest, latest, an epoch time, an ISO 8601 time or a relative time such as @d+3h)`, aligntime.span);
  }
  return t;
}

function numericBinner(args: BinArgs, input: Table): (n: number) => Scalar {
  const width = args.width?.kind === "number" ? args.width.value : autoWidth(args, input);
  return (n) => {
    const lo = Math.floor(n / width + 1e-9) * width;
    return `${rangeText(lo)}-${rangeText(lo + width)}`;
  };
}

/** The smallest power of ten that puts the field's range (widened by start=/end=) in at most bins= bins. */
function autoWidth(args: BinArgs, input: Table): number {
  const maxBins = args.bins ?? DEFAULT_BINS;
  const column = input.column(args.field.name);
  let lo = args.start ?? Infinity;
  let hi = args.end ?? -Infinity;
  if (column) {
    for (let row = 0; row < input.length; row++) {
      for (const v of valuesOf(column.get(row))) {
        const n = scalarNumber(v);
        if (n === null || !Number.isFinite(n)) continue;
        if (n < lo) lo = n;
        if (n > hi) hi = n;
      }
    }
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return 1;
  const range = hi - lo;
  let exponent = range > 0 ? Math.floor(Math.log10(range / maxBins)) : 0;
  // Bounded: each step multiplies the width by ten, and 10^400 is past every double.
  for (let step = 0; step < 800; step++, exponent++) {
    const width = 10 ** exponent;
    if (Math.floor(hi / width + 1e-9) - Math.floor(lo / width + 1e-9) + 1 <= maxBins) return width;
  }
  return 10 ** exponent;
}

function rangeText(n: number): string {
  const rounded = Number(n.toPrecision(12));
  return numberText(rounded === 0 ? 0 : rounded);
}

import type { ExecContext } from "../exec/context.js";
import type { Span } from "../parse/ast.js";
import * as T from "../parse/lexer.js";
import type { ArgReader } from "../parse/args.js";
import { ArrayColumn, type Column, type Table } from "../table/table.js";
import { fromValues, isMulti, scalarNumber, scalarText, type Scalar, type Value } from "../table/value.js";
import { strftime, strptime } from "../time/strftime.js";
import { isTimeInRange } from "../time/zone.js";
import { defineCommand } from "./command.js";
import { fieldPattern, hasWildcard, matchFieldPattern, substituteWildcards } from "./fields.js";
import { readField, readOption, type FieldArg } from "./options.js";

export const convertFunctions = ["auto", "dur2sec", "mstime", "memk", "none", "num", "rmunit", "rmcomma", "ctime", "mktime"] as const;
export type ConvertFunction = (typeof convertFunctions)[number];

/** `ctime(start_time) AS start`: convert the field in place, or into `as` leaving the original intact. */
export interface Conversion {
  readonly fn: ConvertFunction;
  readonly field: FieldArg;
  readonly as?: FieldArg;
  readonly span: Span;
}

/** `convert [timeformat=<string>] (<function>(<wc-field>) [AS <wc-field>])+` (searchbnf `[convert-command]`). */
export interface ConvertArgs {
  /** Used by ctime and mktime; already defaulted to Splunk's "%m/%d/%Y %H:%M:%S". */
  readonly timeformat: string;
  readonly conversions: readonly Conversion[];
}

export const convert = defineCommand<ConvertArgs>({
  name: "convert",
  parse(r: ArgReader) {
    let timeformat = "%m/%d/%Y %H:%M:%S";
    const conversions: Conversion[] = [];
    // searchbnf puts timeformat= first, but ESCU also writes it last (`convert ctime(t) timeformat="..."`).
    while (!r.atEnd()) {
      if (readOption(r, { timeformat: (o) => (timeformat = o.value.text) })) continue;
      const t = r.peek()!;
      const name = t.image.toLowerCase();
      if (!r.atValue() || r.peek(1)?.tokenType !== T.LParen) r.failHere("expected a conversion such as ctime(field)");
      const fn = convertFunctions.find((f) => f === name);
      if (!fn) {
        r.fail("bad-argument", `convert: unknown conversion function '${t.image}' (expected one of ${convertFunctions.join(", ")})`, {
          start: t.startOffset,
          end: T.tokenEnd(t),
        });
      }
      r.next();
      // searchbnf marks the field optional (`<wc-field>?`) but does not say what an empty one means;
      // the 9.x docs require it, and so do we.
      const { inner } = r.parenthesised();
      const field = readField(inner, `a field name inside ${fn}(...)`);
      inner.end();
      const as = r.acceptWord("as") ? readField(r, "a field name after AS") : undefined;
      const conversion = { fn, field, span: r.spanFrom(t.startOffset) };
      conversions.push(as ? { ...conversion, as } : conversion);
    }
    if (conversions.length === 0) r.failHere("expected a conversion such as ctime(field)");
    return { timeformat, conversions };
  },
  run: (args, input, ctx) => runConvert(args, input, ctx),
});

// Function semantics from the convert reference (9.2,
// https://help.splunk.com/splunk-enterprise/spl-search-reference/9.2/search-commands/convert), quoted
// at each function. The result of a conversion is a number (strings for ctime and rmcomma).

/** One value converted, or null when the function cannot convert it. */
type ScalarConversion = (v: Scalar) => Scalar | null;

/** A plain number: "445", " 1.5e3 ", 12. */
const plainNumber = (v: Scalar): number | null => scalarNumber(v);

/** rmcomma(): "Removes all commas from value, for example rmcomma(1,000,000.00) returns 1000000.00." */
const rmcomma: ScalarConversion = (v) => (typeof v === "number" ? v : v.replace(/,/g, ""));

/** rmunit(): "Looks for numbers at the beginning of the value and removes trailing text." ("212 sec" → 212) */
const LEADING_NUMBER = /^\s*([+-]?(?:\d+\.?\d*|\.\d+))/;
const rmunit: ScalarConversion = (v) => {
  if (typeof v === "number") return v;
  const m = LEADING_NUMBER.exec(v);
  return m ? Number(m[1]) : null;
};

/**
 * memk(): "Accepts a positive number (integer or float) followed by an optional "k", "m", or "g" ...
 * If no letter is specified, kilobytes is assumed. The output field is a number expressing quantity
 * of kilobytes." m = 1024 k, g = 1024 m. The letter is read in either case (UNCONFIRMED).
 */
const MEMK = /^\s*(\d+\.?\d*|\.\d+)\s*([kmg]?)\s*$/i;
const memk: ScalarConversion = (v) => {
  if (typeof v === "number") return v;
  const m = MEMK.exec(v);
  if (!m) return null;
  const unit = m[2]!.toLowerCase();
  return Number(m[1]) * (unit === "g" ? 1024 * 1024 : unit === "m" ? 1024 : 1);
};

/** dur2sec(): "Convert a duration format "[D+]HH:MM:SS" to seconds." ("00:10:15" → 615, "2+01:00:00" → 176400) */
const DURATION = /^\s*(?:(\d+)\+)?(\d+):(\d{1,2}):(\d{1,2}(?:\.\d+)?)\s*$/;
const dur2sec: ScalarConversion = (v) => {
  const m = DURATION.exec(scalarText(v));
  if (!m) return null;
  return Number(m[1] ?? 0) * 86400 + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
};

/** mstime(): "Convert a [MM:]SS.SSS format to seconds." ("01:02.5" → 62.5) */
const MSTIME = /^\s*(?:(\d+):)?(\d+(?:\.\d*)?)\s*$/;
const mstime: ScalarConversion = (v) => {
  const m = MSTIME.exec(scalarText(v));
  return m ? Number(m[1] ?? 0) * 60 + Number(m[2]) : null;
};

/**
 * auto(): "Automatically convert the fields to a number using the best conversion." The doc does
 * not list the conversions tried; spelunk tries a plain number, then a number with thousands
 * commas (rmcomma), then a [D+]HH:MM:SS duration (dur2sec, as in the doc's
 * `convert auto(*delay) as *delay_secs` over sendmail delays). UNCONFIRMED beyond plain numbers.
 */
const COMMA_NUMBER = /^\s*[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?\s*$/;
const auto: ScalarConversion = (v) => {
  const n = plainNumber(v);
  if (n !== null) return n;
  if (typeof v === "string" && COMMA_NUMBER.test(v)) return Number(v.replace(/,/g, ""));
  return dur2sec(v);
};

function scalarConversion(fn: ConvertFunction, timeformat: string, tz: string): ScalarConversion {
  switch (fn) {
    case "auto":
    case "num":
      return auto;
    case "rmcomma": return rmcomma;
    case "rmunit": return rmunit;
    case "memk": return memk;
    case "dur2sec": return dur2sec;
    case "mstime": return mstime;
    // ctime(): "Convert a UNIX time to an ASCII human readable time", in the search's time zone
    // (spl_semantics.md §4.1).
    case "ctime":
      return (v) => {
        const t = plainNumber(v);
        return t !== null && isTimeInRange(t) ? strftime(t, timeformat, tz) : null;
      };
    // mktime(): "Convert a human readable time string to an epoch time."
    case "mktime":
      return (v) => {
        const t = strptime(scalarText(v), timeformat, tz);
        return t !== null && isTimeInRange(t) ? t : null;
      };
    case "none":
      return () => null;
  }
}

/**
 * A field's value converted; `undefined` when the field is left as it is.
 * - auto(): "if not all values of a particular field can be converted using a known conversion
 *   type, the field is left untouched". convert is a streaming command, so "a field" is read as the
 *   field in one result: a multivalue converts only when all its values do.
 * - num(): "Like auto(), except non-convertible values are removed."
 * - The other functions convert the values they can and leave the others as they are (the doc is
 *   silent; UNCONFIRMED).
 */
function convertValue(fn: ConvertFunction, f: ScalarConversion, value: Value): Value | undefined {
  if (value === null) return undefined;
  if (!isMulti(value)) {
    const out = f(value as Scalar);
    if (out !== null) return out;
    return fn === "num" ? null : undefined;
  }
  const out: Scalar[] = [];
  for (const v of value) {
    const c = f(v);
    if (c !== null) out.push(c);
    else if (fn === "auto") return undefined;
    else if (fn !== "num") out.push(v);
  }
  return fromValues(out);
}

/**
 * Conversions run in order, each over the table the previous ones left. A wildcard field converts
 * every matching field, its `AS` name taking the wildcard parts (`auto(*delay) as *delay_secs`).
 * none(): "In the presence of other wildcards, indicates that the matching fields should not be
 * converted" -- fields a none() pattern matches are skipped by every wildcard conversion of the
 * command (`convert auto(*) none(foo)`). "When renaming a field using "as", the original field is
 * left intact" (searchbnf [convert-command]); where a value is left untouched, the AS field keeps
 * whatever it had (nothing when it is new).
 */
function runConvert(args: ConvertArgs, input: Table, ctx: ExecContext): Table {
  const excluded = args.conversions.filter((c) => c.fn === "none").map((c) => fieldPattern(c.field.name));
  const isExcluded = (name: string): boolean => excluded.some((p) => matchFieldPattern(p, name) !== null);
  let table = input;
  for (const conversion of args.conversions) {
    if (conversion.fn === "none") continue;
    const f = scalarConversion(conversion.fn, args.timeformat, ctx.tz);
    const wildcard = hasWildcard(conversion.field.name);
    const pattern = fieldPattern(conversion.field.name);
    const outputs: Array<[string, Column]> = [];
    for (const name of table.fields()) {
      const captures = matchFieldPattern(pattern, name);
      if (!captures || (wildcard && isExcluded(name))) continue;
      const target = conversion.as ? substituteWildcards(conversion.as.name, captures) : name;
      const column = convertColumn(conversion.fn, f, table.column(name)!, table.column(target), table.length);
      if (column) outputs.push([target, column]);
    }
    if (outputs.length > 0) table = table.withColumns(outputs);
  }
  return table;
}

/** The target column after converting `source`, or undefined when no value converts. */
function convertColumn(fn: ConvertFunction, f: ScalarConversion, source: Column, target: Column | undefined, length: number): Column | undefined {
  const values: Value[] = new Array<Value>(length);
  let converted = false;
  for (let row = 0; row < length; row++) {
    const value = convertValue(fn, f, source.get(row));
    if (value === undefined) {
      values[row] = target ? target.get(row) : null;
    } else {
      values[row] = value;
      converted = true;
    }
  }
  return converted ? new ArrayColumn(values) : undefined;
}

import type { Span } from "../parse/ast.js";
import * as T from "../parse/lexer.js";
import type { ArgReader } from "../parse/args.js";
import { defineCommand } from "./command.js";
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
});

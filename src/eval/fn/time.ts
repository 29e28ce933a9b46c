/**
 * Date and time functions, in the search's time zone (reference/spl_semantics.md §4.7: rendering
 * and snapping use the user's tz). now() "returns the time that the search was started" (constant
 * for the search); time() is the wall clock when the row is evaluated.
 */
import { applyRelativeTime, parseRelativeTime, type RelativeTime } from "../../time/relative.js";
import { strftime } from "../../time/strftime.js";
import { strptime } from "../../time/strptime.js";
import { isTimeInRange } from "../../time/zone.js";
import { EvalCompileError, type FunctionSpec } from "../types.js";
import { num, scalarString, text } from "../values.js";

const relativeCache = new Map<string, RelativeTime | undefined>();

function relative(spec: string): RelativeTime | undefined {
  if (relativeCache.has(spec)) return relativeCache.get(spec);
  const rt = parseRelativeTime(spec);
  if (relativeCache.size > 1000) relativeCache.clear();
  relativeCache.set(spec, rt);
  return rt;
}

export const timeFunctions: Record<string, FunctionSpec> = {
  now: { min: 0, max: 0, compile: ({ ctx }) => () => ctx.now },
  time: { min: 0, max: 0, compile: () => () => Date.now() / 1000 },

  /** relative_time(t, "-1d@d"): null for a bad modifier or a time that is not a number. */
  relative_time: {
    min: 2,
    max: 2,
    compile: (site) => {
      const [t, s] = site.args;
      const literal = site.literal(1);
      const fixed = literal === undefined ? undefined : relative(scalarString(literal));
      if (literal !== undefined && !fixed) throw new EvalCompileError(`relative_time(): "${scalarString(literal)}" is not a relative time modifier`, site.exprs[1]!.span);
      const tz = site.ctx.tz;
      return (row) => {
        const time = num(t!(row));
        if (time === null || !isTimeInRange(time)) return null;
        const rt = fixed ?? relative(text(s!(row)) ?? "");
        if (!rt) return null;
        const out = applyRelativeTime(rt, time, tz);
        return Number.isFinite(out) ? out : null;
      };
    },
  },

  /** strftime(t, format) in the search's time zone. */
  strftime: {
    min: 2,
    max: 2,
    compile: ({ args: [t, f], ctx }) => (row) => {
      const time = num(t!(row));
      const format = text(f!(row));
      if (time === null || format === null || !isTimeInRange(time)) return null;
      return strftime(time, format, ctx.tz);
    },
  },

  /** strptime(text, format): epoch seconds, or null when the text does not match. */
  strptime: {
    min: 2,
    max: 2,
    compile: ({ args: [s, f], ctx }) => (row) => {
      const value = text(s!(row));
      const format = text(f!(row));
      if (value === null || format === null) return null;
      const t = strptime(value, format, ctx.tz);
      return t !== null && isTimeInRange(t) ? t : null;
    },
  },
};

/**
 * Time bins (`bin _time span=1h`, `tstats ... by _time span=1d`, timechart): the start of the bin
 * that holds an instant. Spans below a day are aligned to epoch 0 (UTC); spans in days, weeks,
 * months, quarters and years start at local midnight in the search's time zone, as searchbnf
 * [bin-aligntime] implies ("Ignored if span is in days/months/years": those spans have their own,
 * calendar, alignment). Multi-unit calendar spans count from 1970-01-01 on the local calendar, so
 * `span=1w` bins start on Thursdays (1970-01-01 was one), the behaviour Splunk users report for weeks.
 * UNCONFIRMED: the alignment of multi-day and multi-month spans is not documented.
 */
import { civilFromDays } from "./civil.js";
import { fromLocalFields, localTime } from "./local.js";
import type { Timespan } from "./timespan.js";

/** Sub-second units as a scale to whole units per second, so bins are computed on integers. */
const perSecond: Partial<Record<Timespan["unit"], number>> = { us: 1e6, ms: 1e3, cs: 100, ds: 10 };
const seconds: Partial<Record<Timespan["unit"], number>> = { s: 1, m: 60, h: 3600 };

/** Start (epoch seconds) of the bin of `span` containing epoch, in tz. */
export function binStart(epoch: number, span: Timespan, tz: string): number {
  const count = Math.max(1, span.count);
  const scale = perSecond[span.unit];
  // The epsilon absorbs binary noise such as 0.3 * 10 = 2.9999999999999996.
  if (scale !== undefined) return (Math.floor((epoch * scale) / count + 1e-6) * count) / scale;
  const size = seconds[span.unit];
  if (size !== undefined) return Math.floor(epoch / (size * count)) * size * count;
  const lt = localTime(epoch, tz);
  switch (span.unit) {
    case "d":
    case "w": {
      const width = span.unit === "w" ? 7 * count : count;
      const start = Math.floor(lt.days / width) * width;
      const { year, month, day } = civilFromDays(start);
      return fromLocalFields(year, month, day, 0, 0, 0, tz);
    }
    default: {
      const months = count * (span.unit === "q" ? 3 : span.unit === "y" ? 12 : 1);
      const index = (lt.year - 1970) * 12 + (lt.month - 1);
      const start = Math.floor(index / months) * months;
      const year = 1970 + Math.floor(start / 12);
      return fromLocalFields(year, start - (year - 1970) * 12 + 1, 1, 0, 0, 0, tz);
    }
  }
}

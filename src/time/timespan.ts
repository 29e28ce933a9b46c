/**
 * Time spans as Splunk writes them in `span=`, `minspan=` and relative times: a whole count and a
 * unit (`1h`, `10m`, `1mon`, `2w`, `500ms`). Unit spellings are those of the Splunk docs ("Time
 * modifiers" and the bin/timechart span options); `m` is minutes, `mon` months.
 */

export type TimeUnit = "s" | "m" | "h" | "d" | "w" | "mon" | "q" | "y" | "ms" | "us" | "cs" | "ds";

export interface Timespan {
  readonly count: number;
  readonly unit: TimeUnit;
}

const spellings: Record<TimeUnit, readonly string[]> = {
  s: ["s", "sec", "secs", "second", "seconds"],
  m: ["m", "min", "mins", "minute", "minutes"],
  h: ["h", "hr", "hrs", "hour", "hours"],
  d: ["d", "day", "days"],
  w: ["w", "week", "weeks"],
  mon: ["mon", "month", "months"],
  q: ["q", "qtr", "qtrs", "quarter", "quarters"],
  y: ["y", "yr", "yrs", "year", "years"],
  // Subsecond spans (bin/timechart "span" docs): microseconds, milliseconds, centiseconds, deciseconds.
  us: ["us"],
  ms: ["ms"],
  cs: ["cs"],
  ds: ["ds"],
};

const units = new Map<string, TimeUnit>(
  (Object.entries(spellings) as Array<[TimeUnit, readonly string[]]>).flatMap(([unit, names]) => names.map((n) => [n, unit] as const)),
);

/**
 * `1h` → { count: 1, unit: "h" }. The count is a whole number and required; the unit is required
 * (what a bare number means is up to the caller: seconds for `_time`, a plain width for numbers).
 * Units are matched case-insensitively. Anything else → undefined.
 */
export function parseTimespan(text: string): Timespan | undefined {
  const m = /^(\d+)([A-Za-z]+)$/.exec(text);
  if (!m) return undefined;
  const unit = units.get(m[2]!.toLowerCase());
  const count = Number(m[1]);
  return unit === undefined || !Number.isSafeInteger(count) ? undefined : { count, unit };
}

const fixed: Partial<Record<TimeUnit, number>> = { us: 1e-6, ms: 1e-3, cs: 1e-2, ds: 0.1, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/**
 * Length in seconds for units of fixed length; undefined for months, quarters and years (calendar
 * units). Days and weeks count 24-hour days: snapping to local midnight across DST is the caller's job.
 */
export function fixedSeconds(span: Timespan): number | undefined {
  const unit = fixed[span.unit];
  return unit === undefined ? undefined : span.count * unit;
}

/**
 * Splunk's relative time modifiers (`-70m@m`, `-1d@d+8h`, `@w1`, `now`) and the time arguments of
 * --earliest/--latest, relative_time() and schedules. Sources (reference/spl_semantics.md §6): the
 * syntax `[+|-]<time_integer><time_unit>@<time_unit>`; "If the integer is omitted, 1 is assumed";
 * "@ ... rounds down to the start of the time unit" (offset first, then snap: `-h@h` at 3:45 is 2:00);
 * snaps and offsets chain (`aligntime=@d+3h` in searchbnf [bin-aligntime]); `@w0`..`@w6` snap to the
 * most recent Sunday..Saturday, `@w` = `@w0` = `@w7`; `@q` to Jan 1/Apr 1/Jul 1/Oct 1. Calendar units
 * work on the wall clock of the search's time zone, so `@d` is local midnight on DST days too.
 */
import { daysInMonth } from "./civil.js";
import { fromLocalFields, localTime } from "./local.js";
import { strptimeExact } from "./strptime.js";
import { parseTimespan } from "./timespan.js";
import { fromLocalSeconds, isTimeInRange, offsetAt } from "./zone.js";

export type RelativeUnit = "s" | "m" | "h" | "d" | "w" | "mon" | "q" | "y";

export type RelativeStep =
  /** `-70m`, `+1d`: move by whole units. */
  | { readonly kind: "offset"; readonly amount: number; readonly unit: RelativeUnit }
  /** `@d`, `@w1`: round down to the start of the unit; weekday 0-6 for `@wN` (0 = Sunday). */
  | { readonly kind: "snap"; readonly unit: RelativeUnit; readonly weekday: number };

/** A parsed modifier: its steps in order; none for `now`. */
export interface RelativeTime {
  readonly steps: readonly RelativeStep[];
}

const relativeUnits = new Set<string>(["s", "m", "h", "d", "w", "mon", "q", "y"]);

/** A unit spelling (`m`, `mins`, `mon`, `quarters` ...) through the span parser's table. */
function unitOf(letters: string): RelativeUnit | undefined {
  const unit = parseTimespan(`1${letters}`)?.unit;
  return unit !== undefined && relativeUnits.has(unit) ? (unit as RelativeUnit) : undefined;
}

/** `now`, `-70m@m`, `-1d@d+8h`, `@w1`, `+1h`, `-h` → steps; anything else → undefined. */
export function parseRelativeTime(text: string): RelativeTime | undefined {
  const s = text.trim();
  if (s.toLowerCase() === "now") return { steps: [] };
  if (s.length === 0 || s.length > 200) return undefined;
  const steps: RelativeStep[] = [];
  const step = /([+-])(\d*)([A-Za-z]+)|@([A-Za-z]+)(\d?)/y;
  let pos = 0;
  while (pos < s.length) {
    step.lastIndex = pos;
    const m = step.exec(s);
    if (!m) return undefined;
    pos = step.lastIndex;
    if (m[1] !== undefined) {
      const unit = unitOf(m[3]!);
      const count = m[2] === "" ? 1 : Number(m[2]);
      if (!unit || !Number.isSafeInteger(count)) return undefined;
      steps.push({ kind: "offset", amount: m[1] === "-" ? -count : count, unit });
    } else {
      const unit = unitOf(m[4]!);
      if (!unit) return undefined;
      if (m[5] && unit !== "w") return undefined;
      steps.push({ kind: "snap", unit, weekday: m[5] ? Number(m[5]) % 7 : 0 });
    }
  }
  return steps.length > 0 ? { steps } : undefined;
}

const fixed: Partial<Record<RelativeUnit, number>> = { s: 1, m: 60, h: 3600 };

function offset(t: number, amount: number, unit: RelativeUnit, tz: string): number {
  const size = fixed[unit];
  if (size !== undefined) return t + amount * size;
  if (amount === 0) return t;
  const lt = localTime(t, tz);
  const fraction = t - Math.floor(t);
  let { year, month, day } = lt;
  if (unit === "d" || unit === "w") {
    day += amount * (unit === "w" ? 7 : 1);
  } else {
    // Months keep the day of the month, clamped to the target month's length (Jan 31 + 1mon = Feb 28/29).
    // UNCONFIRMED: C's mktime would roll over into March instead; Splunk's choice is not documented.
    const months = amount * (unit === "q" ? 3 : unit === "y" ? 12 : 1);
    const index = year * 12 + (month - 1) + months;
    year = Math.floor(index / 12);
    month = index - year * 12 + 1;
    day = Math.min(day, daysInMonth(year, month));
  }
  return fromLocalFields(year, month, day, lt.hour, lt.minute, lt.second, tz) + fraction;
}

function snap(t: number, unit: RelativeUnit, weekday: number, tz: string): number {
  const size = fixed[unit];
  if (size !== undefined) {
    // Round the wall clock down, keeping the instant's own offset: inside the hour repeated when
    // clocks go back, `@h` stays in the same (second) hour.
    const own = offsetAt(t, tz);
    const local = Math.floor((Math.floor(t) + own) / size) * size;
    const same = local - own;
    return offsetAt(same, tz) === own ? same : fromLocalSeconds(local, tz);
  }
  const lt = localTime(t, tz);
  switch (unit) {
    case "d": return fromLocalFields(lt.year, lt.month, lt.day, 0, 0, 0, tz);
    case "w": return fromLocalFields(lt.year, lt.month, lt.day - ((lt.weekday - weekday + 7) % 7), 0, 0, 0, tz);
    case "mon": return fromLocalFields(lt.year, lt.month, 1, 0, 0, 0, tz);
    case "q": return fromLocalFields(lt.year, Math.floor((lt.month - 1) / 3) * 3 + 1, 1, 0, 0, 0, tz);
    default: return fromLocalFields(lt.year, 1, 1, 0, 0, 0, tz);
  }
}

/** Apply a modifier to epoch seconds: each step in order, offsets and snaps on tz's wall clock. */
export function applyRelativeTime(rt: RelativeTime, epochSeconds: number, tz: string): number {
  let t = epochSeconds;
  for (const step of rt.steps) {
    if (!isTimeInRange(t)) return NaN;
    t = step.kind === "offset" ? offset(t, step.amount, step.unit, tz) : snap(t, step.unit, step.weekday, tz);
  }
  return t;
}

const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

function isoTime(s: string, tz: string): number | undefined {
  const m = iso.exec(s);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 60) return undefined;
  const fraction = m[7] ? Number(m[7]) : 0;
  const zone = m[8];
  if (zone === undefined) return fromLocalFields(year, month, day, hour, minute, second, tz) + fraction;
  const local = fromLocalFields(year, month, day, hour, minute, second, "UTC");
  if (zone.toUpperCase() === "Z") return local + fraction;
  const digits = zone.replace(":", "");
  const zoneOffset = (digits[0] === "-" ? -1 : 1) * (Number(digits.slice(1, 3)) * 3600 + Number(digits.slice(3, 5) || 0) * 60);
  return local - zoneOffset + fraction;
}

/**
 * A time argument (--earliest/--latest, dispatch times): a relative modifier applied to `now`,
 * epoch seconds ("1", "1700000000.5"), ISO-8601 ("2024-03-31T02:30:00", with or without a zone;
 * without, in tz), or Splunk's absolute default `%m/%d/%Y:%H:%M:%S` (searchbnf [timeformat]).
 */
export function parseTimeArg(text: string, now: number, tz: string): number | undefined {
  const s = text.trim();
  let t: number | undefined | null;
  if (/^[+-]?(?:\d+\.?\d*|\.\d+)$/.test(s)) t = Number(s);
  else {
    const rt = parseRelativeTime(s);
    if (rt) t = applyRelativeTime(rt, now, tz);
    else t = isoTime(s, tz) ?? strptimeExact(s, "%m/%d/%Y:%H:%M:%S", tz);
  }
  return t !== null && t !== undefined && isTimeInRange(t) ? t : undefined;
}

/**
 * Time zones by IANA name, through Node's Intl (no tz database of our own). Everything in src/time
 * works on "local seconds": the wall-clock time in the zone written as if it were UTC epoch seconds,
 * so calendar arithmetic is plain UTC arithmetic and only the two conversions here know about zones.
 */

/** Intl (and Date) accept instants within ±8.64e15 ms of the epoch. */
export const MAX_EPOCH_SECONDS = 8.64e12;

export function isTimeInRange(epochSeconds: number): boolean {
  return Number.isFinite(epochSeconds) && Math.abs(epochSeconds) <= MAX_EPOCH_SECONDS - 2 * 86400;
}

const utcNames = new Set(["UTC", "Etc/UTC", "Etc/UCT", "UCT", "GMT", "Etc/GMT", "Etc/Zulu", "Zulu", "Universal", "Etc/Universal"]);

interface Zone {
  readonly utc: boolean;
  readonly parts: Intl.DateTimeFormat | undefined;
  /** Offset by 15-minute bucket; only buckets with one offset throughout are stored. */
  readonly buckets: Map<number, number>;
  readonly names: Map<number, string>;
}

const zones = new Map<string, Zone>();

function zone(tz: string): Zone {
  let z = zones.get(tz);
  if (z) return z;
  const utc = utcNames.has(tz);
  const parts = utc
    ? undefined
    : new Intl.DateTimeFormat("en-US", {
        timeZone: tz,
        hourCycle: "h23",
        era: "short",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      });
  z = { utc, parts, buckets: new Map(), names: new Map() };
  if (zones.size > 200) zones.clear();
  zones.set(tz, z);
  return z;
}

/** True when Intl knows the zone name ("UTC", "America/New_York" ...). */
export function isValidTimeZone(tz: string): boolean {
  if (utcNames.has(tz)) return true;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Offset of a whole second, straight from Intl. */
function rawOffset(fmt: Intl.DateTimeFormat, second: number): number {
  let year = 0, month = 1, day = 1, hour = 0, minute = 0, sec = 0, bc = false;
  for (const p of fmt.formatToParts(new Date(second * 1000))) {
    switch (p.type) {
      case "year": year = Number(p.value); break;
      case "month": month = Number(p.value); break;
      case "day": day = Number(p.value); break;
      case "hour": hour = Number(p.value); break;
      case "minute": minute = Number(p.value); break;
      case "second": sec = Number(p.value); break;
      case "era": bc = p.value.startsWith("B"); break;
    }
  }
  if (bc) year = 1 - year;
  // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear does not.
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, sec, 0);
  return d.getTime() / 1000 - second;
}

/**
 * The zone's offset from UTC in seconds (east positive) at an instant: -18000 for New York in winter.
 * Cached per 15-minute bucket when the offset is the same at both ends of the bucket (a zone never
 * changes offset twice within 15 minutes), so a column of timestamps costs few Intl calls.
 */
export function offsetAt(epochSeconds: number, tz: string): number {
  const z = zone(tz);
  if (z.utc || !z.parts) return 0;
  const second = Math.floor(epochSeconds);
  const bucket = Math.floor(second / 900);
  const cached = z.buckets.get(bucket);
  if (cached !== undefined) return cached;
  const start = rawOffset(z.parts, bucket * 900);
  const end = rawOffset(z.parts, bucket * 900 + 899);
  if (start !== end) return rawOffset(z.parts, second);
  if (z.buckets.size > 100_000) z.buckets.clear();
  z.buckets.set(bucket, start);
  return start;
}

/** Wall-clock seconds of an instant ("local seconds", see the file comment). */
export function toLocalSeconds(epochSeconds: number, tz: string): number {
  return epochSeconds + offsetAt(epochSeconds, tz);
}

/**
 * The instant of a wall-clock time in the zone. A time that occurs twice (the hour repeated when
 * clocks go back) gives the earlier instant; a time skipped when clocks go forward is moved forward
 * by the gap (02:30 on a spring-forward night in New York is 03:30 EDT). This is the "compatible"
 * rule of JavaScript's Date and Temporal, and what C's mktime does with tm_isdst = -1 on glibc.
 */
export function fromLocalSeconds(localSeconds: number, tz: string): number {
  const z = zone(tz);
  if (z.utc) return localSeconds;
  const before = offsetAt(localSeconds - 86400, tz);
  const after = offsetAt(localSeconds + 86400, tz);
  const early = localSeconds - before;
  const late = localSeconds - after;
  const earlyOk = offsetAt(early, tz) === before;
  const lateOk = offsetAt(late, tz) === after;
  if (earlyOk && lateOk) return Math.min(early, late);
  if (earlyOk) return early;
  if (lateOk) return late;
  // In a gap: use the offset in force before it, which lands after the gap.
  return early;
}

const abbreviationLocales = ["en-US", "en-GB", "en-AU", "en-IN"];

/**
 * The zone's abbreviation at an instant (%Z): "EST", "CEST", "UTC". Intl only gives real
 * abbreviations for the zones of a locale's country, so several English locales are tried; a zone
 * with none (as in the tz database for much of the world) gets its numeric form, "+04" or "+0530".
 */
export function zoneAbbreviation(epochSeconds: number, tz: string): string {
  const z = zone(tz);
  if (z.utc) return tz.includes("GMT") ? "GMT" : "UTC";
  const offset = offsetAt(epochSeconds, tz);
  const known = z.names.get(offset);
  if (known !== undefined) return known;
  let name: string | undefined;
  for (const locale of abbreviationLocales) {
    const part = new Intl.DateTimeFormat(locale, { timeZone: tz, timeZoneName: "short" })
      .formatToParts(new Date(Math.floor(epochSeconds) * 1000))
      .find((p) => p.type === "timeZoneName")?.value;
    if (part && !/^(?:GMT|UTC)[+-−]/.test(part)) {
      name = part;
      break;
    }
  }
  if (name === undefined) {
    const abs = Math.abs(offset);
    const hh = String(Math.floor(abs / 3600)).padStart(2, "0");
    const mm = Math.floor((abs % 3600) / 60);
    name = `${offset < 0 ? "-" : "+"}${hh}${mm ? String(mm).padStart(2, "0") : ""}`;
  }
  z.names.set(offset, name);
  return name;
}

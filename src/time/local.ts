/**
 * An instant broken into its wall-clock fields in a time zone (what C's localtime gives), and back.
 */
import { civilFromDays, daysFromCivil, weekdayOfDays } from "./civil.js";
import { fromLocalSeconds, offsetAt } from "./zone.js";

export interface LocalTime {
  readonly year: number;
  /** 1-12 */
  readonly month: number;
  /** 1-31 */
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** 0 = Sunday ... 6 = Saturday */
  readonly weekday: number;
  /** Day of the year, 1-366. */
  readonly yearDay: number;
  /** Local day number: days since 1970-01-01 in the zone. */
  readonly days: number;
  /** Seconds east of UTC. */
  readonly offset: number;
}

/** The wall-clock fields of the whole second containing epochSeconds. */
export function localTime(epochSeconds: number, tz: string): LocalTime {
  const second = Math.floor(epochSeconds);
  const offset = offsetAt(second, tz);
  const local = second + offset;
  const days = Math.floor(local / 86400);
  const secOfDay = local - days * 86400;
  const { year, month, day } = civilFromDays(days);
  return {
    year,
    month,
    day,
    hour: Math.floor(secOfDay / 3600),
    minute: Math.floor((secOfDay % 3600) / 60),
    second: secOfDay % 60,
    weekday: weekdayOfDays(days),
    yearDay: days - daysFromCivil(year, 1, 1) + 1,
    days,
    offset,
  };
}

/** The instant of a wall-clock time (fields may overflow: day 32 is the next month's 1st). */
export function fromLocalFields(year: number, month: number, day: number, hour: number, minute: number, second: number, tz: string): number {
  // Normalise the month first so daysFromCivil sees 1-12.
  const m0 = month - 1;
  const y = year + Math.floor(m0 / 12);
  const m = m0 - Math.floor(m0 / 12) * 12 + 1;
  const local = daysFromCivil(y, m, 1) * 86400 + (day - 1) * 86400 + hour * 3600 + minute * 60 + second;
  return fromLocalSeconds(local, tz);
}

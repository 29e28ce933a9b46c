/**
 * An event's `_time` from one of its field values.
 *
 * - TIME_FORMAT `%s`, `%s.%<n>N` (the Zeek add-on's `%s.%6N`) or `%s%<n>N`: epoch seconds, with a
 *   fraction (after a dot, or the last n digits without one).
 * - No TIME_FORMAT: a number or numeric string is epoch seconds (values of 1e11 and more are taken
 *   as milliseconds, 1e14 microseconds, 1e17 nanoseconds: no event of interest is dated after year
 *   5138); otherwise ISO-8601 / RFC 3339 (`2021-06-09T20:55:13.160328Z`, `2020-09-22 18:53:31.668`,
 *   `+05:30`, `+0530`, `Z`); without a zone the time is in `timeZone` (default UTC).
 * - Any other TIME_FORMAT is read with strptime (src/time/strptime.ts, Splunk's format variables),
 *   in `timeZone` (default UTC) unless the text names its zone.
 */
import { daysFromCivil } from "../time/civil.js";
import { strptime } from "../time/strptime.js";
import { fromLocalSeconds } from "../time/zone.js";
import { type Scalar, scalarText } from "../table/value.js";

export type TimeParser = (value: Scalar) => number | undefined;

const EPOCH_FORMAT = /^%s(?:(\.)?%(\d*)N)?$/;

/** A parser for `timeFormat` (props.conf TIME_FORMAT); none given: epoch seconds or ISO-8601. */
export function timeParser(timeFormat: string | undefined, timeZone: string | undefined): TimeParser {
  if (timeFormat === undefined || timeFormat.trim() === "") return (v) => autoTime(v, timeZone);
  const m = EPOCH_FORMAT.exec(timeFormat.trim());
  if (m === null) {
    const tz = timeZone === undefined || timeZone === "" ? "UTC" : timeZone;
    return (v) => strptime(scalarText(v), timeFormat, tz) ?? undefined;
  }
  if (m[2] === undefined || m[1] === ".") return epochSeconds;
  // `%s%3N`: the last n digits are the fraction.
  const digits = m[2] === "" ? 3 : Number(m[2]);
  return (v) => {
    const text = typeof v === "number" ? String(v) : v.trim();
    if (!/^-?\d+$/.test(text) || text.replace("-", "").length <= digits) return epochSeconds(v);
    return Number(`${text.slice(0, text.length - digits)}.${text.slice(text.length - digits)}`);
  };
}

const NUMERIC = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)\s*$/;

function epochSeconds(v: Scalar): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  return NUMERIC.test(v) ? Number(v) : undefined;
}

/** Epoch seconds (with the millisecond/microsecond/nanosecond rule) or ISO-8601. */
export function autoTime(v: Scalar, timeZone?: string): number | undefined {
  const n = epochSeconds(v);
  if (n !== undefined) {
    const a = Math.abs(n);
    if (a >= 1e17) return n / 1e9;
    if (a >= 1e14) return n / 1e6;
    if (a >= 1e11) return n / 1e3;
    return n;
  }
  return typeof v === "string" ? isoTime(v, timeZone) : undefined;
}

const ISO =
  /^\s*([+-]?\d{4,6})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(?:([Zz])|(?:UTC|GMT)|([+-])(\d{2})(?::?(\d{2}))?)?\s*$/;

/** ISO-8601 date-time → epoch seconds; a time without a zone is in `timeZone` (default UTC). */
export function isoTime(text: string, timeZone?: string): number | undefined {
  const m = ISO.exec(text);
  if (m === null) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 60) return undefined;
  let whole = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  const zoned = m[8] !== undefined || m[9] !== undefined || /(?:UTC|GMT)\s*$/.test(text);
  if (m[9] !== undefined) {
    const offset = (Number(m[10]) * 3600 + Number(m[11] ?? 0) * 60) * (m[9] === "-" ? -1 : 1);
    whole -= offset;
  } else if (!zoned && timeZone !== undefined && timeZone !== "" && timeZone.toUpperCase() !== "UTC") {
    whole = fromLocalSeconds(whole, timeZone);
  }
  const fraction = m[7];
  if (fraction === undefined) return whole;
  // Read the decimal as written (1623272113.160328), not whole + 0.160328 with its rounding error.
  return whole >= 0 ? Number(`${whole}.${fraction}`) : whole + Number(`0.${fraction}`);
}

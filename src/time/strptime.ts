/**
 * strptime: text to epoch seconds with a strftime format (the variables of strftime.ts). Numbers may
 * omit leading zeros ("Leading zeros are accepted but not required", Splunk's "Date and time format
 * variables" page); a space in the format matches any run of white space, as in C's strptime. A
 * zone in the text (%z, %Z) overrides the search's zone.
 * UNCONFIRMED choices: text after the end of the format is ignored (C's strptime stops there too);
 * fields the format does not give default to 1970-01-01 00:00:00.
 */
import { daysFromCivil, daysInMonth } from "./civil.js";
import { COMPOSITE_FORMATS, MONTHS, WEEKDAYS } from "./names.js";
import { fromLocalSeconds, isValidTimeZone } from "./zone.js";

interface Fields {
  year?: number;
  century?: number;
  shortYear?: number;
  month?: number;
  day?: number;
  hour?: number;
  hour12?: number;
  pm?: boolean;
  minute?: number;
  second?: number;
  fraction?: number;
  yearDay?: number;
  epoch?: number;
  /** Seconds east of UTC, from %z or a %Z abbreviation. */
  offset?: number;
  /** An IANA zone named in the text (%Z). */
  zone?: string;
}

const composites: Readonly<Record<string, string>> = { ...COMPOSITE_FORMATS, x: "%m/%d/%Y", X: "%H:%M:%S" };

/** Abbreviations accepted by %Z, with their offsets in hours (tz database meanings, US first). */
const abbreviations: Readonly<Record<string, number>> = {
  UTC: 0, UT: 0, GMT: 0, Z: 0, WET: 0,
  EST: -5, EDT: -4, CST: -6, CDT: -5, MST: -7, MDT: -6, PST: -8, PDT: -7, AKST: -9, AKDT: -8, HST: -10,
  BST: 1, CET: 1, CEST: 2, WEST: 1, EET: 2, EEST: 3, MSK: 3, IST: 5.5, JST: 9, KST: 9,
  AEST: 10, AEDT: 11, ACST: 9.5, ACDT: 10.5, AWST: 8, NZST: 12, NZDT: 13,
};

const isSpace = (c: string | undefined): boolean => c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f" || c === "\v";

class Reader {
  pos = 0;
  constructor(readonly text: string) {}
  skipSpace(): void {
    while (isSpace(this.text[this.pos])) this.pos++;
  }
  /** 1..max digits (after optional white space), or undefined. */
  digits(max: number, signed = false): { value: number; length: number } | undefined {
    this.skipSpace();
    let sign = 1;
    if (signed && (this.text[this.pos] === "-" || this.text[this.pos] === "+")) {
      sign = this.text[this.pos] === "-" ? -1 : 1;
      this.pos++;
    }
    const start = this.pos;
    while (this.pos - start < max && /[0-9]/.test(this.text[this.pos] ?? "")) this.pos++;
    if (this.pos === start) return undefined;
    return { value: sign * Number(this.text.slice(start, this.pos)), length: this.pos - start };
  }
  /** The longest of the names (case-insensitive) at the current position; its index. */
  name(names: readonly string[]): number | undefined {
    let best: number | undefined;
    let bestLength = 0;
    const rest = this.text.slice(this.pos, this.pos + 12).toLowerCase();
    names.forEach((n, i) => {
      if (n.length > bestLength && rest.startsWith(n.toLowerCase())) (best = i, bestLength = n.length);
    });
    if (best !== undefined) this.pos += bestLength;
    return best;
  }
}

const monthNames = [...MONTHS, ...MONTHS.map((m) => m.slice(0, 3))];
const weekdayNames = [...WEEKDAYS, ...WEEKDAYS.map((d) => d.slice(0, 3))];

function inRange(v: number | undefined, lo: number, hi: number): v is number {
  return v !== undefined && v >= lo && v <= hi;
}

/** One %variable; false when the text does not match it. */
function variable(code: string, width: number | undefined, r: Reader, f: Fields): boolean {
  const num = (max: number, lo: number, hi: number): number | undefined => {
    const d = r.digits(max);
    return d && inRange(d.value, lo, hi) ? d.value : undefined;
  };
  switch (code) {
    case "Y": return (f.year = r.digits(4, true)?.value) !== undefined;
    case "y": return (f.shortYear = num(2, 0, 99)) !== undefined;
    case "C": return (f.century = num(2, 0, 99)) !== undefined;
    case "m": return (f.month = num(2, 1, 12)) !== undefined;
    case "d":
    case "e": return (f.day = num(2, 1, 31)) !== undefined;
    case "H":
    case "k": return (f.hour = num(2, 0, 23)) !== undefined;
    case "I":
    case "l": return (f.hour12 = num(2, 1, 12)) !== undefined;
    case "M": return (f.minute = num(2, 0, 59)) !== undefined;
    case "S": return (f.second = num(2, 0, 60)) !== undefined;
    case "j": return (f.yearDay = num(3, 1, 366)) !== undefined;
    case "s": return (f.epoch = r.digits(15, true)?.value) !== undefined;
    case "N":
    case "Q":
    case "f": {
      const max = code === "f" ? 6 : Math.min(width ?? (code === "N" ? 9 : 3), 9);
      const start = r.pos;
      while (r.pos - start < max && /[0-9]/.test(r.text[r.pos] ?? "")) r.pos++;
      if (r.pos === start) return false;
      f.fraction = Number(`0.${r.text.slice(start, r.pos)}`);
      return true;
    }
    case "p": {
      r.skipSpace();
      const i = r.name(["AM", "PM"]);
      if (i === undefined) return false;
      f.pm = i === 1;
      return true;
    }
    case "b":
    case "B":
    case "h": {
      r.skipSpace();
      const i = r.name(monthNames);
      if (i === undefined) return false;
      f.month = (i % 12) + 1;
      return true;
    }
    case "a":
    case "A":
      r.skipSpace();
      return r.name(weekdayNames) !== undefined;
    case "u":
    case "w": return num(1, 0, 7) !== undefined;
    case "U":
    case "W":
    case "V": return num(2, 0, 53) !== undefined;
    case "G": return r.digits(4) !== undefined;
    case "g": return r.digits(2) !== undefined;
    case "z": return zoneOffset(r, f);
    case "Ez": {
      const d = r.digits(4, true);
      if (!d) return false;
      f.offset = d.value * 60;
      return true;
    }
    case "Z": return zoneName(r, f);
    case "n":
    case "t":
      r.skipSpace();
      return true;
    case "%": return r.text[r.pos] === "%" ? (r.pos++, true) : false;
    default: return false;
  }
}

/** %z: Z, +hh, +hhmm, +hh:mm (and +hh:mm:ss). */
function zoneOffset(r: Reader, f: Fields): boolean {
  r.skipSpace();
  const m = /^(?:Z|([+-])(\d\d)(?::?(\d\d)(?::?(\d\d))?)?)/.exec(r.text.slice(r.pos, r.pos + 12));
  if (!m) return false;
  r.pos += m[0].length;
  f.offset = m[1] ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0)) : 0;
  return true;
}

/** %Z: an abbreviation (EST, CEST, UTC), an IANA name (America/New_York), or a numeric offset. */
function zoneName(r: Reader, f: Fields): boolean {
  r.skipSpace();
  if (r.text[r.pos] === "+" || r.text[r.pos] === "-") return zoneOffset(r, f);
  const m = /^[A-Za-z][A-Za-z0-9_/+-]*/.exec(r.text.slice(r.pos, r.pos + 40));
  if (!m) return false;
  const word = m[0];
  const hours = abbreviations[word.toUpperCase()];
  if (hours !== undefined) {
    f.offset = hours * 3600;
  } else if (word.includes("/") && isValidTimeZone(word)) {
    f.zone = word;
  } else {
    return false;
  }
  r.pos += word.length;
  return true;
}

/** Match format against text from the start; the fields read and where the match ended. */
function match(text: string, format: string, depth = 0): { fields: Fields; end: number } | undefined {
  const r = new Reader(text);
  const fields: Fields = {};
  if (!matchInto(r, format, fields, depth)) return undefined;
  return { fields, end: r.pos };
}

function matchInto(r: Reader, format: string, f: Fields, depth: number): boolean {
  let i = 0;
  while (i < format.length) {
    const ch = format[i]!;
    if (ch !== "%") {
      if (isSpace(ch)) r.skipSpace();
      else if (r.text[r.pos] === ch) r.pos++;
      else return false;
      i++;
      continue;
    }
    let j = i + 1;
    let digits = "";
    while (j < format.length && j < i + 3 && /[0-9]/.test(format[j]!)) digits += format[j++];
    while (format[j] === ":") j++;
    let code = format[j] ?? "";
    if (code === "E" && format[j + 1] === "z") (code = "Ez", j++);
    const composite = composites[code];
    if (composite !== undefined) {
      if (depth > 2 || !matchInto(r, composite, f, depth + 1)) return false;
    } else if (!variable(code, digits ? Number(digits) : undefined, r, f)) {
      return false;
    }
    i = j + 1;
  }
  return true;
}

function toEpoch(f: Fields, tz: string): number | null {
  const fraction = f.fraction ?? 0;
  if (f.epoch !== undefined) return f.epoch + fraction;
  let year = f.year ?? 1970;
  if (f.year === undefined && (f.shortYear !== undefined || f.century !== undefined)) {
    const yy = f.shortYear ?? 0;
    // POSIX: %y 69-99 are 1969-1999, 00-68 are 2000-2068, unless %C gives the century.
    year = f.century !== undefined ? f.century * 100 + yy : yy >= 69 ? 1900 + yy : 2000 + yy;
  }
  let month = f.month ?? 1;
  let day = f.day ?? 1;
  if (f.yearDay !== undefined && f.month === undefined && f.day === undefined) {
    const days = daysFromCivil(year, 1, 1) + f.yearDay - 1;
    if (days >= daysFromCivil(year + 1, 1, 1)) return null;
    month = 1;
    day = f.yearDay;
  } else if (day > daysInMonth(year, month)) {
    return null;
  }
  let hour = f.hour ?? 0;
  if (f.hour12 !== undefined) hour = (f.hour12 % 12) + (f.pm ? 12 : 0);
  else if (f.pm !== undefined && f.hour !== undefined && f.pm && hour < 12) hour += 12;
  const local = daysFromCivil(year, month, 1) * 86400 + (day - 1) * 86400 + hour * 3600 + (f.minute ?? 0) * 60 + (f.second ?? 0);
  const epoch = f.offset !== undefined ? local - f.offset : fromLocalSeconds(local, f.zone ?? tz);
  return epoch + fraction;
}

/**
 * Parse text with a strftime format in the time zone tz (overridden by a zone in the text).
 * Null when the text does not match the format or names an impossible date.
 * strptime("2020-06-05T14:39:59", "%Y-%m-%dT%H:%M:%S", "UTC") = 1591367999.
 */
export function strptime(text: string, format: string, tz: string): number | null {
  const m = match(text, format);
  return m ? toEpoch(m.fields, tz) : null;
}

/** strptime that also requires the whole text (but trailing white space) to be consumed. */
export function strptimeExact(text: string, format: string, tz: string): number | null {
  const m = match(text, format);
  if (!m || text.slice(m.end).trim() !== "") return null;
  return toEpoch(m.fields, tz);
}

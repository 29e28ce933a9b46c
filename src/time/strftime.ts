/**
 * strftime with Splunk's variable set, in the search's time zone.
 * Source: "Date and time format variables",
 * https://help.splunk.com/en/splunk-enterprise/spl-search-reference/9.3/time-format-variables-and-modifiers
 * (and its SPL2 twin "Using time variables"): %N is "the number of subsecond digits. The default is
 * %9N"; %Q is the subsecond component "The default is milliseconds, %3Q"; %Ez is "Splunk-specific,
 * timezone in minutes"; %z has the %:z, %::z and %:::z forms; the rest are C's.
 * Locale-dependent variables use the doc's US English examples: %c "Thu Jul 18 09:30:00 2019",
 * %+ "Thu Jul 18 09:30:00 PDT 2019", %x "7/13/2019", %X "9:30:00".
 */
import { daysFromCivil, isLeapYear, weekdayOfDays } from "./civil.js";
import { localTime, type LocalTime } from "./local.js";
import { COMPOSITE_FORMATS, MONTHS, WEEKDAYS } from "./names.js";
import { zoneAbbreviation } from "./zone.js";

export { strptime } from "./strptime.js";


/** A piece of a compiled format: literal text, or a variable with its width digits and colons. */
type Piece = string | { readonly code: string; readonly width: number | undefined; readonly colons: number };

const compiled = new Map<string, readonly Piece[]>();

const composites = COMPOSITE_FORMATS;

const simpleCodes = new Set("aAbBCdefgGhHIjklmMnNpQsStuUVwWxXyYzZ%".split(""));

function compile(format: string): readonly Piece[] {
  const hit = compiled.get(format);
  if (hit) return hit;
  const pieces: Piece[] = [];
  let text = "";
  let i = 0;
  while (i < format.length) {
    const ch = format[i]!;
    if (ch !== "%") {
      text += ch;
      i++;
      continue;
    }
    // %[digits][colons][E]code
    let j = i + 1;
    let digits = "";
    while (j < format.length && j < i + 4 && /[0-9]/.test(format[j]!)) digits += format[j++];
    let colons = 0;
    while (j < format.length && colons < 3 && format[j] === ":") (colons++, j++);
    let code = format[j] ?? "";
    if (code === "E" && format[j + 1] === "z") (code = "Ez", j++);
    const composite = composites[code];
    if (composite !== undefined && !digits && !colons) {
      if (text) pieces.push(text);
      pieces.push(...compile(composite));
      text = "";
    } else if ((simpleCodes.has(code) || code === "Ez") && (colons === 0 || code === "z")) {
      if (text) pieces.push(text);
      text = "";
      pieces.push({ code, width: digits ? Number(digits) : undefined, colons });
    } else {
      // Unknown variable: written as it stands, as C's strftime does.
      text += format.slice(i, j + 1);
    }
    i = j + 1;
  }
  if (text) pieces.push(text);
  if (compiled.size > 1000) compiled.clear();
  compiled.set(format, pieces);
  return pieces;
}

const pad = (n: number, width: number, fill = "0"): string => {
  const s = String(Math.abs(n));
  return (n < 0 ? "-" : "") + (s.length >= width ? s : fill.repeat(width - s.length) + s);
};

/**
 * The digits after the decimal point of t, as many as known (no rounding up past the value written):
 * 1591367999.305988 gives "305988", so %9N is "305988000" and not binary noise.
 */
function fractionDigits(t: number): string {
  const s = String(t);
  if (t >= 0 && !s.includes("e")) {
    const dot = s.indexOf(".");
    return dot < 0 ? "" : s.slice(dot + 1);
  }
  const ns = Math.min(999_999_999, Math.round((t - Math.floor(t)) * 1e9));
  return String(ns).padStart(9, "0");
}

function subseconds(t: number, width: number): string {
  const w = Math.min(Math.max(width, 1), 9);
  return (fractionDigits(t) + "000000000").slice(0, w);
}

/** ISO 8601 week-based year and week number (%G, %V). */
function isoWeek(lt: LocalTime): { year: number; week: number } {
  const isoWeekday = lt.weekday === 0 ? 7 : lt.weekday;
  const week = Math.floor((lt.yearDay - isoWeekday + 10) / 7);
  if (week < 1) return { year: lt.year - 1, week: isoWeeksInYear(lt.year - 1) };
  if (week > isoWeeksInYear(lt.year)) return { year: lt.year + 1, week: 1 };
  return { year: lt.year, week };
}

function isoWeeksInYear(year: number): number {
  const jan1 = weekdayOfDays(daysFromCivil(year, 1, 1));
  return jan1 === 4 || (jan1 === 3 && isLeapYear(year)) ? 53 : 52;
}

function offsetText(offset: number, colons: number): string {
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  const hh = pad(Math.floor(abs / 3600), 2);
  const mm = pad(Math.floor((abs % 3600) / 60), 2);
  const ss = pad(abs % 60, 2);
  switch (colons) {
    case 0:
      return `${sign}${hh}${mm}`;
    case 1:
      return `${sign}${hh}:${mm}`;
    case 2:
      return `${sign}${hh}:${mm}:${ss}`;
    default:
      // %:::z: "only hours" (GNU date keeps the minutes when they are not zero).
      return mm === "00" ? `${sign}${hh}` : `${sign}${hh}:${mm}`;
  }
}

function variable(code: string, width: number | undefined, colons: number, t: number, lt: LocalTime, tz: string): string {
  const hour12 = lt.hour % 12 === 0 ? 12 : lt.hour % 12;
  switch (code) {
    case "a": return WEEKDAYS[lt.weekday]!.slice(0, 3);
    case "A": return WEEKDAYS[lt.weekday]!;
    case "b":
    case "h": return MONTHS[lt.month - 1]!.slice(0, 3);
    case "B": return MONTHS[lt.month - 1]!;
    case "C": return pad(Math.floor(lt.year / 100), 2);
    case "d": return pad(lt.day, 2);
    case "e": return pad(lt.day, 2, " ");
    case "f": return subseconds(t, 6);
    case "g": return pad(((isoWeek(lt).year % 100) + 100) % 100, 2);
    case "G": return String(isoWeek(lt).year);
    case "H": return pad(lt.hour, 2);
    case "I": return pad(hour12, 2);
    case "j": return pad(lt.yearDay, 3);
    case "k": return pad(lt.hour, 2, " ");
    case "l": return pad(hour12, 2, " ");
    case "m": return pad(lt.month, 2);
    case "M": return pad(lt.minute, 2);
    case "n": return "\n";
    case "N": return subseconds(t, width ?? 9);
    case "Q": return subseconds(t, width ?? 3);
    case "p": return lt.hour < 12 ? "AM" : "PM";
    case "s": return String(Math.floor(t));
    case "S": return pad(lt.second, 2);
    case "t": return "\t";
    case "u": return String(lt.weekday === 0 ? 7 : lt.weekday);
    case "U": return pad(Math.floor((lt.yearDay - 1 + 7 - lt.weekday) / 7), 2);
    case "V": return pad(isoWeek(lt).week, 2);
    case "w": return String(lt.weekday);
    case "W": return pad(Math.floor((lt.yearDay - 1 + 7 - ((lt.weekday + 6) % 7)) / 7), 2);
    case "x": return `${lt.month}/${lt.day}/${lt.year}`;
    case "X": return `${lt.hour}:${pad(lt.minute, 2)}:${pad(lt.second, 2)}`;
    case "y": return pad(((lt.year % 100) + 100) % 100, 2);
    case "Y": return String(lt.year);
    case "z": return offsetText(lt.offset, colons);
    // UNCONFIRMED: the doc says only "timezone in minutes"; written signed, as %z is: "-300", "+60".
    case "Ez": return `${lt.offset < 0 ? "-" : "+"}${Math.floor(Math.abs(lt.offset) / 60)}`;
    case "Z": return zoneAbbreviation(t, tz);
    case "%": return "%";
    default: return `%${code}`;
  }
}

/**
 * Render epoch seconds (fractions allowed) with a strftime format in the IANA time zone tz.
 * strftime(0, "%Y-%m-%dT%H:%M:%S", "UTC") = "1970-01-01T00:00:00". The caller checks that
 * epochSeconds is finite and within Date's range (isTimeInRange).
 */
export function strftime(epochSeconds: number, format: string, tz: string): string {
  const pieces = compile(format);
  const lt = localTime(epochSeconds, tz);
  let out = "";
  for (const p of pieces) out += typeof p === "string" ? p : variable(p.code, p.width, p.colons, epochSeconds, lt, tz);
  return out;
}

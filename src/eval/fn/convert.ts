/**
 * Conversion functions tostring() and tonumber() (searchbnf [eval-function] examples in
 * reference/spl_semantics.md §4.7): `tostring(1==1)` = "True", `tostring(15,"hex")` = "0xF",
 * `tostring(12345.6789,"commas")` = "12,345.68", `tonumber("0A4",16)` = 164.
 */
import { numberText, scalarNumber, type Scalar } from "../../table/value.js";
import { EvalCompileError, type FunctionSpec } from "../types.js";
import { mapValues, num, scalarString, text } from "../values.js";
import { round } from "./math.js";

const formats = new Set(["hex", "commas", "duration"]);

function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/**
 * "commas": thousands separators; a number with decimals is rounded to two ("12,345.68").
 * UNCONFIRMED: whether 1234.5 prints as "1,234.50" (printf's %.2f, chosen here) or "1,234.5".
 */
function commas(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1e21) return numberText(n);
  const sign = n < 0 ? "-" : "";
  if (Number.isInteger(abs)) return sign + group(abs.toFixed(0));
  const [whole, fraction] = round(abs, 2).toFixed(2).split(".");
  return `${sign}${group(whole!)}.${fraction}`;
}

/**
 * "duration": seconds as [D+]HH:MM:SS, the format `convert dur2sec` reads ("[D+]HH:MM:SS").
 * UNCONFIRMED: fractions of a second are written as .ffffff (microseconds).
 */
function duration(n: number): string {
  const sign = n < 0 ? "-" : "";
  const micros = Math.round(Math.abs(n) * 1e6);
  const whole = Math.floor(micros / 1e6);
  const fraction = micros - whole * 1e6;
  const days = Math.floor(whole / 86400);
  const pad = (x: number) => String(x).padStart(2, "0");
  let out = `${pad(Math.floor((whole % 86400) / 3600))}:${pad(Math.floor((whole % 3600) / 60))}:${pad(whole % 60)}`;
  if (days > 0) out = `${days}+${out}`;
  if (fraction > 0) out += `.${String(fraction).padStart(6, "0")}`;
  return sign + out;
}

function hex(n: number): string {
  const t = Math.trunc(n);
  return `${t < 0 ? "-" : ""}0x${Math.abs(t).toString(16).toUpperCase()}`;
}

function format(s: Scalar, how: string): string | null {
  const n = scalarNumber(s);
  if (n === null) return null;
  switch (how) {
    case "hex": return hex(n);
    case "commas": return commas(n);
    case "duration": return duration(n);
    default: return null;
  }
}

/** Text in a base (2-36) as a number; base 10 takes decimals and exponents; null when it is not one. */
export function parseInBase(s: Scalar, base: number): number | null {
  if (base === 10) return scalarNumber(s);
  let t = scalarString(s).trim();
  let sign = 1;
  if (t.startsWith("-") || t.startsWith("+")) (sign = t[0] === "-" ? -1 : 1, t = t.slice(1));
  if (base === 16 && /^0x/i.test(t)) t = t.slice(2);
  if (t === "" || !/^[0-9a-z]+$/i.test(t)) return null;
  for (const c of t.toLowerCase()) if (parseInt(c, 36) >= base) return null;
  return sign * parseInt(t, base);
}

export const convertFunctions: Record<string, FunctionSpec> = {
  /** tostring(x[, "hex"|"commas"|"duration"]): booleans are "True"/"False". */
  tostring: {
    min: 1,
    max: 2,
    compile: (site) => {
      const [a, f] = site.args;
      const literal = site.literal(1);
      if (literal !== undefined && !formats.has(scalarString(literal))) {
        throw new EvalCompileError(`tostring(): unknown format "${scalarString(literal)}" (expected "hex", "commas" or "duration")`, site.exprs[1]!.span);
      }
      return (row) => {
        const v = a!(row);
        if (typeof v === "boolean") return v ? "True" : "False";
        if (!f) return mapValues(v, scalarString);
        const how = text(f(row));
        return how === null ? null : mapValues(v, (s) => format(s, how));
      };
    },
  },

  /** tonumber(x[, base]): null when x is not a number in that base (2-36, default 10). */
  tonumber: {
    min: 1,
    max: 2,
    compile: ({ args: [a, b] }) => (row) => {
      const v = a!(row);
      const base = b ? num(b(row)) : 10;
      if (typeof v === "boolean" || base === null || !Number.isInteger(base) || base < 2 || base > 36) return null;
      return mapValues(v, (s) => parseInBase(s, base));
    },
  },
};

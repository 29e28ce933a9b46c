/**
 * Numbers as MLTK's Python prints them. MLTK builds its output text with `str()` and `'{}'.format()`
 * of Python floats, numpy float64 and numpy int64 values, and rounds boundaries with `round(x, 4)`,
 * which is correctly rounded for Python floats but multiply-rint-divide for numpy scalars. These
 * helpers reproduce each, so `BoundaryRanges`, `_th=` column names and summaries read as in Splunk.
 */

/** Python `repr(float)` / numpy `str(float64)`: shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mant, expText] = x.toExponential().split("e") as [string, string];
  const exp = Number(expText);
  const negative = mant.startsWith("-");
  const digits = mant.replace("-", "").replace(".", "");
  const sign = negative ? "-" : "";
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp) < 10 ? `0${Math.abs(exp)}` : String(Math.abs(exp));
    return `${sign}${m}e${exp < 0 ? "-" : "+"}${e}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${sign}${digits}${"0".repeat(exp + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/** A number as a Python int prints (numpy int64 values such as the training minimum of integer data). */
export function pyInt(x: number): string {
  return Object.is(x, -0) ? "0" : String(x);
}

/** MLTK's `safe_str_infinity`: ±Infinity spelled out, other values as Python prints them. */
export function safeStrInfinity(x: PyNumber): string {
  if (x.value === Infinity) return "Infinity";
  if (x.value === -Infinity) return "-Infinity";
  return pyText(x);
}

/** A value with the Python type it has in MLTK (an int prints without ".0"). */
export interface PyNumber {
  readonly value: number;
  readonly int: boolean;
}

export const pyf = (value: number): PyNumber => ({ value, int: false });
export const pyi = (value: number): PyNumber => ({ value, int: true });

export function pyText(x: PyNumber): string {
  return x.int && Number.isFinite(x.value) ? pyInt(x.value) : pyFloat(x.value);
}

/** Round half to even (C rint). */
export function rint(x: number): number {
  if (!Number.isFinite(x)) return x;
  const f = Math.floor(x);
  const d = x - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/** numpy `round(x, 4)` of a float64: rint(x * 10^4) / 10^4 (ints stay ints). */
export function npRound4(x: PyNumber): PyNumber {
  if (x.int || !Number.isFinite(x.value)) return x;
  const y = rint(x.value * 10000) / 10000;
  // numpy keeps the sign of a negative value rounded to zero.
  return pyf(y === 0 && (x.value < 0 || Object.is(x.value, -0)) ? -0 : y);
}

/** Python `round(x, 4)` of a float: the exact binary value correctly rounded, ties to even. */
export function pyRound4(x: PyNumber): PyNumber {
  if (x.int || !Number.isFinite(x.value)) return x;
  const v = x.value;
  let r = Number(v.toFixed(4));
  // toFixed rounds exact ties away from zero; Python rounds them to even. A value is exactly
  // halfway between two 4-decimal numbers only when it is an odd multiple of 1/32.
  if (Number.isInteger(v * 32) && !Number.isInteger(v * 16)) {
    const scaled = v * 10000; // exact: v is a multiple of 1/32 well inside the double range
    const even = rint(scaled);
    r = even / 10000;
  }
  return pyf(r === 0 && (v < 0 || Object.is(v, -0)) ? -0 : r);
}

/** Python `json.dumps` of a plain value (separators ", " and ": ", non-ASCII escaped). */
export function pyJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (Number.isInteger(value) && Math.abs(value) < 2 ** 53) return String(value);
    if (Number.isNaN(value)) return "NaN";
    if (value === Infinity) return "Infinity";
    if (value === -Infinity) return "-Infinity";
    return pyFloat(value);
  }
  if (typeof value === "string") {
    let out = '"';
    for (const ch of value) {
      const c = ch.codePointAt(0)!;
      if (ch === '"') out += '\\"';
      else if (ch === "\\") out += "\\\\";
      else if (ch === "\n") out += "\\n";
      else if (ch === "\r") out += "\\r";
      else if (ch === "\t") out += "\\t";
      else if (ch === "\b") out += "\\b";
      else if (ch === "\f") out += "\\f";
      else if (c < 0x20 || c > 0x7e) {
        if (c > 0xffff) {
          const s = c - 0x10000;
          out += `\\u${(0xd800 + (s >> 10)).toString(16).padStart(4, "0")}\\u${(0xdc00 + (s & 0x3ff)).toString(16).padStart(4, "0")}`;
        } else out += `\\u${c.toString(16).padStart(4, "0")}`;
      } else out += ch;
    }
    return out + '"';
  }
  if (Array.isArray(value)) return `[${value.map(pyJson).join(", ")}]`;
  if (typeof value === "object") {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${pyJson(k)}: ${pyJson(v)}`)
      .join(", ")}}`;
  }
  return pyJson(String(value));
}

const PY_FLOAT = /^[+-]?(?:(?:\d(?:_?\d)*)?\.\d(?:_?\d)*|\d(?:_?\d)*\.?)(?:[eE][+-]?\d(?:_?\d)*)?$/;
const PY_SPECIAL = /^[+-]?(?:inf|infinity|nan)$/i;

/** Python `float(text)`: surrounding whitespace allowed, underscores between digits, inf/nan; undefined if invalid. */
export function parsePyFloat(text: string): number | undefined {
  const t = text.trim();
  if (PY_SPECIAL.test(t)) {
    const neg = t.startsWith("-");
    if (/nan/i.test(t)) return NaN;
    return neg ? -Infinity : Infinity;
  }
  if (!PY_FLOAT.test(t)) return undefined;
  return Number(t.replace(/_/g, ""));
}

const PY_INT = /^[+-]?\d(?:_?\d)*$/;

/** Python `int(text)` for values a JavaScript number holds exactly; undefined if invalid. */
export function parsePyInt(text: string): number | undefined {
  const t = text.trim();
  if (!PY_INT.test(t)) return undefined;
  const n = Number(t.replace(/_/g, ""));
  return Number.isSafeInteger(n) ? n : undefined;
}

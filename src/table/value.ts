/**
 * A field's value in one result row, as Splunk has it: absent, one value, or a multivalue.
 * Extracted values are strings; numbers appear where a value was computed or read as a number
 * (JSON numbers, eval arithmetic). Splunk decides numeric-ness at use, so do the helpers here.
 */
export type Scalar = string | number;

/** Two or more values (a multivalue field). One value is a Scalar, none is null. */
export type MultiValue = readonly Scalar[];

export type Value = null | Scalar | MultiValue;

export function isMulti(v: Value): v is MultiValue {
  return Array.isArray(v);
}

/** The values of a field as a list: [] for null, [v] for a single value. */
export function valuesOf(v: Value): readonly Scalar[] {
  if (v === null) return [];
  return Array.isArray(v) ? v : [v as Scalar];
}

/** Normalise a list of values: none is null, one is that value, more is a multivalue. */
export function fromValues(values: readonly Scalar[]): Value {
  if (values.length === 0) return null;
  if (values.length === 1) return values[0]!;
  return values;
}

/** How Splunk prints a number: integers without a fraction, others in shortest round-trip form. */
export function numberText(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "Infinity";
  if (n === -Infinity) return "-Infinity";
  return String(n);
}

export function scalarText(v: Scalar): string {
  return typeof v === "number" ? numberText(v) : v;
}

/** A value as one string (a multivalue joined by newlines, as Splunk displays it); null stays null. */
export function valueText(v: Value): string | null {
  if (v === null) return null;
  if (Array.isArray(v)) return v.map(scalarText).join("\n");
  return scalarText(v as Scalar);
}

const numeric = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** The number a scalar stands for, or null when it is not numeric ("445" → 445, "0x1F" → null). */
export function scalarNumber(v: Scalar): number | null {
  if (typeof v === "number") return v;
  return isNumeric(v) ? Number(v) : null;
}

/**
 * Whether text matches `numeric`. Text of printable ASCII characters without spaces (almost every
 * value tested) is read by hand, several times faster than the regular expression, which then
 * means [+-]?(digits[.digits] | .digits)([eE][+-]?digits)?; text with spaces (ASCII or Unicode) or
 * other characters goes to the regular expression.
 */
function isNumeric(text: string): boolean {
  const n = text.length;
  for (let j = 0; j < n; j++) if (!isPlainSymbol(text.charCodeAt(j))) return numeric.test(text);
  let i = 0;
  const digits = (): number => {
    const start = i;
    while (i < n && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
    return i - start;
  };
  const sign = (): void => {
    const c = text.charCodeAt(i);
    if (c === 0x2b || c === 0x2d) i++;
  };
  sign();
  const whole = digits();
  const fraction = text.charCodeAt(i) === 0x2e ? (i++, digits()) : 0;
  if (whole === 0 && fraction === 0) return false;
  const c = text.charCodeAt(i);
  if (c === 0x65 || c === 0x45) {
    i++;
    sign();
    if (digits() === 0) return false;
  }
  return i === n;
}

/** A printable ASCII character other than a space: never part of what `numeric` reads as space. */
function isPlainSymbol(c: number): boolean {
  return c > 0x20 && c < 0x7f;
}

/** A single value's number; null for absent, multivalue or non-numeric values. */
export function toNumber(v: Value): number | null {
  if (v === null || Array.isArray(v)) return null;
  return scalarNumber(v as Scalar);
}

/**
 * Whether a test's results pass. contentctl's rule (security_content.md §6) is the default: at
 * least one row; with `rba:`, every risk-object field present and non-null in every row and each
 * threat-object field non-null in at least one row (the text "null", which `tstats
 * fillnull_value=null` writes, counts as null, as contentctl's check does). A test may replace "at
 * least one row" by an exact count or by none, and add rows that must be present or absent.
 *
 * Row patterns: `field: value` where the value is text with `*` wildcards (case-sensitive, whole
 * value), a number (compared as Splunk prints it), a list (a multivalue, its values in order), or
 * null (the field is absent). A scalar matches a multivalue field when one of its values matches.
 * `_time` also matches as ISO-8601 (`2024-02-28T10:00:00`) in the test's time zone.
 */
import type { Table } from "../table/table.js";
import { numberText, scalarText, valuesOf, type Value } from "../table/value.js";
import { strftime } from "../time/strftime.js";
import type { Expectation, PatternValue, RiskSpec, RowPattern } from "./model.js";

/** Rows named in messages at most. */
const MAX_ROWS_SHOWN = 5;
/** Rows compared against a pattern at most, when looking for the nearest one. */
const MAX_ROWS_SCANNED = 100_000;

/** Why a test without an exact count fails when nothing came back (an Elastic rule's test says it in its terms). */
export const NO_ROWS = "the search returned no rows (contentctl's rule: at least one)";

export function checkResults(table: Table, expect: Expectation | undefined, risk: RiskSpec | undefined, tz: string, noRows = NO_ROWS): string[] {
  const reasons: string[] = [];
  const n = table.length;
  if (expect?.none || expect?.rows === 0) {
    if (n > 0) reasons.push(`expected no rows, got ${n}:${rowsPreview(table, tz)}`);
  } else if (expect?.rows !== undefined) {
    if (n !== expect.rows) reasons.push(`expected ${expect.rows} row${expect.rows === 1 ? "" : "s"}, got ${n}${n > 0 ? `:${rowsPreview(table, tz)}` : ""}`);
  } else if (n === 0) {
    reasons.push(noRows);
  }
  if (n > 0 && risk?.origin === "rba") reasons.push(...checkRiskFields(table, risk));
  for (const pattern of expect?.present ?? []) {
    if (findRow(table, pattern, tz) === undefined) reasons.push(missingRow(table, pattern, tz));
  }
  for (const pattern of expect?.absent ?? []) {
    const row = findRow(table, pattern, tz);
    if (row !== undefined) reasons.push(`row ${row + 1} should not be there: it matches ${showPattern(pattern)}:\n  ${showRow(table, row, tz)}`);
  }
  return reasons;
}

export function isNullValue(v: Value): boolean {
  const values = valuesOf(v);
  return values.length === 0 || values.every((x) => typeof x === "string" && (x === "" || x === "null"));
}

function checkRiskFields(table: Table, risk: RiskSpec): string[] {
  const reasons: string[] = [];
  const fields = table.fields().filter((f) => !f.startsWith("_") || f === "_time");
  const notProduced = (kind: string, field: string) =>
    `${kind} field ${field} is not a field of the results; the search does not produce it (result fields: ${fields.join(", ") || "none"})`;
  for (const o of risk.riskObjects) {
    if (!table.has(o.field)) {
      reasons.push(notProduced("risk object", o.field));
      continue;
    }
    const nulls: number[] = [];
    for (let row = 0; row < table.length && row < MAX_ROWS_SCANNED; row++) if (isNullValue(table.get(row, o.field))) nulls.push(row + 1);
    if (nulls.length > 0) {
      const shown = nulls.slice(0, MAX_ROWS_SHOWN).join(", ") + (nulls.length > MAX_ROWS_SHOWN ? ` and ${nulls.length - MAX_ROWS_SHOWN} more` : "");
      reasons.push(`risk object field ${o.field} is null in row${nulls.length === 1 ? "" : "s"} ${shown} of ${table.length} (every row needs it)`);
    }
  }
  for (const o of risk.threatObjects) {
    if (!table.has(o.field)) {
      reasons.push(notProduced("threat object", o.field));
      continue;
    }
    let found = false;
    for (let row = 0; row < table.length && row < MAX_ROWS_SCANNED && !found; row++) found = !isNullValue(table.get(row, o.field));
    if (!found) reasons.push(`threat object field ${o.field} is null in every row (at least one row needs it)`);
  }
  return reasons;
}

/** The first row matching the pattern, or undefined. */
export function findRow(table: Table, pattern: RowPattern, tz: string): number | undefined {
  for (let row = 0; row < table.length && row < MAX_ROWS_SCANNED; row++) {
    if (Object.entries(pattern).every(([f, p]) => matchValue(p, table.get(row, f), f, tz))) return row;
  }
  return undefined;
}

function missingRow(table: Table, pattern: RowPattern, tz: string): string {
  const head = `expected a row matching ${showPattern(pattern)}`;
  if (table.length === 0) return `${head}, but there are no rows`;
  let best = 0;
  let bestScore = -1;
  const entries = Object.entries(pattern);
  for (let row = 0; row < table.length && row < MAX_ROWS_SCANNED; row++) {
    const score = entries.filter(([f, p]) => matchValue(p, table.get(row, f), f, tz)).length;
    if (score > bestScore) (best = row), (bestScore = score);
  }
  const diffs = entries
    .filter(([f, p]) => !matchValue(p, table.get(best, f), f, tz))
    .map(([f, p]) => `${f} is ${showValue(table.get(best, f), f, tz)}, not ${showPatternValue(p)}`);
  return `${head}; nearest is row ${best + 1} of ${table.length}, where ${diffs.join("; ")}:\n  ${showRow(table, best, tz)}`;
}

export function matchValue(pattern: PatternValue, value: Value, field: string, tz: string): boolean {
  if (pattern === null) return value === null;
  const values = valuesOf(value);
  if (Array.isArray(pattern)) {
    return pattern.length === values.length && pattern.every((p, i) => matchScalar(String(p), values[i]!, field, tz));
  }
  const p = typeof pattern === "number" ? numberText(pattern) : String(pattern);
  return values.some((v) => matchScalar(p, v, field, tz));
}

function matchScalar(pattern: string, v: string | number, field: string, tz: string): boolean {
  if (glob(pattern, scalarText(v))) return true;
  if (typeof v === "number" && typeof pattern === "string" && /^-?\d+(\.\d+)?$/.test(pattern) && Number(pattern) === v) return true;
  if (field === "_time" && typeof v === "number") return glob(pattern, isoTime(v, tz));
  return false;
}

function isoTime(t: number, tz: string): string {
  return strftime(t, Number.isInteger(t) ? "%Y-%m-%dT%H:%M:%S" : "%Y-%m-%dT%H:%M:%S.%3N", tz);
}

/** `*` matches any run of characters; linear time (greedy with one backtrack point). */
export function glob(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] === "*") {
      star = p++;
      mark = t;
    } else if (p < pattern.length && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === "*") p++;
  return p === pattern.length;
}

function showPatternValue(p: PatternValue): string {
  if (p === null) return "absent";
  if (Array.isArray(p)) return `[${p.map((x) => JSON.stringify(String(x))).join(", ")}]`;
  return JSON.stringify(typeof p === "number" ? numberText(p) : String(p));
}

export function showPattern(pattern: RowPattern): string {
  return `{${Object.entries(pattern).map(([f, p]) => `${f}: ${showPatternValue(p)}`).join(", ")}}`;
}

function showValue(v: Value, field: string, tz: string): string {
  if (v === null) return "absent";
  const values = valuesOf(v).map((x) => (field === "_time" && typeof x === "number" ? isoTime(x, tz) : scalarText(x)));
  return Array.isArray(v) ? `[${values.map((x) => JSON.stringify(x)).join(", ")}]` : JSON.stringify(values[0]);
}

/** One row as `{field: value, ...}`, internal fields other than _time left out. */
export function showRow(table: Table, row: number, tz: string): string {
  const parts: string[] = [];
  for (const f of table.fields()) {
    if (f.startsWith("_") && f !== "_time") continue;
    const v = table.get(row, f);
    if (v !== null) parts.push(`${f}: ${showValue(v, f, tz)}`);
  }
  return `{${parts.join(", ")}}`;
}

/** The first rows, one per line (each line starts with a newline). */
function rowsPreview(table: Table, tz: string): string {
  const shown: string[] = [];
  for (let row = 0; row < table.length && row < MAX_ROWS_SHOWN; row++) shown.push(`\n  row ${row + 1}: ${showRow(table, row, tz)}`);
  return shown.join("") + (table.length > MAX_ROWS_SHOWN ? `\n  ... and ${table.length - MAX_ROWS_SHOWN} more` : "");
}

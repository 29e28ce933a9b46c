/**
 * Printing results: an aligned text table for people, JSON lines or CSV for programs. Multivalue
 * fields are arrays in JSON, newline-joined in CSV cells (as Splunk's CSV export does), and stacked
 * in the text table. `_time` is shown as ISO-8601 in the search's time zone.
 */
import type { Table } from "../table/table.js";
import { scalarText, valuesOf, type Value } from "../table/value.js";
import { strftime } from "../time/strftime.js";

export type OutputFormat = "table" | "json" | "csv";

/** Fields to show: all of them, `_time` first, other internal fields (`_raw` aside) hidden as Splunk does. */
export function visibleFields(table: Table): string[] {
  const fields = table.fields().filter((f) => !f.startsWith("_") || f === "_time" || f === "_raw");
  return fields.includes("_time") ? ["_time", ...fields.filter((f) => f !== "_time")] : fields;
}

function cellValues(field: string, value: Value, tz: string): string[] {
  if (field === "_time" && typeof value === "number") return [strftime(value, "%Y-%m-%dT%H:%M:%S.%3N%:z", tz)];
  return valuesOf(value).map(scalarText);
}

export function formatJson(table: Table, tz: string): string {
  const fields = visibleFields(table);
  const lines: string[] = [];
  for (let row = 0; row < table.length; row++) {
    const out: Record<string, string | string[]> = {};
    for (const f of fields) {
      const value = table.get(row, f);
      if (value === null) continue;
      const cells = cellValues(f, value, tz);
      out[f] = Array.isArray(value) ? cells : cells[0]!;
    }
    lines.push(JSON.stringify(out));
  }
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}

export function formatCsv(table: Table, tz: string): string {
  const fields = visibleFields(table);
  const quote = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [fields.map(quote).join(",")];
  for (let row = 0; row < table.length; row++) {
    lines.push(fields.map((f) => quote(cellValues(f, table.get(row, f), tz).join("\n"))).join(","));
  }
  return `${lines.join("\n")}\n`;
}

/** An aligned table; multivalue cells stack on several lines; long cells are cut to `maxCell`. */
export function formatTable(table: Table, tz: string, maxCell = 60): string {
  const fields = visibleFields(table);
  if (fields.length === 0 || table.length === 0) return "";
  const cut = (s: string) => (s.length > maxCell ? `${s.slice(0, maxCell - 1)}…` : s);
  const rows: string[][][] = [];
  for (let row = 0; row < table.length; row++) rows.push(fields.map((f) => cellValues(f, table.get(row, f), tz).map(cut)));
  const widths = fields.map((f, i) => Math.max(f.length, ...rows.map((r) => Math.max(0, ...r[i]!.map((s) => s.length)))));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  const out = [line(fields), line(widths.map((w) => "-".repeat(w)))];
  for (const r of rows) {
    const height = Math.max(1, ...r.map((c) => c.length));
    for (let k = 0; k < height; k++) out.push(line(r.map((c) => c[k] ?? "")));
  }
  return `${out.join("\n")}\n`;
}

export function formatResults(table: Table, format: OutputFormat, tz: string): string {
  if (format === "json") return formatJson(table, tz);
  if (format === "csv") return formatCsv(table, tz);
  return formatTable(table, tz);
}

/**
 * Results as a text table that fits the terminal: the columns shown from `left` get their natural
 * width when it fits, else are narrowed together (widest first) and their cells cut with "…"; when
 * even narrowed columns do not all fit, the table shows the columns from `left` that do, and the view
 * scrolls sideways. Rows are shown from `top` for as many lines as `height` allows; a multivalue cell
 * stacks its values on lines of their own, as Splunk shows them.
 */
import { displayWidth, padEnd, truncate, truncateStart } from "./text.js";

export interface Grid {
  readonly fields: readonly string[];
  readonly rowCount: number;
  /** The values of a cell, printable, one per line (none for a null). */
  cell(row: number, col: number): readonly string[];
}

export interface TableView {
  /** First result row shown. */
  readonly top: number;
  /** First column shown. */
  readonly left: number;
}

export interface TableLayout {
  readonly lines: string[];
  /** Result rows shown: [firstRow, endRow). */
  readonly firstRow: number;
  readonly endRow: number;
  /** Columns shown: [firstCol, endCol). */
  readonly firstCol: number;
  readonly endCol: number;
}

/** Cells wider than this are cut even when there is room (as `spelunk run` cuts them). */
export const MAX_CELL = 60;
/** Rows looked at to size the columns, besides the rows shown (so paging does not change them much). */
const SAMPLE_ROWS = 200;

/** The last line of a multivalue cell taller than the page. */
const moreText = (n: number) => `(+${n} more)`;

export const separatorWidth = (width: number) => (width < 40 ? 1 : 2);
/**
 * Columns are not narrowed below a fifth of the screen (4 to 20 columns) to fit more of them: on a
 * 100-column screen times and addresses stay whole, and the view scrolls sideways to the rest.
 */
const minColumn = (width: number) => Math.max(4, Math.min(20, Math.floor(width / 5)));

/** Lines a row takes with the given columns: its tallest cell, at least 1, at most `cap`. */
export function rowHeight(grid: Grid, row: number, firstCol: number, endCol: number, cap: number): number {
  let h = 1;
  for (let c = firstCol; c < endCol; c++) h = Math.max(h, grid.cell(row, c).length);
  return Math.max(1, Math.min(h, cap));
}

function naturalWidths(grid: Grid, top: number, bodyHeight: number): number[] {
  const widths = grid.fields.map((f) => Math.min(MAX_CELL, displayWidth(f)));
  const measure = (row: number) => {
    for (let c = 0; c < grid.fields.length; c++) {
      const values = grid.cell(row, c);
      for (const v of values) widths[c] = Math.max(widths[c]!, Math.min(MAX_CELL, displayWidth(v)));
      if (values.length > bodyHeight) widths[c] = Math.max(widths[c]!, moreText(values.length - bodyHeight + 1).length);
    }
  };
  const sampleEnd = Math.min(grid.rowCount, SAMPLE_ROWS);
  for (let r = 0; r < sampleEnd; r++) measure(r);
  for (let r = Math.max(top, sampleEnd); r < Math.min(grid.rowCount, top + bodyHeight); r++) measure(r);
  return widths.map((w) => Math.max(1, w));
}

/** Widths at most `natural` each and summing to at most `available`: the widest are narrowed first. */
export function fitWidths(natural: readonly number[], available: number): number[] {
  const total = natural.reduce((a, b) => a + b, 0);
  if (total <= available) return [...natural];
  let lo = 1;
  let hi = Math.max(...natural);
  const sumAt = (cap: number) => natural.reduce((a, n) => a + Math.min(n, cap), 0);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (sumAt(mid) <= available) lo = mid;
    else hi = mid - 1;
  }
  const widths = natural.map((n) => Math.min(n, lo));
  let spare = available - widths.reduce((a, b) => a + b, 0);
  for (let i = 0; i < widths.length && spare > 0; i++) {
    if (widths[i]! < natural[i]!) {
      widths[i]!++;
      spare--;
    }
  }
  return widths.map((w) => Math.max(1, w));
}

/** The columns from `left` that fit in `width` at their narrowed minimum (always at least one). */
function visibleColumns(natural: readonly number[], left: number, width: number): number {
  const sep = separatorWidth(width);
  let used = 0;
  let k = 0;
  for (let c = left; c < natural.length; c++) {
    const need = Math.min(natural[c]!, minColumn(width)) + (k > 0 ? sep : 0);
    if (k > 0 && used + need > width) break;
    used += need;
    k++;
  }
  return Math.max(1, k);
}

export function layoutTable(grid: Grid, view: TableView, width: number, height: number): TableLayout {
  const w = Math.max(1, width);
  const bodyHeight = Math.max(1, height - 2);
  const top = Math.max(0, Math.min(view.top, Math.max(0, grid.rowCount - 1)));
  if (grid.fields.length === 0) return { lines: [], firstRow: top, endRow: top, firstCol: 0, endCol: 0 };
  const left = Math.max(0, Math.min(view.left, grid.fields.length - 1));
  const natural = naturalWidths(grid, top, bodyHeight);
  const count = visibleColumns(natural, left, w);
  const sep = " ".repeat(separatorWidth(w));
  const widths = fitWidths(natural.slice(left, left + count), Math.max(1, w - sep.length * (count - 1)));
  const cols = widths.map((_, i) => left + i);
  const line = (cells: readonly string[]) => cells.map((c, i) => padEnd(truncate(c, widths[i]!), widths[i]!)).join(sep).trimEnd();
  const header = cols.map((c, i) => padEnd(fitName(grid.fields[c]!, widths[i]!), widths[i]!));

  const lines = [header.join(sep).trimEnd(), line(widths.map((x) => "-".repeat(x)))];
  let row = top;
  let used = 0;
  while (row < grid.rowCount) {
    const cells = cols.map((c) => grid.cell(row, c));
    const tallest = Math.max(1, ...cells.map((v) => v.length));
    const h = Math.min(tallest, bodyHeight);
    if (used > 0 && used + h > bodyHeight) break;
    for (let k = 0; k < h; k++) {
      const cut = tallest > h && k === h - 1;
      lines.push(line(cells.map((v) => (cut && v.length > h ? moreText(v.length - k) : (v[k] ?? "")))));
    }
    used += h;
    row++;
    if (used >= bodyHeight) break;
  }
  return { lines, firstRow: top, endRow: row, firstCol: left, endCol: left + count };
}

/**
 * A column name cut to a width. A dotted name (a data model field) keeps its last part, which tells
 * the columns apart: `All_Traffic.src_ip` becomes `…src_ip`.
 */
export function fitName(name: string, width: number): string {
  if (displayWidth(name) <= width) return name;
  const dot = name.lastIndexOf(".");
  if (dot < 0) return truncate(name, width);
  const tail = name.slice(dot + 1);
  return displayWidth(tail) + 1 <= width ? `…${tail}` : truncateStart(tail, width);
}

/** The top row of the page before the one starting at `top` (the rows that fit just above it). */
export function previousPageTop(grid: Grid, view: TableView, layout: TableLayout, height: number): number {
  const bodyHeight = Math.max(1, height - 2);
  let row = view.top;
  let used = 0;
  while (row > 0) {
    const h = rowHeight(grid, row - 1, layout.firstCol, layout.endCol, bodyHeight);
    if (used > 0 && used + h > bodyHeight) break;
    used += h;
    row--;
    if (used >= bodyHeight) break;
  }
  return row;
}

/** The top row of the last page. */
export function lastPageTop(grid: Grid, layout: TableLayout, height: number): number {
  if (grid.rowCount === 0) return 0;
  return previousPageTop(grid, { top: grid.rowCount, left: layout.firstCol }, layout, height);
}

import { describe, expect, it } from "vitest";
import { fitWidths, lastPageTop, layoutTable, previousPageTop, type Grid } from "../../src/repl/table-layout.js";
import { displayWidth, printable, truncate } from "../../src/repl/text.js";
import { gridOf } from "../../src/repl/grid.js";
import { Table } from "../../src/table/table.js";

function grid(fields: string[], rows: (string | string[])[][]): Grid {
  return { fields, rowCount: rows.length, cell: (r, c) => { const v = rows[r]![c]!; return Array.isArray(v) ? v : v === "" ? [] : [v]; } };
}

describe("the results table", () => {
  it("shows every column at its natural width when it fits", () => {
    const g = grid(["app", "count"], [["dns", "157"], ["smb", "84"]]);
    expect(layoutTable(g, { top: 0, left: 0 }, 80, 10).lines).toEqual(["app  count", "---  -----", "dns  157", "smb  84"]);
  });

  it("narrows the widest columns first and cuts their cells with an ellipsis", () => {
    expect(fitWidths([10, 40, 5], 40)).toEqual([10, 25, 5]);
    const g = grid(["a", "b"], [["x".repeat(30), "short"]]);
    const out = layoutTable(g, { top: 0, left: 0 }, 20, 10);
    for (const line of out.lines) expect(displayWidth(line)).toBeLessThanOrEqual(20);
    expect(out.lines[2]).toBe(`${"x".repeat(13)}… short`);
  });

  it("scrolls sideways when the columns cannot all fit", () => {
    const fields = Array.from({ length: 12 }, (_, i) => `field_${i}`);
    const g = grid(fields, [fields.map((f) => `${f}_value`)]);
    const first = layoutTable(g, { top: 0, left: 0 }, 40, 10);
    expect(first.firstCol).toBe(0);
    expect(first.endCol).toBeLessThan(12);
    const next = layoutTable(g, { top: 0, left: 5 }, 40, 10);
    expect(next.lines[0]!.startsWith("field_5")).toBe(true);
    for (const line of [...first.lines, ...next.lines]) expect(displayWidth(line)).toBeLessThanOrEqual(40);
  });

  it("stacks multivalue cells, and cuts a cell taller than the page", () => {
    const g = grid(["src", "dest"], [["10.0.0.1", ["a", "b", "c"]], ["10.0.0.2", "d"]]);
    expect(layoutTable(g, { top: 0, left: 0 }, 80, 10).lines).toEqual(["src       dest", "--------  ----", "10.0.0.1  a", "          b", "          c", "10.0.0.2  d"]);
    const tall = grid(["v"], [[Array.from({ length: 10 }, (_, i) => `v${i}`)]]);
    expect(layoutTable(tall, { top: 0, left: 0 }, 80, 5).lines).toEqual(["v", "---------", "v0", "v1", "(+8 more)"]);
  });

  it("pages forwards and backwards by what fits", () => {
    const rows = Array.from({ length: 10 }, (_, i) => [`r${i}`]);
    const g = grid(["row"], rows);
    const page = layoutTable(g, { top: 0, left: 0 }, 80, 6);
    expect([page.firstRow, page.endRow]).toEqual([0, 4]);
    const second = layoutTable(g, { top: page.endRow, left: 0 }, 80, 6);
    expect([second.firstRow, second.endRow]).toEqual([4, 8]);
    expect(previousPageTop(g, { top: 4, left: 0 }, second, 6)).toBe(0);
    expect(lastPageTop(g, page, 6)).toBe(6);
  });

  it("stays usable narrower than 40 columns", () => {
    const g = grid(["src_ip", "dest_ip", "dest_port", "count"], [["192.168.5.7", "89.160.20.115", "139", "1"]]);
    const out = layoutTable(g, { top: 0, left: 0 }, 30, 10);
    for (const line of out.lines) expect(displayWidth(line)).toBeLessThanOrEqual(30);
    expect(out.lines[0]!.startsWith("src_ip")).toBe(true);
    const tiny = layoutTable(g, { top: 0, left: 0 }, 8, 10);
    for (const line of tiny.lines) expect(displayWidth(line)).toBeLessThanOrEqual(8);
  });
});

describe("text on the terminal", () => {
  it("counts wide characters as two columns and cuts by columns", () => {
    expect(displayWidth("東京")).toBe(4);
    expect(truncate("東京タワー", 5)).toBe("東京…");
    expect(displayWidth(truncate("Linköping", 6))).toBe(6);
  });

  it("never lets data reach the terminal as control sequences", () => {
    expect(printable("a\x1b[2Jb\tc\nd")).toBe("a\uFFFD[2Jb c↵d");
    const table = Table.fromRows([{ _time: 0, x: ["a\x1b]0;pwned\x07", "b"] }]);
    const g = gridOf(table, "UTC");
    expect(g.fields).toEqual(["_time", "x"]);
    expect(g.cell(0, 0)).toEqual(["1970-01-01 00:00:00.000"]);
    expect(g.cell(0, 1)).toEqual(["a\uFFFD]0;pwned\uFFFD", "b"]);
  });
});

/**
 * A result table as the REPL's table layout reads it: the fields `spelunk run` shows, in its order,
 * each cell's values as printable strings. `_time` is shown as `2024-03-01 22:41:38.893` in the
 * search's time zone (`.tz` says which): shorter than `run`'s ISO-8601 with the offset, which
 * `.export` still writes.
 */
import { visibleFields } from "../cli/output.js";
import type { Table } from "../table/table.js";
import { scalarText, valuesOf } from "../table/value.js";
import { strftime } from "../time/strftime.js";
import type { Grid } from "./table-layout.js";
import { printable } from "./text.js";

export function gridOf(table: Table, tz: string): Grid {
  const fields = visibleFields(table);
  const cache = new Map<number, readonly string[]>();
  const width = fields.length;
  return {
    fields,
    rowCount: table.length,
    cell(row, col) {
      const key = row * width + col;
      const hit = cache.get(key);
      if (hit) return hit;
      const field = fields[col]!;
      const value = table.get(row, field);
      const cells =
        field === "_time" && typeof value === "number"
          ? [strftime(value, "%Y-%m-%d %H:%M:%S.%3N", tz)]
          : valuesOf(value).map((v) => printable(scalarText(v)));
      // Only the cells looked at are cached; a page at a time, bounded.
      if (cache.size > 20_000) cache.clear();
      cache.set(key, cells);
      return cells;
    },
  };
}

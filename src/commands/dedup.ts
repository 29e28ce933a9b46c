import type { ArgReader } from "../parse/args.js";
import * as T from "../parse/lexer.js";
import { defineCommand } from "./command.js";
import { boolOption, isCount, readFieldList, readOption, type FieldArg, type OptionHandlers } from "./options.js";
import { readSortKeys, sortOrder, type SortKey } from "./sort.js";
import { ArrayColumn, type Column, type Table } from "../table/table.js";
import { scalarText, type Value } from "../table/value.js";

/**
 * `dedup [<int>] <field-list> [keepevents=<bool>] [keepempty=<bool>] [consecutive=<bool>] [sortby <sort-by-clause>...]`
 * (searchbnf `[dedup-command]`): keeps the first `count` results of each combination of values.
 */
export interface DedupArgs {
  /** Results kept per combination; default 1. */
  readonly count: number;
  readonly fields: readonly FieldArg[];
  /** keepevents=true: keep duplicates but remove the listed fields from them (default false). */
  readonly keepevents: boolean;
  /** keepempty=true: keep results that lack a listed field instead of dropping them (default false). */
  readonly keepempty: boolean;
  /** consecutive=true: only remove duplicates that follow each other (default false). */
  readonly consecutive: boolean;
  /** `sortby -_time`: the order results are considered in (spl_semantics.md §4.4 reads it as sorting before deduplicating); empty = input order. */
  readonly sortby: readonly SortKey[];
}

export const dedup = defineCommand<DedupArgs>({
  name: "dedup",
  parse(r: ArgReader) {
    let count = 1;
    const t = r.peek();
    // A leading number is the count (`dedup 3 src`), as searchbnf reads `(<int>)? <field-list>`.
    if (t?.tokenType === T.Word && isCount(t.image) && r.peek(1) !== undefined) {
      count = Number(r.next().image);
      if (count < 1) r.fail("bad-argument", "dedup: the number of results to keep must be at least 1", { start: t.startOffset, end: T.tokenEnd(t) });
    }
    const flags = { keepevents: false, keepempty: false, consecutive: false };
    const options: OptionHandlers = {
      keepevents: (o) => (flags.keepevents = boolOption(o, r)),
      keepempty: (o) => (flags.keepempty = boolOption(o, r)),
      consecutive: (o) => (flags.consecutive = boolOption(o, r)),
    };
    const fields: FieldArg[] = [];
    let sortby: SortKey[] = [];
    while (!r.atEnd()) {
      if (readOption(r, options)) continue;
      if (r.acceptWord("sortby") !== undefined) {
        sortby = readSortKeys(r, (r) => r.atOption());
        if (sortby.length === 0) r.failHere("expected a field to sort by after SORTBY");
        continue;
      }
      const more = readFieldList(r, "a field name", (r) => r.atWord("sortby"), true);
      if (more.length === 0) r.failHere("expected a field name, an option or SORTBY");
      fields.push(...more);
    }
    if (fields.length === 0) r.failHere("expected the fields to deduplicate on (dedup <field> ...)");
    return { count, fields, ...flags, sortby };
  },
  run: (args, input) => runDedup(args, input),
});

/** The text of one field in a combination key; a multivalue counts as its whole list of values. */
function keyPart(v: Value): string {
  if (Array.isArray(v)) return v.map(scalarText).join("\u0001");
  return scalarText(v as string | number);
}

/**
 * dedup (searchbnf [dedup-command], spl_semantics.md §4.4):
 * - Results are taken in input order, or sorted first by `sortby` (sort's comparator, no limit).
 * - The first `count` results of each combination of values are kept. Values compare exactly (case
 *   and type as text: 1 and "1" are the same value).
 * - A result lacking any listed field is dropped, or kept as it is with keepempty=true (and then it
 *   takes no part in the deduplication).
 * - consecutive=true: only results following one another with the same combination count as
 *   duplicates; the count starts again when the combination changes.
 * - keepevents=true: duplicates are kept, with the listed fields removed from them.
 */
function runDedup(args: DedupArgs, input: Table): Table {
  const table = args.sortby.length > 0 ? input.take(sortOrder(input, args.sortby)) : input;
  const columns = args.fields.map((f) => table.column(f.name));
  const keep = new Uint32Array(table.length);
  let n = 0;
  const duplicate = args.keepevents ? new Uint8Array(table.length) : undefined;
  const seen = new Map<string, number>();
  let previous: string | undefined;
  let run = 0;
  for (let row = 0; row < table.length; row++) {
    let key = "";
    let empty = false;
    for (let i = 0; i < columns.length; i++) {
      const v = columns[i]?.get(row) ?? null;
      if (v === null) {
        empty = true;
        break;
      }
      key += (i > 0 ? "\u0000" : "") + keyPart(v);
    }
    if (empty) {
      if (args.keepempty) keep[n++] = row;
      continue;
    }
    let times: number;
    if (args.consecutive) {
      run = key === previous ? run + 1 : 1;
      previous = key;
      times = run;
    } else {
      times = (seen.get(key) ?? 0) + 1;
      seen.set(key, times);
    }
    if (times <= args.count) keep[n++] = row;
    else if (duplicate) {
      duplicate[row] = 1;
      keep[n++] = row;
    }
  }
  let out = n === table.length ? table : table.take(keep.subarray(0, n));
  if (duplicate) out = withoutFieldsIn(out, keep.subarray(0, n), duplicate, args.fields.map((f) => f.name));
  return out;
}

/** keepevents=true: the listed fields cleared in the rows marked as duplicates. */
function withoutFieldsIn(table: Table, rows: Uint32Array, duplicate: Uint8Array, fields: readonly string[]): Table {
  const cleared: Array<[string, Column]> = [];
  for (const name of fields) {
    const column = table.column(name);
    if (!column) continue;
    const values = new Array<Value>(table.length);
    for (let i = 0; i < table.length; i++) values[i] = duplicate[rows[i]!] ? null : column.get(i);
    cleared.push([name, new ArrayColumn(values)]);
  }
  return cleared.length > 0 ? table.withColumns(cleared) : table;
}

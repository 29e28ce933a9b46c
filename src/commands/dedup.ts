import type { ArgReader } from "../parse/args.js";
import * as T from "../parse/lexer.js";
import { defineCommand } from "./command.js";
import { boolOption, isCount, readFieldList, readOption, type FieldArg, type OptionHandlers } from "./options.js";
import { readSortKeys, type SortKey } from "./sort.js";

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
});

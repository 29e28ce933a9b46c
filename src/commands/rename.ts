import type { ArgReader } from "../parse/args.js";
import { Table, type Column } from "../table/table.js";
import { defineCommand } from "./command.js";
import { fieldPattern, hasWildcard, matchFieldPattern, substituteWildcards } from "./fields.js";
import { readField, wildcardCount, type FieldArg } from "./options.js";
import * as T from "../parse/lexer.js";

/** One `<wc-field> AS <wc-field>`; with wildcards, the matched parts carry over (`All_Traffic.* AS *`). */
export interface RenamePair {
  readonly from: FieldArg;
  readonly to: FieldArg;
}

/** `rename <wc-field> AS <wc-field> [, <wc-field> AS <wc-field>]...` (searchbnf `[rename-command]`). */
export interface RenameArgs {
  readonly pairs: readonly RenamePair[];
}

export const rename = defineCommand<RenameArgs>({
  name: "rename",
  parse(r: ArgReader) {
    const pairs: RenamePair[] = [];
    while (!r.atEnd()) {
      // Commas between pairs are optional (ESCU writes both `a as b c as d` and `a as b, c as d`).
      if (pairs.length > 0 && r.accept(T.Comma)) continue;
      const from = readField(r, "a field to rename");
      if (!r.atWord("as")) r.failHere(`expected AS and a new name after '${from.name}'`);
      r.next();
      const to = readField(r, `the new name for '${from.name}'`);
      // Doc (rename, 9.2): "Both the original and renamed fields must include the same number of
      // wildcards, otherwise a wildcard mismatch error is returned."
      const [nFrom, nTo] = [wildcardCount(from.name), wildcardCount(to.name)];
      if (nFrom !== nTo) {
        r.fail(
          "bad-argument",
          `rename: both the original and renamed fields must include the same number of wildcards ('${from.name}' has ${nFrom}, '${to.name}' has ${nTo})`,
          { start: from.span.start, end: to.span.end },
        );
      }
      pairs.push({ from, to });
    }
    if (pairs.length === 0) r.failHere("expected <field> AS <new name>");
    return { pairs };
  },
  run(args, input) {
    let table = input;
    // "Renames are processed in the order that you specify, left to right" (SPL2 rename examples,
    // https://help.splunk.com/splunk-enterprise/search/spl2-search-reference/rename-command/rename-command-examples).
    for (const pair of args.pairs) table = renamePair(table, pair.from.name, pair.to.name);
    return table;
  },
});

/**
 * One `<from> AS <to>` over whole columns.
 * - Wildcards: every field matching `from` is renamed, its wildcard parts carried over into `to`
 *   (searchbnf [rename-command]; `All_Traffic.* AS *` strips the prefix); other fields are untouched.
 *   The set of fields is taken before the pair applies, so a renamed field is not renamed again.
 * - Onto an existing field: the existing field is replaced, and the renamed field keeps the place
 *   of its source. Splunk's docs do not say where the column goes; OpenSearch PPL, which copies SPL,
 *   documents "The existing target field is removed and the source field is renamed to the target"
 *   (https://docs.opensearch.org/latest/sql-and-ppl/ppl/commands/rename). Where two fields are
 *   renamed to the same name, the later one (in table order) wins.
 * - A source that no result has leaves the table unchanged. (OpenSearch PPL removes an existing
 *   target then; whether Splunk does is UNCONFIRMED, spl_semantics.md §4.2, so spelunk keeps it.)
 */
function renamePair(table: Table, from: string, to: string): Table {
  const renames = new Map<string, string>();
  if (hasWildcard(from)) {
    const pattern = fieldPattern(from);
    for (const name of table.fields()) {
      const captures = matchFieldPattern(pattern, name);
      if (captures) renames.set(name, substituteWildcards(to, captures));
    }
  } else if (table.has(from)) {
    renames.set(from, to);
  }
  for (const [source, target] of renames) if (source === target) renames.delete(source);
  if (renames.size === 0) return table;
  const targets = new Set(renames.values());
  const winner = new Map<string, string>();
  for (const [source, target] of renames) winner.set(target, source);
  const columns = new Map<string, Column>();
  for (const name of table.fields()) {
    const target = renames.get(name);
    if (target !== undefined) {
      if (winner.get(target) !== name) continue;
      columns.set(target, table.column(name)!);
    } else if (!targets.has(name)) {
      columns.set(name, table.column(name)!);
    }
  }
  return new Table(table.length, columns);
}

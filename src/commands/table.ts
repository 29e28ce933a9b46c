import type { ArgReader } from "../parse/args.js";
import { ConstantColumn, type Column, Table } from "../table/table.js";
import { defineCommand } from "./command.js";
import { expandFields, hasWildcard } from "./fields.js";
import { noOptions, readFieldList, type FieldArg } from "./options.js";

/**
 * `table <wc-field-list>` (searchbnf `[table-command]`): keeps the listed fields as columns, "in the
 * same order that fields are specified"; a wildcard (`baz*`) stands for every matching field.
 * Fields are separated by spaces, commas, or both (`table src, dest count`).
 */
export interface TableArgs {
  readonly fields: readonly FieldArg[];
}

export const table = defineCommand<TableArgs>({
  name: "table",
  parse(r: ArgReader) {
    noOptions(r);
    const fields = readFieldList(r, "a field name (table <field> ...)");
    noOptions(r);
    r.end();
    return { fields };
  },
  run: (args, input) => runTable(args, input),
});

/**
 * Columns in the order written; the fields one wildcard matches come in table order (the order
 * among them is UNCONFIRMED, spl_semantics.md §4.4). A field named more than once keeps its first
 * place. A plain name absent from every row still gets its (empty) column, as Splunk shows it
 * (spl_semantics.md §4.4: "missing fields are shown empty"); a wildcard matching nothing adds
 * nothing. Unlike `fields`, `table` keeps no internal field that is not listed.
 */
function runTable(args: TableArgs, input: Table): Table {
  const present = input.fields();
  const columns = new Map<string, Column>();
  for (const f of args.fields) {
    const names = hasWildcard(f.name) ? expandFields(f.name, present) : [f.name];
    for (const name of names) {
      if (columns.has(name)) continue;
      columns.set(name, input.column(name) ?? new ConstantColumn(input.length, null));
    }
  }
  return new Table(input.length, columns);
}

import type { ArgReader } from "../parse/args.js";
import { defineCommand } from "./command.js";
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
});

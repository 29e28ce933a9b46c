import type { ArgReader } from "../parse/args.js";
import { ArrayColumn, ConstantColumn, type Column, type Table } from "../table/table.js";
import type { Value } from "../table/value.js";
import { defineCommand } from "./command.js";
import { readFieldList, readOption, type FieldArg } from "./options.js";

/**
 * `fillnull [value=<string>] [<field-list>]` (searchbnf `[fillnull-command]`): replaces null values
 * with `value` (default "0"), in the listed fields (created if absent) or else in every field present
 * in some result. ESCU also writes the option after the fields (`fillnull risk_score value="0"`).
 */
export interface FillnullArgs {
  readonly value: string;
  /** Empty: every field. */
  readonly fields: readonly FieldArg[];
}

export const fillnull = defineCommand<FillnullArgs>({
  name: "fillnull",
  parse(r: ArgReader) {
    let value = "0";
    const fields: FieldArg[] = [];
    while (!r.atEnd()) {
      if (readOption(r, { value: (o) => (value = o.value.text) })) continue;
      const more = readFieldList(r, "a field name", undefined, true);
      if (more.length === 0) r.failHere("expected value=<string> or field names");
      fields.push(...more);
    }
    return { value, fields };
  },
  /**
   * "If a field-list is provided, fillnull is applied to only fields in the given list (including
   * any fields that does not exist at all). Otherwise, applies to all existing fields." (searchbnf
   * [fillnull-command]): without a list, every column of the table (internal ones included); a listed
   * field absent from every row is created, filled in every row. The value is kept as the string
   * written (Splunk's values are strings; "0" is still a number to eval and sort).
   */
  run(args, input) {
    const names = args.fields.length > 0 ? [...new Set(args.fields.map((f) => f.name))] : input.fields();
    const filled: Array<[string, Column]> = [];
    for (const name of names) {
      const column = input.column(name);
      if (!column) {
        filled.push([name, new ConstantColumn(input.length, args.value)]);
        continue;
      }
      let values: Value[] | undefined;
      for (let row = 0; row < input.length; row++) {
        const v = column.get(row);
        if (v === null && !values) {
          values = new Array<Value>(input.length);
          for (let i = 0; i < row; i++) values[i] = column.get(i);
        }
        if (values) values[row] = v === null ? args.value : v;
      }
      if (values) filled.push([name, new ArrayColumn(values)]);
    }
    return filled.length > 0 ? input.withColumns(filled) : input;
  },
});

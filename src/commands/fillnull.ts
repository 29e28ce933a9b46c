import type { ArgReader } from "../parse/args.js";
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
});

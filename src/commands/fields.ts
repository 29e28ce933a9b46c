import type { ArgReader } from "../parse/args.js";
import * as T from "../parse/lexer.js";
import { defineCommand } from "./command.js";
import { noOptions, readFieldList, type FieldArg } from "./options.js";

/**
 * `fields [+|-] <wc-field-list>` (searchbnf `[fields-command]`): `+` (the default) keeps only the
 * listed fields, `-` removes them. ESCU writes `fields -  match` and `fields - a, b`.
 */
export interface FieldsArgs {
  readonly mode: "keep" | "remove";
  readonly fields: readonly FieldArg[];
}

export const fields = defineCommand<FieldsArgs>({
  name: "fields",
  parse(r: ArgReader) {
    const sign = r.acceptWord("+", "-");
    let mode: FieldsArgs["mode"] = sign === "-" ? "remove" : "keep";
    noOptions(r);
    const quoted = r.peek()?.tokenType === T.DQString;
    let list = readFieldList(r, sign === "-" ? "a field to remove" : "a field name (fields [+|-] <field> ...)");
    noOptions(r);
    r.end();
    // `fields -x` (sign glued to the first name) is read as `fields - x`: no field name starts with a
    // sign in practice. How Splunk reads the glued form is UNCONFIRMED.
    const [first, ...rest] = list;
    if (sign === undefined && !quoted && first && /^[+-]./.test(first.name)) {
      mode = first.name.startsWith("-") ? "remove" : "keep";
      list = [{ name: first.name.slice(1), span: { start: first.span.start + 1, end: first.span.end } }, ...rest];
    }
    return { mode, fields: list };
  },
});

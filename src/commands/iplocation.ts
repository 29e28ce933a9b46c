import type { ArgReader } from "../parse/args.js";
import { defineCommand } from "./command.js";
import { boolOption, readField, readOption, type FieldArg, type OptionHandlers } from "./options.js";

/**
 * `iplocation [prefix=<string>] [allfields=<bool>] [lang=<string>] <ip-address-fieldname>`
 * (searchbnf 8.2.12 `[iplocation-command]`; spl_semantics.md §3). Adds City, Country, Region, lat, lon,
 * and Continent, MetroCode, Timezone with allfields=true, each name prefixed with `prefix`.
 */
export interface IplocationArgs {
  readonly field: FieldArg;
  /** Prepended to every added field name; default "". */
  readonly prefix: string;
  readonly allfields: boolean;
  /** Language of the names (`es`, or `code` for abbreviations); absent = English. */
  readonly lang?: string;
}

export const iplocation = defineCommand<IplocationArgs>({
  name: "iplocation",
  parse(r: ArgReader) {
    let prefix = "";
    let allfields = false;
    let lang: string | undefined;
    let field: FieldArg | undefined;
    const options: OptionHandlers = {
      prefix: (o) => (prefix = o.value.text),
      allfields: (o) => (allfields = boolOption(o, r)),
      lang: (o) => (lang = o.value.text),
    };
    // The options may also follow the field (Splunk reads key=value arguments anywhere).
    while (!r.atEnd()) {
      if (readOption(r, options)) continue;
      if (field) r.failHere("expected only one IP address field");
      field = readField(r, "the IP address field");
    }
    if (!field) return r.failHere("expected the IP address field (iplocation <field>)");
    return lang === undefined ? { field, prefix, allfields } : { field, prefix, allfields, lang };
  },
});

/**
 * The table of eval functions: name → arity and compiler. Names are matched case-insensitively
 * (ESCU writes them in lower case; a capitalised If( is not worth an error). The groups live in
 * ./fn/, one file per family as Splunk's function reference groups them.
 */
import { conditionalFunctions } from "./fn/conditional.js";
import { convertFunctions } from "./fn/convert.js";
import { infoFunctions } from "./fn/info.js";
import { mathFunctions } from "./fn/math.js";
import { mvFunctions } from "./fn/mv.js";
import { textFunctions } from "./fn/text.js";
import { timeFunctions } from "./fn/time.js";
import type { FunctionSpec } from "./types.js";

export const evalFunctions: ReadonlyMap<string, FunctionSpec> = new Map(
  Object.entries({
    ...conditionalFunctions,
    ...infoFunctions,
    ...textFunctions,
    ...mathFunctions,
    ...mvFunctions,
    ...convertFunctions,
    ...timeFunctions,
  }),
);

/** Splunk functions spelunk knows of but does not implement: reported by name, not as unknown. */
export const unsupportedFunctions: ReadonlySet<string> = new Set([
  "searchmatch", "sigfig", "printf", "spath", "lookup", "commands", "ipmask", "isarray", "isobject", "isdouble",
  "bitand", "bitor", "bitxor", "bitnot", "bit_shift_left", "bit_shift_right", "avg", "sum", "mv_to_json_array",
  "json_object", "json_array", "json_extract", "json_extract_exact", "json_keys", "json_set", "json_set_exact",
  "json_valid", "json_array_to_mv", "json_append", "json_delete", "json_entry", "json_has_key_exact",
]);

export function lookupFunction(name: string): FunctionSpec | undefined {
  return evalFunctions.get(name.toLowerCase());
}

/** "takes 2 arguments", "takes 1 or 2 arguments", "takes at least 1 argument". */
export function arityText(spec: FunctionSpec): string {
  const plural = (n: number) => `${n} argument${n === 1 ? "" : "s"}`;
  if (spec.max === Infinity) return `takes at least ${plural(spec.min)}`;
  if (spec.min === spec.max) return spec.min === 0 ? "takes no arguments" : `takes ${plural(spec.min)}`;
  if (spec.max === spec.min + 1) return `takes ${spec.min} or ${plural(spec.max)}`;
  return `takes ${spec.min} to ${plural(spec.max)}`;
}

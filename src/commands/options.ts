/** Small readers for option values shared by the command files. */
import type { ArgReader, ArgValue } from "../parse/args.js";

const truthy = new Set(["true", "t", "1", "yes", "y"]);
const falsy = new Set(["false", "f", "0", "no", "n"]);

/** Splunk booleans: true/false, t/f, 1/0, yes/no, in any case. */
export function parseBool(value: ArgValue, r: ArgReader): boolean {
  const v = value.text.toLowerCase();
  if (truthy.has(v)) return true;
  if (falsy.has(v)) return false;
  return r.fail("bad-argument", `${r.command}: expected true or false but found '${value.text}'`, value.span);
}

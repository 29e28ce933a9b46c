import type { ArgReader } from "../parse/args.js";
import * as T from "../parse/lexer.js";
import type { Table } from "../table/table.js";
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
  run: (args, input) => runFields(args, input),
});

/**
 * Internal fields that `fields +` keeps without being asked: "By default, the internal fields _raw
 * and _time are included in the search results in Splunk Web. The fields command does not remove
 * these internal fields unless you explicitly specify that the fields should not appear in the
 * output" (fields doc, https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.1.2507/search-commands/fields).
 * Other internal fields (_indextime, _cd ...) go unless listed. They come first, in table order,
 * then the listed fields in the given order (Splunk shows _time first anyway).
 */
const KEPT_INTERNAL = ["_time", "_raw"];

function runFields(args: FieldsArgs, input: Table): Table {
  const present = input.fields();
  if (args.mode === "remove") {
    const drop = new Set<string>();
    for (const f of args.fields) for (const name of expandFields(f.name, present)) drop.add(name);
    return drop.size === 0 ? input : input.without(drop);
  }
  const listed: string[] = [];
  for (const f of args.fields) listed.push(...expandFields(f.name, present));
  const chosen = new Set(listed);
  const keep = present.filter((f) => KEPT_INTERNAL.includes(f) && !chosen.has(f));
  for (const name of listed) if (!keep.includes(name)) keep.push(name);
  return input.select(keep);
}

// ---- wildcard field names (shared by fields, table, rename, convert) ---------------------------------

/** A field name pattern: `*` matches any run of characters (none included); everything else is literal and case-sensitive. */
export interface FieldPattern {
  readonly text: string;
  /** The literal pieces between the `*`s; one piece = no wildcard. */
  readonly parts: readonly string[];
}

export function fieldPattern(text: string): FieldPattern {
  return { text, parts: text.split("*") };
}

export const hasWildcard = (text: string): boolean => text.includes("*");

/**
 * The text matched by each `*` of `pattern` in `name`, or null when it does not match. Matching is
 * leftmost: each literal piece is found at its first place after the previous one, so a `*` before
 * the last one captures as little as it can (`*_*` on `a_b_c` gives `a` and `b_c`). Linear in the
 * name's length per piece, with no backtracking, whatever the pattern.
 */
export function matchFieldPattern(pattern: FieldPattern, name: string): string[] | null {
  const { parts } = pattern;
  if (parts.length === 1) return name === parts[0] ? [] : null;
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (name.length < first.length + last.length || !name.startsWith(first) || !name.endsWith(last)) return null;
  const end = name.length - last.length;
  const captures: string[] = [];
  let pos = first.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const piece = parts[i]!;
    const at = name.indexOf(piece, pos);
    if (at < 0 || at + piece.length > end) return null;
    captures.push(name.slice(pos, at));
    pos = at + piece.length;
  }
  captures.push(name.slice(pos, end));
  return captures;
}

/** `target` with its `*`s replaced by `captures` in order (a `*` without a capture becomes empty). */
export function substituteWildcards(target: string, captures: readonly string[]): string {
  if (!hasWildcard(target)) return target;
  const parts = target.split("*");
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i++) out += (captures[i - 1] ?? "") + parts[i]!;
  return out;
}

/** The fields of `present` that `pattern` names, in table order; a plain name matches only itself. */
export function expandFields(pattern: string, present: readonly string[]): string[] {
  if (!hasWildcard(pattern)) return present.includes(pattern) ? [pattern] : [];
  const p = fieldPattern(pattern);
  return present.filter((name) => matchFieldPattern(p, name) !== null);
}

import type { ArgReader } from "../parse/args.js";
import type { Span } from "../parse/ast.js";
import * as T from "../parse/lexer.js";
import { defineCommand } from "./command.js";
import { intOption, isCount, readField, readOption, type FieldArg } from "./options.js";

/** How values compare: `auto` (numbers numerically, IPs as IPs, else lexicographically), or forced. */
export type SortCollation = "auto" | "str" | "ip" | "num";

/** One `[+|-]<field>` or `[+|-]num(<field>)` of a sort-by clause. */
export interface SortKey {
  readonly field: FieldArg;
  readonly descending: boolean;
  readonly collation: SortCollation;
  /** The whole key as written, sign included. */
  readonly span: Span;
}

/** `sort [<count> | limit=<count>] <sort-by-clause>... [d|desc]` (searchbnf 8.2.12 `[sort-command]`). */
export interface SortArgs {
  /** Rows kept: 10000 when no count is given (Splunk's default), 0 = all. */
  readonly limit: number;
  readonly keys: readonly SortKey[];
  /** A trailing `d`/`desc` reverses the final order. */
  readonly reverse: boolean;
}

const COLLATED = /^(auto|str|ip|num)\((.*)\)$/i;

/**
 * Sort-by clauses (`[+|-]<field>`, `[+|-](auto|str|ip|num)(<field>)`, commas optional), until the
 * end, a non-field, or `stop(r, keysSoFar)`. Shared with `dedup ... sortby`.
 * `-count` lexes as one word; a `-` followed by white space sets the direction of every following
 * field without its own sign (sort doc: "If white space follows +/-, the sort order is applied to all
 * following fields without a different explicit sort order").
 */
export function readSortKeys(r: ArgReader, stop: (r: ArgReader, keys: number) => boolean = () => false): SortKey[] {
  const keys: SortKey[] = [];
  let defaultDescending = false;
  let danglingSign: FieldArg | undefined;
  while (!r.atEnd()) {
    if (r.accept(T.Comma)) continue;
    if (stop(r, keys.length) || !r.atValue()) break;
    const quoted = r.peek()!.tokenType === T.DQString;
    const written = readField(r, "a field to sort by");
    let text = written.name;
    let start = written.span.start;
    let sign: string | undefined;
    if (!quoted && (text.startsWith("+") || text.startsWith("-"))) {
      [sign, text, start] = [text[0], text.slice(1), start + 1];
    }
    if (text === "") {
      defaultDescending = sign === "-";
      danglingSign = written;
      continue;
    }
    danglingSign = undefined;
    const collated = quoted ? null : COLLATED.exec(text);
    let field: FieldArg = { name: text, span: { start, end: written.span.end } };
    if (collated) {
      const inner = collated[2]!.trim();
      const name = /^".*"$/.test(inner) ? inner.slice(1, -1) : inner;
      if (name === "") r.fail("bad-argument", `${r.command}: expected a field name inside ${collated[1]}( )`, written.span);
      field = { name, span: { start: start + collated[1]!.length + 1, end: written.span.end - 1 } };
    }
    const collation = (collated?.[1]?.toLowerCase() ?? "auto") as SortCollation;
    keys.push({ field, descending: sign === undefined ? defaultDescending : sign === "-", collation, span: written.span });
  }
  if (danglingSign) r.fail("bad-argument", `${r.command}: '${danglingSign.name}' must be followed by a field to sort by`, danglingSign.span);
  return keys;
}

/** A final `d`/`desc` word (the last argument, after at least one key) is the reverse flag, not a field. */
const atReverse = (r: ArgReader, keys: number): boolean => keys > 0 && r.atWord("d", "desc") && r.peek(1) === undefined;

export const sort = defineCommand<SortArgs>({
  name: "sort",
  parse(r: ArgReader) {
    // "If no number is specified, the default limit of 10000 is used. If number is 0, all results
    // will be returned." The count may also be written limit=<int> (sort doc, 9.0).
    let limit = 10000;
    const t = r.peek();
    if (t?.tokenType === T.Word && isCount(t.image)) limit = Number(r.next().image);
    const keys: SortKey[] = [];
    let reverse = false;
    while (!r.atEnd()) {
      if (readOption(r, { limit: (o) => (limit = intOption(o, r)) })) continue;
      if (atReverse(r, keys.length)) {
        r.next();
        reverse = true;
        continue;
      }
      const more = readSortKeys(r, (r, n) => r.atOption() || atReverse(r, keys.length + n));
      if (more.length === 0) r.failHere("expected a field to sort by");
      keys.push(...more);
    }
    if (keys.length === 0) r.failHere("expected a field to sort by, as in sort -count");
    return { limit, keys, reverse };
  },
});

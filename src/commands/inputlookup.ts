import type { ArgReader } from "../parse/args.js";
import type { SearchExpr } from "../parse/ast.js";
import { defineCommand } from "./command.js";
import { boolOption, intOption, readOption, type FieldArg, type OptionHandlers } from "./options.js";

/**
 * `inputlookup [append=<bool>] [strict=<bool>] [start=<int>] [max=<int>] (<filename>|<tablename>) [WHERE <search-expression>]`
 * (searchbnf `[inputlookup-command]`). A generating command unless append=true, when it appends the
 * lookup's rows to the incoming results. ESCU also writes `inputlookup <name> append=t`.
 */
export interface InputlookupArgs {
  /** A CSV file name (`x.csv`, `x.csv.gz`) or a transforms.conf lookup table name. */
  readonly table: FieldArg;
  readonly append: boolean;
  readonly strict: boolean;
  /** Rows to skip (0-based first row); default 0. */
  readonly start: number;
  /** Most rows to read; absent = all. */
  readonly max?: number;
  /** Search syntax, as in `search` (OR binds tighter than AND). */
  readonly where?: SearchExpr;
}

/** Lookup names never leave the lookups folder: a path separator or `..` is refused. */
export function readLookupName(r: ArgReader, what: string): FieldArg {
  const v = r.value(what);
  if (/[/\\]|\.\./.test(v.text)) {
    r.fail("bad-argument", `${r.command}: '${v.text}' is a path; name a lookup file or lookup table in the lookups folder (as in attacker_tools or attacker_tools.csv)`, v.span);
  }
  return { name: v.text, span: v.span };
}

export const inputlookup = defineCommand<InputlookupArgs>({
  name: "inputlookup",
  generating: (args) => !args.append,
  parse(r: ArgReader) {
    const opts = { append: false, strict: false, start: 0, max: undefined as number | undefined };
    const options: OptionHandlers = {
      append: (o) => (opts.append = boolOption(o, r)),
      strict: (o) => (opts.strict = boolOption(o, r)),
      start: (o) => (opts.start = intOption(o, r)),
      max: (o) => (opts.max = intOption(o, r)),
    };
    let table: FieldArg | undefined;
    let where: SearchExpr | undefined;
    while (!r.atEnd()) {
      if (table && r.atOption() && !Object.hasOwn(options, r.peek()!.image.toLowerCase())) {
        // `inputlookup assets priority=high`: a filter without WHERE, not an option.
        r.failHere("expected WHERE before a condition on the rows (inputlookup <name> WHERE <search>)");
      }
      if (readOption(r, options)) continue;
      if (table && r.acceptWord("where") !== undefined) {
        where = r.searchExpression();
        break;
      }
      if (table) r.failHere("expected WHERE <search> or an option after the lookup name");
      table = readLookupName(r, "a lookup file or table name");
    }
    if (!table) return r.failHere("expected a lookup file or table name (inputlookup <name>)");
    const { max, ...rest } = opts;
    return { table, ...rest, ...(max !== undefined && { max }), ...(where && { where }) };
  },
});

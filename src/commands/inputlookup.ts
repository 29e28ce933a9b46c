import { RuntimeError, type ExecContext } from "../exec/context.js";
import type { ArgReader } from "../parse/args.js";
import type { SearchExpr } from "../parse/ast.js";
import { compileSearchExpr, MatchError } from "../search/match.js";
import { Table } from "../table/table.js";
import { defineCommand } from "./command.js";
import { lookupTableOf } from "./lookup.js";
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
  run: (args, input, ctx) => runInputlookup(args, input, ctx),
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

// ---- running -------------------------------------------------------------------------------------

/**
 * The lookup's rows, in file order (searchbnf [inputlookup-command]; Search Reference, inputlookup):
 * `start` is the 0-based offset of the first row read and `max` the most rows read (so both count
 * file rows, before `where`); `where` filters with search semantics (the docs' example
 * `inputlookup usertogroup where foo>2 OR bar=5`). append=true adds the rows after the incoming
 * results "instead of replacing" them. An empty CSV cell is no value.
 */
function runInputlookup(args: InputlookupArgs, input: Table, ctx: ExecContext): Table {
  let rows = lookupTableOf(args.table, ctx, "inputlookup").table();
  const end = args.max === undefined ? rows.length : Math.min(rows.length, args.start + args.max);
  if (args.start > 0 || end < rows.length) rows = rows.take(range(Math.min(args.start, end), end));
  if (args.where) {
    let matches;
    try {
      matches = compileSearchExpr(args.where, rows, ctx);
    } catch (error) {
      if (error instanceof MatchError) throw new RuntimeError(error.message, error.span);
      throw error;
    }
    const keep = new Uint32Array(rows.length);
    let n = 0;
    for (let row = 0; row < rows.length; row++) if (matches(row)) keep[n++] = row;
    if (n < rows.length) rows = rows.take(keep.subarray(0, n));
  }
  return args.append ? Table.concat([input, rows]) : rows;
}

function range(from: number, to: number): Uint32Array {
  const out = new Uint32Array(Math.max(0, to - from));
  for (let i = 0; i < out.length; i++) out[i] = from + i;
  return out;
}

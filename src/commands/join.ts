import { RuntimeError, type ExecContext } from "../exec/context.js";
import type { ArgReader } from "../parse/args.js";
import type { Pipeline, Span, Stage } from "../parse/ast.js";
import { Table, type Column } from "../table/table.js";
import { toNumber, valueText, type Value } from "../table/value.js";
import { firstRows } from "./append.js";
import { defineCommand } from "./command.js";
import { boolOption, intOption, parseChoice, readFieldList, readOption, type FieldArg, type OptionHandlers } from "./options.js";

/**
 * `join [type=inner|outer|left] [usetime=<bool>] [earlier=<bool>] [overwrite=<bool>] [max=<int>] [<field-list>] [subsearch]`
 * (searchbnf `[join-command]`). Options may also follow the fields (ESCU: `join user type=outer [...]`).
 */
export interface JoinArgs {
  /** `outer` and `left` are the same join (searchbnf: "outer and left are synonymous"). Default inner. */
  readonly type: "inner" | "outer" | "left";
  /** usetime=true: only join subsearch results earlier (or later, with earlier=false) than the main ones. Default false. */
  readonly usetime: boolean;
  /** Default true. */
  readonly earlier: boolean;
  /** overwrite=true (default): subsearch values replace main values of the same field. */
  readonly overwrite: boolean;
  /** Subsearch rows joined per main row: default 1, 0 = unlimited. */
  readonly max: number;
  /** Join fields; empty = every field the two sides have in common. */
  readonly fields: readonly FieldArg[];
  readonly subsearch: Pipeline;
  readonly subsearchSpan: Span;
}

export const join = defineCommand<JoinArgs>({
  name: "join",
  run: (args, input, ctx, stage) => runJoin(args, input, ctx, stage),
  parse(r: ArgReader) {
    const opts = { type: "inner" as JoinArgs["type"], usetime: false, earlier: true, overwrite: true, max: 1 };
    const options: OptionHandlers = {
      type: (o) => (opts.type = parseChoice(o.value, r, "type=", ["inner", "outer", "left"] as const)),
      usetime: (o) => (opts.usetime = boolOption(o, r)),
      earlier: (o) => (opts.earlier = boolOption(o, r)),
      overwrite: (o) => (opts.overwrite = boolOption(o, r)),
      max: (o) => (opts.max = intOption(o, r)),
    };
    const fields: FieldArg[] = [];
    while (!r.atEnd() && !r.atSubsearch()) {
      if (readOption(r, options)) continue;
      const more = readFieldList(r, "a field name", undefined, true);
      if (more.length === 0) r.failHere("expected join fields, an option or a [subsearch]");
      fields.push(...more);
    }
    if (!r.atSubsearch()) r.failHere("expected a [subsearch] to join with");
    const { pipeline, span } = r.subsearch();
    r.end();
    return { ...opts, fields, subsearch: pipeline, subsearchSpan: span };
  },
});

// ---- running -------------------------------------------------------------------------------------

/** "A maximum of 50,000 rows in the right-side dataset can be joined" (join, Search Reference 9.4; limits.conf [join] subsearch_maxout). */
const JOIN_MAXOUT = 50_000;

/**
 * join (searchbnf [join-command], [join-options]; Search Reference 9.4, join):
 *
 * - A main result and a subsearch result match when every join field has the same value on both
 *   sides, compared as exact strings ("the <field-list> argument for the join command is case
 *   sensitive"); a result without a join field matches nothing. A multivalue compares as a whole.
 * - "If no fields are specified, all of the fields that are common to both result sets are used";
 *   internal `_` fields are left out of that set (searchbnf: fields beginning with "_" "are not used
 *   in many of the commands that by default operate on all the fields"; UNCONFIRMED for join).
 * - "The results of an inner join do not include events from the main search that have no matches
 *   in the subsearch. The results of a left (or outer) join include all of the events from the main
 *   search". max: "the maximum number of subresults each main result can join with. The default for
 *   max is 1. Specify 0 to indicate there is no limit"; each joined subsearch row gives one output
 *   row, in subsearch order ("This argument joins each matching subsearch row with the corresponding
 *   main search row").
 * - overwrite (default true): "if fields from the subresults should overwrite those from the main
 *   result if they have the same field name"; a subsearch result without the field leaves the main
 *   value.
 * - usetime=true: only subsearch results at or before (earlier=true) or at or after (earlier=false)
 *   the main result's _time join with it (whether equal times count is UNCONFIRMED).
 */
async function runJoin(args: JoinArgs, input: Table, ctx: ExecContext, stage: Stage<JoinArgs>): Promise<Table> {
  let sub = await ctx.runSubsearch(args.subsearch);
  if (sub.length > JOIN_MAXOUT) {
    ctx.warn(`join: the subsearch returned ${sub.length} results; only the first ${JOIN_MAXOUT} are joined`, args.subsearchSpan);
    sub = sub.take(firstRows(JOIN_MAXOUT));
  }
  let fields = args.fields.map((f) => f.name);
  if (fields.length === 0) {
    fields = input.fields().filter((f) => !f.startsWith("_") && sub.has(f));
    if (fields.length === 0 && sub.length > 0 && input.length > 0) {
      throw new RuntimeError("join: the results and the subsearch have no field in common to join on; name the join fields", stage.nameSpan);
    }
  }
  const keyOf = (table: Table) => {
    const columns = fields.map((f) => table.column(f));
    return (row: number): string | undefined => {
      let key = "";
      for (let i = 0; i < columns.length; i++) {
        const text = valueText(columns[i]?.get(row) ?? null);
        if (text === null) return undefined;
        key += i === 0 ? text : `\u0000${text}`;
      }
      return key;
    };
  };
  const index = new Map<string, number[]>();
  const subKey = keyOf(sub);
  for (let row = 0; row < sub.length; row++) {
    const key = subKey(row);
    if (key === undefined) continue;
    const list = index.get(key);
    if (list) list.push(row);
    else index.set(key, [row]);
  }
  const mainTime = input.column("_time");
  const subTime = sub.column("_time");
  const timeOk = (main: number, s: number): boolean => {
    if (!args.usetime) return true;
    const a = toNumber(mainTime?.get(main) ?? null);
    const b = toNumber(subTime?.get(s) ?? null);
    if (a === null || b === null) return false;
    return args.earlier ? b <= a : b >= a;
  };
  const limit = args.max === 0 ? Infinity : args.max;
  const mainRows: number[] = [];
  const subRows: number[] = [];
  const mainKey = keyOf(input);
  for (let row = 0; row < input.length; row++) {
    const key = fields.length > 0 ? mainKey(row) : undefined;
    const candidates = key === undefined ? undefined : index.get(key);
    let joined = 0;
    for (const s of candidates ?? []) {
      if (joined >= limit) break;
      if (!timeOk(row, s)) continue;
      mainRows.push(row);
      subRows.push(s);
      joined++;
    }
    if (joined === 0 && args.type !== "inner") {
      mainRows.push(row);
      subRows.push(-1);
    }
  }
  const m = Uint32Array.from(mainRows);
  const s = Int32Array.from(subRows);
  const joinFields = new Set(fields);
  const columns = new Map<string, Column>();
  for (const f of input.fields()) {
    const subColumn = joinFields.has(f) ? undefined : sub.column(f);
    columns.set(f, new JoinedColumn(input.column(f), subColumn, m, s, args.overwrite));
  }
  for (const f of sub.fields()) if (!columns.has(f)) columns.set(f, new JoinedColumn(undefined, sub.column(f), m, s, true));
  return new Table(m.length, columns);
}

/** A field of the joined rows: the main value, or the subsearch value where it wins (overwrite) or the main one is null. */
class JoinedColumn implements Column {
  constructor(
    private readonly main: Column | undefined,
    private readonly sub: Column | undefined,
    private readonly mainRows: Uint32Array,
    private readonly subRows: Int32Array,
    private readonly overwrite: boolean,
  ) {}
  get length(): number {
    return this.mainRows.length;
  }
  get(row: number): Value {
    const mainValue = this.main ? this.main.get(this.mainRows[row]!) : null;
    const s = this.subRows[row]!;
    const subValue = this.sub && s >= 0 ? this.sub.get(s) : null;
    if (subValue === null) return mainValue;
    if (mainValue === null) return subValue;
    return this.overwrite ? subValue : mainValue;
  }
}

import type { ArgReader } from "../parse/args.js";
import type { Pipeline, Span } from "../parse/ast.js";
import { Table } from "../table/table.js";
import { defineCommand } from "./command.js";
import { boolOption, intOption, readOption, type OptionHandlers } from "./options.js";

/**
 * `append [extendtimerange=<bool>] [maxtime=<int>] [maxout=<int>] [timeout=<int>] <subsearch>`
 * (searchbnf `[append-command]`): appends the subsearch's results to the current results.
 * Defaults from the append docs: maxtime 60 s, maxout 50000 rows, timeout 60 s.
 */
export interface AppendArgs {
  readonly extendtimerange: boolean;
  readonly maxtime: number;
  readonly maxout: number;
  readonly timeout: number;
  readonly subsearch: Pipeline;
  readonly subsearchSpan: Span;
}

export const append = defineCommand<AppendArgs>({
  name: "append",
  /**
   * "Append the results of a subsearch as additional results at the end of the current results"
   * (searchbnf [append-command]); "The maxout option specifies the maximum number of results to
   * return from the subsearch" ([subsearch-options]). maxout=0 is read as no limit (UNCONFIRMED).
   * maxtime and timeout bound a running Splunk subsearch; here the subsearch runs to completion.
   */
  async run(args, input, ctx) {
    let sub = await ctx.runSubsearch(args.subsearch);
    if (args.maxout > 0 && sub.length > args.maxout) sub = sub.take(firstRows(args.maxout));
    return Table.concat([input, sub]);
  },
  parse(r: ArgReader) {
    const opts = { extendtimerange: false, maxtime: 60, maxout: 50000, timeout: 60 };
    const options: OptionHandlers = {
      extendtimerange: (o) => (opts.extendtimerange = boolOption(o, r)),
      maxtime: (o) => (opts.maxtime = intOption(o, r)),
      maxout: (o) => (opts.maxout = intOption(o, r)),
      timeout: (o) => (opts.timeout = intOption(o, r)),
    };
    while (readOption(r, options));
    if (!r.atSubsearch()) r.failHere("expected a [subsearch] to append");
    const { pipeline, span } = r.subsearch();
    r.end();
    return { ...opts, subsearch: pipeline, subsearchSpan: span };
  },
});

export function firstRows(n: number): Uint32Array {
  const rows = new Uint32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return rows;
}

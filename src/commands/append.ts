import type { ArgReader } from "../parse/args.js";
import type { Pipeline, Span } from "../parse/ast.js";
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

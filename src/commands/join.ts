import type { ArgReader } from "../parse/args.js";
import type { Pipeline, Span } from "../parse/ast.js";
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

/**
 * What every SPL command file exports: its name, how it reads its arguments into a typed AST,
 * and whether it generates results (and so must come first). Execution joins this spec when the
 * executor lands; a new command is one new file and one line in ./index.ts.
 */
import type { ExecContext } from "../exec/context.js";
import type { ArgReader } from "../parse/args.js";
import type { Stage } from "../parse/ast.js";
import type { Table } from "../table/table.js";

export interface CommandSpec<A = unknown> {
  /** The name as users type it (lower case; Splunk command names are case-insensitive). */
  readonly name: string;
  readonly aliases?: readonly string[];
  /**
   * True when, with these arguments, the command generates results and must be the first command
   * of its search or subsearch (searchbnf: tstats "is a generating processor, so it must be the first
   * command in a search", except with append=t).
   */
  readonly generating?: (args: A) => boolean;
  /** Read the arguments; throw through `r.fail...` with a located message on bad input. */
  readonly parse: (r: ArgReader) => A;
  /**
   * Run over the results so far (an empty table for a generating command). Commands without `run`
   * parse and check but cannot run yet; the executor refuses them before the search starts.
   */
  readonly run?: (args: A, input: Table, ctx: ExecContext, stage: Stage<A>) => Table | Promise<Table>;
}

export function defineCommand<A>(spec: CommandSpec<A>): CommandSpec<A> {
  return spec;
}

/** A spec of any command, as the registry holds them; each command's own file keeps its args typed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCommandSpec = CommandSpec<any>;

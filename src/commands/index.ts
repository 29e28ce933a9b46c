/**
 * The command registry: one line per command. Commands not listed here parse generically and are
 * reported as "not supported yet" by `check`, before anything runs.
 */
import type { AnyCommandSpec } from "./command.js";
import { rename } from "./rename.js";
import { convert } from "./convert.js";
import { iplocation } from "./iplocation.js";
import { fit } from "./fit.js";
import { apply } from "./apply.js";
import { sort } from "./sort.js";
import { table } from "./table.js";
import { fields } from "./fields.js";
import { head } from "./head.js";
import { dedup } from "./dedup.js";
import { fillnull } from "./fillnull.js";
import { bin } from "./bin.js";
import { rex } from "./rex.js";
import { lookup } from "./lookup.js";
import { inputlookup } from "./inputlookup.js";
import { join } from "./join.js";
import { append } from "./append.js";
import { evalCommand } from "./eval.js";
import { eventstats } from "./eventstats.js";
import { deletemodel } from "./deletemodel.js";
import { from } from "./from.js";
import { listmodels } from "./listmodels.js";
import { summary } from "./summary.js";
import { makeresults } from "./makeresults.js";
import { search } from "./search.js";
import { stats } from "./stats.js";
import { tstats } from "./tstats.js";
import { where } from "./where.js";

const commands: readonly AnyCommandSpec[] = [
  search,
  tstats,
  stats,
  evalCommand,
  where,
  rename,
  convert,
  iplocation,
  fit,
  apply,
  sort,
  table,
  fields,
  head,
  dedup,
  fillnull,
  bin,
  rex,
  lookup,
  inputlookup,
  join,
  append,
  from,
  makeresults,
  eventstats,
  summary,
  listmodels,
  deletemodel,
];

const byName = new Map<string, AnyCommandSpec>();
for (const spec of commands) {
  for (const name of [spec.name, ...(spec.aliases ?? [])]) byName.set(name, spec);
}

export function commandSpec(name: string): AnyCommandSpec | undefined {
  return byName.get(name.toLowerCase());
}

export function commandNames(): string[] {
  return [...byName.keys()].sort();
}

/**
 * Generating commands spelunk does not run yet: still refused when not first, so the error a user
 * sees is the same one Splunk gives, not "not supported".
 */
export const unsupportedGenerating: ReadonlySet<string> = new Set([
  "rest", "datamodel", "metadata", "metasearch", "eventcount", "dbinspect",
  "inputcsv", "loadjob", "savedsearch", "mstats", "pivot", "mcatalog", "gentimes",
]);

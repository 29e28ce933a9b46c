import type { ArgReader } from "../parse/args.js";
import type { Span } from "../parse/ast.js";
import * as T from "../parse/lexer.js";
import { defineCommand } from "./command.js";
import { readLookupName } from "./inputlookup.js";
import { boolOption, readField, readOption, type FieldArg, type OptionHandlers } from "./options.js";

/** `<lookup field> [AS <event field>]`; without AS both are the same name. */
export interface LookupFieldMap {
  readonly lookupField: FieldArg;
  readonly eventField: FieldArg;
}

/**
 * `lookup [local=<bool>] [update=<bool>] [event_time_field=<field>] <lookup-table-name>
 *  (<lookup-field> [AS <event-field>])+ [(OUTPUT|OUTPUTNEW) (<lookup-field> [AS <event-field>])+]`
 * (searchbnf `[lookup-command]`). Keywords are case-insensitive (ESCU writes `output`); commas
 * between fields are optional (`OUTPUT category, appDescription as Description`).
 */
export interface LookupArgs {
  readonly table: FieldArg;
  readonly local: boolean;
  readonly update: boolean;
  readonly eventTimeField?: FieldArg;
  /** The fields matched between the events and the lookup. */
  readonly inputs: readonly LookupFieldMap[];
  /**
   * Absent: every lookup field is added. OUTPUT overwrites existing event fields; OUTPUTNEW writes
   * only fields the event does not have.
   */
  readonly output?: { readonly mode: "OUTPUT" | "OUTPUTNEW"; readonly fields: readonly LookupFieldMap[]; readonly span: Span };
}

function readMaps(r: ArgReader, what: string): LookupFieldMap[] {
  const maps: LookupFieldMap[] = [];
  while (!r.atEnd() && !r.atWord("output", "outputnew") && !r.atOption()) {
    if (r.accept(T.Comma)) continue;
    const lookupField = readField(r, what);
    const eventField = r.acceptWord("as") !== undefined ? readField(r, `the event field for '${lookupField.name}' after AS`) : lookupField;
    maps.push({ lookupField, eventField });
  }
  return maps;
}

export const lookup = defineCommand<LookupArgs>({
  name: "lookup",
  parse(r: ArgReader) {
    const flags = { local: false, update: false };
    let eventTimeField: FieldArg | undefined;
    const options: OptionHandlers = {
      local: (o) => (flags.local = boolOption(o, r)),
      update: (o) => (flags.update = boolOption(o, r)),
      event_time_field: (o) => (eventTimeField = { name: o.value.text, span: o.value.span }),
    };
    while (readOption(r, options));
    const table = readLookupName(r, "a lookup table name");
    const inputs: LookupFieldMap[] = [];
    let output: LookupArgs["output"];
    while (!r.atEnd()) {
      if (readOption(r, options)) continue;
      const keyword = r.peek()!;
      const mode = r.acceptWord("output", "outputnew");
      if (mode === undefined) {
        inputs.push(...readMaps(r, "a field to match in the lookup"));
        continue;
      }
      if (output) r.fail("bad-argument", `lookup: ${keyword.image} may be given only once`, { start: keyword.startOffset, end: T.tokenEnd(keyword) });
      const fields = readMaps(r, `a field to ${mode.toUpperCase()}`);
      if (fields.length === 0) r.failHere(`expected the lookup fields to write after ${keyword.image}`);
      output = { mode: mode === "output" ? "OUTPUT" : "OUTPUTNEW", fields, span: r.spanFrom(keyword.startOffset) };
    }
    if (inputs.length === 0) {
      r.fail("bad-argument", `lookup: expected a field to match in '${table.name}' (lookup ${table.name} <field> [AS <event field>] OUTPUT ...)`, table.span);
    }
    const args = { table, ...flags, inputs };
    return { ...args, ...(eventTimeField && { eventTimeField }), ...(output && { output }) };
  },
});

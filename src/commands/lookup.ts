import { RuntimeError, type ExecContext } from "../exec/context.js";
import { LookupError, type LookupTable } from "../knowledge/lookup.js";
import type { ArgReader } from "../parse/args.js";
import type { Span } from "../parse/ast.js";
import * as T from "../parse/lexer.js";
import { ArrayColumn, type Column, type Table } from "../table/table.js";
import type { Value } from "../table/value.js";
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
  run: (args, input, ctx) => runLookup(args, input, ctx),
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

// ---- running -------------------------------------------------------------------------------------

/** The lookup table a command names, or a RuntimeError at the name (the name never leaves the lookups folder: readLookupName). */
export function lookupTableOf(table: FieldArg, ctx: ExecContext, command: string): LookupTable {
  const found = ctx.data.lookup(table.name);
  if (!found) {
    throw new RuntimeError(
      `${command}: no lookup table '${table.name}' (no transforms.conf lookup stanza of that name and no such file in an app's lookups folder)`,
      table.span,
    );
  }
  return found;
}

/**
 * Search Reference, lookup (Usage): "if an OUTPUT or OUTPUTNEW clause is not specified, all of the
 * fields in the lookup table that are not the match fields are used as output fields. If the OUTPUT
 * clause is specified, the output lookup fields overwrite existing fields. If the OUTPUTNEW clause is
 * specified, the lookup is not performed for events in which the output fields already exist."
 *
 * - Matching (exact/CIDR/WILDCARD, case sensitivity, max_matches giving multivalue outputs in file
 *   order, min_matches/default_match) is the LookupTable's (src/knowledge/lookup.ts).
 * - OUTPUT (and no clause) writes the lookup's value to every result: a result without a match, or
 *   without a match field, gets no value, even if it had one. UNCONFIRMED: the docs only say OUTPUT
 *   overwrites; users report the field emptied when nothing matches.
 * - OUTPUTNEW is decided field by field: an output field the result already has is kept.
 */
function runLookup(args: LookupArgs, input: Table, ctx: ExecContext): Table {
  const table = lookupTableOf(args.table, ctx, "lookup");
  const known = new Set(table.fields);
  const missing = (f: FieldArg) =>
    new RuntimeError(`lookup: ${args.table.name} has no field '${f.name}' (its fields: ${table.fields.join(", ")})`, f.span);
  for (const m of args.inputs) if (!known.has(m.lookupField.name)) throw missing(m.lookupField);
  for (const m of args.output?.fields ?? []) if (!known.has(m.lookupField.name)) throw missing(m.lookupField);
  const inputNames = new Set(args.inputs.map((m) => m.lookupField.name));
  const outputs: LookupFieldMap[] =
    args.output?.fields.slice() ??
    table.fields.filter((f) => !inputNames.has(f)).map((f) => ({ lookupField: { name: f, span: args.table.span }, eventField: { name: f, span: args.table.span } }));
  let matcher;
  try {
    matcher = table.matcher(
      args.inputs.map((m) => m.lookupField.name),
      outputs.map((m) => m.lookupField.name),
    );
  } catch (error) {
    if (error instanceof LookupError) throw new RuntimeError(error.message, args.table.span);
    throw error;
  }
  const inputColumns = args.inputs.map((m) => input.column(m.eventField.name));
  const results = new Array<readonly Value[] | undefined>(input.length);
  const scratch: Value[] = new Array<Value>(inputColumns.length).fill(null);
  for (let row = 0; row < input.length; row++) {
    for (let i = 0; i < inputColumns.length; i++) scratch[i] = inputColumns[i]?.get(row) ?? null;
    results[row] = matcher(scratch);
  }
  const outputNew = args.output?.mode === "OUTPUTNEW";
  const columns: Array<[string, Column]> = outputs.map((m, k) => {
    const existing = input.column(m.eventField.name);
    const values = new Array<Value>(input.length);
    for (let row = 0; row < input.length; row++) {
      const old = existing ? existing.get(row) : null;
      values[row] = outputNew && old !== null ? old : (results[row]?.[k] ?? null);
    }
    return [m.eventField.name, new ArrayColumn(values)];
  });
  return input.withColumns(columns);
}

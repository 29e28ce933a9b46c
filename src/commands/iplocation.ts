import { RuntimeError, type ExecContext } from "../exec/context.js";
import { geoDatabase, GeoDatabaseError, type GeoDatabase, type GeoField, type GeoRecord } from "../geo/index.js";
import type { ArgReader } from "../parse/args.js";
import type { Stage } from "../parse/ast.js";
import type { Column, Table } from "../table/table.js";
import { scalarText, type Value } from "../table/value.js";
import { defineCommand } from "./command.js";
import { boolOption, readField, readOption, type FieldArg, type OptionHandlers } from "./options.js";

/**
 * `iplocation [prefix=<string>] [allfields=<bool>] [lang=<string>] <ip-address-fieldname>`
 * (searchbnf 8.2.12 `[iplocation-command]`; spl_semantics.md §3). Adds City, Country, Region, lat, lon,
 * and Continent, MetroCode, Timezone with allfields=true, each name prefixed with `prefix`.
 */
export interface IplocationArgs {
  readonly field: FieldArg;
  /** Prepended to every added field name; default "". */
  readonly prefix: string;
  readonly allfields: boolean;
  /** Language of the names (`es`, or `code` for abbreviations); absent = English. */
  readonly lang?: string;
}

export const iplocation = defineCommand<IplocationArgs>({
  name: "iplocation",
  parse(r: ArgReader) {
    let prefix = "";
    let allfields = false;
    let lang: string | undefined;
    let field: FieldArg | undefined;
    const options: OptionHandlers = {
      prefix: (o) => (prefix = o.value.text),
      allfields: (o) => (allfields = boolOption(o, r)),
      lang: (o) => (lang = o.value.text),
    };
    // The options may also follow the field (Splunk reads key=value arguments anywhere).
    while (!r.atEnd()) {
      if (readOption(r, options)) continue;
      if (field) r.failHere("expected only one IP address field");
      field = readField(r, "the IP address field");
    }
    if (!field) return r.failHere("expected the IP address field (iplocation <field>)");
    return lang === undefined ? { field, prefix, allfields } : { field, prefix, allfields, lang };
  },
  run: (args, input, ctx, stage) => runIplocation(args, input, ctx, stage),
});

/**
 * The added fields, in the order the 9.4 Search Reference lists them ("City, Continent, Country,
 * MetroCode, Region, Timezone, _time, lat, and lon" with allfields=true; "City, Country, Region,
 * _time, lat, and lon" by default; _time is the event's own and is left alone).
 */
export const IPLOCATION_FIELDS: readonly GeoField[] = ["City", "Country", "Region", "lat", "lon"];
export const IPLOCATION_ALL_FIELDS: readonly GeoField[] = ["City", "Continent", "Country", "MetroCode", "Region", "Timezone", "lat", "lon"];

/**
 * Each row's location from the first value of the IP field, each distinct address looked up once.
 * A row whose address has a location gets every field, empty ("") where the database has no value
 * ("an event can have empty field values"); a row without one (private addresses, no address)
 * gets no fields: what it had under those names stays, else null ("For IP addresses which do not
 * have a location, such as internal addresses, no fields are added"; 9.4 Search Reference).
 */
function runIplocation(args: IplocationArgs, input: Table, ctx: ExecContext, stage: Stage<IplocationArgs>): Table {
  const db = openDatabase(ctx, stage);
  const lang = args.lang ?? "en";
  const source = input.column(args.field.name);
  const records: Array<GeoRecord | undefined> = new Array<GeoRecord | undefined>(input.length);
  if (source) {
    const seen = new Map<string, GeoRecord | null>();
    for (let row = 0; row < input.length; row++) {
      const ip = firstText(source.get(row));
      if (ip === undefined) continue;
      let record = seen.get(ip);
      if (record === undefined) {
        record = db.lookup(ip, lang) ?? null;
        seen.set(ip, record);
      }
      if (record) records[row] = record;
    }
  }
  const fields = args.allfields ? IPLOCATION_ALL_FIELDS : IPLOCATION_FIELDS;
  return input.withColumns(
    fields.map((field) => {
      const name = args.prefix + field;
      return [name, new GeoFieldColumn(records, field, input.column(name))] as [string, Column];
    }),
  );
}

function openDatabase(ctx: ExecContext, stage: Stage<IplocationArgs>): GeoDatabase {
  try {
    return geoDatabase(ctx.geoipDb);
  } catch (error) {
    if (error instanceof GeoDatabaseError) throw new RuntimeError(`iplocation: ${error.message}`, stage.nameSpan);
    throw error;
  }
}

/** The address text of a field value: its first value when it is a multivalue. */
function firstText(value: Value): string | undefined {
  if (value === null) return undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : scalarText(first as string | number);
}

/** One added field: the row's record's value, "" when the record lacks it, the field's old value when there is no record. */
class GeoFieldColumn implements Column {
  constructor(
    private readonly records: ReadonlyArray<GeoRecord | undefined>,
    private readonly field: GeoField,
    private readonly previous: Column | undefined,
  ) {}
  get length(): number {
    return this.records.length;
  }
  get(row: number): Value {
    const record = this.records[row];
    if (record === undefined) return this.previous ? this.previous.get(row) : null;
    return record[this.field] ?? "";
  }
}

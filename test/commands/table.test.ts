import { describe, it, expect } from "vitest";
import type { TableArgs } from "../../src/commands/table.js";
import { argsOf, parseError, pointedAt, stageArgs, textAt } from "./_helpers.js";

const fields = (...names: string[]) => ({ fields: names.map((name) => ({ name })) });

describe("table", () => {
  it("keeps the seed columns in the order written", () => {
    const search = "| table _time src dest port count";
    expect(argsOf(search)).toEqual(fields("_time", "src", "dest", "port", "count"));
    expect(stageArgs<TableArgs>(search).fields.map((f) => textAt(search, f.span))).toEqual(["_time", "src", "dest", "port", "count"]);
  });

  it("accepts commas, spaces and both, wildcards and quoted names", () => {
    expect(argsOf('| table firstTime, user, dest, count , vendor_region baz* "PSWA Host"')).toEqual(
      fields("firstTime", "user", "dest", "count", "vendor_region", "baz*", "PSWA Host"),
    );
  });

  it("needs at least one field", () => {
    expect(parseError("| table").message).toBe("table: expected a field name (table <field> ...) but found the end of the input");
  });

  it("refuses an option it does not have", () => {
    const search = "| table limit=5 src";
    const d = parseError(search);
    expect(d.message).toBe("table: unknown option 'limit=' (table takes no options)");
    expect(pointedAt(search, d)).toBe("limit");
  });
});

import { describe, it, expect } from "vitest";
import type { IplocationArgs } from "../../src/commands/iplocation.js";
import { argsOf, parseError, pointedAt, stageArgs, textAt } from "./_helpers.js";

describe("iplocation", () => {
  it("reads the seed form: one IP field, English names, the five default fields", () => {
    const search = "| iplocation dest_ip";
    expect(argsOf(search)).toEqual({ field: { name: "dest_ip" }, prefix: "", allfields: false });
    expect(textAt(search, stageArgs<IplocationArgs>(search).field.span)).toBe("dest_ip");
  });

  it("reads prefix, allfields and lang before the field", () => {
    expect(argsOf("| iplocation prefix=iploc_ allfields=true lang=es src")).toEqual({
      field: { name: "src" },
      prefix: "iploc_",
      allfields: true,
      lang: "es",
    });
  });

  it("reads options after the field and data model field names", () => {
    expect(argsOf("| iplocation Authentication.src allfields=T")).toEqual({ field: { name: "Authentication.src" }, prefix: "", allfields: true });
  });

  it("says the IP field is missing", () => {
    expect(parseError("| iplocation prefix=geo_").message).toBe(
      "iplocation: expected the IP address field (iplocation <field>) but found the end of the input",
    );
  });

  it("refuses a second field", () => {
    const search = "| iplocation src dest";
    const d = parseError(search);
    expect(d.message).toBe("iplocation: expected only one IP address field but found 'dest'");
    expect(pointedAt(search, d)).toBe("dest");
  });

  it("refuses a non-boolean allfields", () => {
    const search = "| iplocation allfields=all src";
    const d = parseError(search);
    expect(d.message).toBe("iplocation: allfields= expects true or false but found 'all'");
    expect(pointedAt(search, d)).toBe("all");
  });

  it("names the valid options for an unknown one", () => {
    const search = "| iplocation db=GeoLite2 src";
    const d = parseError(search);
    expect(d.message).toBe("iplocation: unknown option 'db=' (iplocation accepts prefix=, allfields=, lang=)");
    expect(pointedAt(search, d)).toBe("db");
  });
});

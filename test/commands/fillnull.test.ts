import { describe, it, expect } from "vitest";
import { argsOf, parseError, pointedAt } from "./_helpers.js";

describe("fillnull", () => {
  it("fills every field with 0 by default", () => {
    expect(argsOf("| fillnull")).toEqual({ value: "0", fields: [] });
  });

  it("reads value= and a field list with commas", () => {
    expect(argsOf("| fillnull value=0 unique_accounts, unique_src")).toEqual({
      value: "0",
      fields: [{ name: "unique_accounts" }, { name: "unique_src" }],
    });
    expect(argsOf('| fillnull value="N/A"')).toEqual({ value: "N/A", fields: [] });
  });

  it("reads value= after the fields, as ESCU writes it", () => {
    expect(argsOf('| fillnull risk_score value="0"')).toEqual({ value: "0", fields: [{ name: "risk_score" }] });
  });

  it("names value= when given another option", () => {
    const search = "| fillnull val=NULL";
    const d = parseError(search);
    expect(d.message).toBe("fillnull: unknown option 'val=' (fillnull accepts value=)");
    expect(pointedAt(search, d)).toBe("val");
  });

  it("says value= needs a value", () => {
    expect(parseError("| fillnull value=").message).toBe("fillnull: expected a value for value= but found the end of the input");
  });
});

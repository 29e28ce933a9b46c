import { describe, it, expect } from "vitest";
import type { FitArgs } from "../../src/commands/fit.js";
import { argsOf, parseError, pointedAt, stageArgs, textAt } from "./_helpers.js";

describe("fit", () => {
  it("reads the seed DensityFunction search, splitting the quoted by-list", () => {
    const search = '| fit DensityFunction count by "HourOfDay,DayOfWeek" into smb_pdfmodel';
    expect(argsOf(search)).toEqual({
      algorithm: { name: "DensityFunction" },
      options: {},
      fields: [{ name: "count" }],
      from: [],
      by: [{ name: "HourOfDay" }, { name: "DayOfWeek" }],
      into: { name: "smb_pdfmodel" },
    });
    const args = stageArgs<FitArgs>(search);
    expect(args.by.map((f) => textAt(search, f.span))).toEqual(["HourOfDay", "DayOfWeek"]);
    expect(textAt(search, args.into!.span)).toBe("smb_pdfmodel");
  });

  it("keeps algorithm options as strings, also after into (ESCU cloud baselines)", () => {
    const search = '| fit DensityFunction api_calls by "user,HourOfDay,isWeekend" into cloud_v1 dist=norm show_density=true threshold="0.01,0.005"';
    const args = stageArgs<FitArgs>(search);
    expect(args.options).toEqual({ dist: "norm", show_density: "true", threshold: "0.01,0.005" });
    expect(textAt(search, args.optionSpans["dist"]!)).toBe("dist=norm");
    expect(args.by.map((f) => f.name)).toEqual(["user", "HourOfDay", "isWeekend"]);
  });

  it("accepts by-fields as separate words joined by commas", () => {
    expect(stageArgs<FitArgs>("| fit DensityFunction count by HourOfDay, DayOfWeek into m").by.map((f) => f.name)).toEqual(["HourOfDay", "DayOfWeek"]);
    expect(stageArgs<FitArgs>("| fit DensityFunction count BY HourOfDay,DayOfWeek").by.map((f) => f.name)).toEqual(["HourOfDay", "DayOfWeek"]);
  });

  it("reads from-fields and as for supervised algorithms", () => {
    expect(argsOf("| fit LinearRegression y from x1 x2 into lr as predicted")).toEqual({
      algorithm: { name: "LinearRegression" },
      options: {},
      fields: [{ name: "y" }],
      from: [{ name: "x1" }, { name: "x2" }],
      by: [],
      into: { name: "lr" },
      as: { name: "predicted" },
    });
  });

  it("refuses a model name that is a path", () => {
    const search = "| fit DensityFunction count into ../../etc/passwd";
    const d = parseError(search);
    expect(d.message).toBe(
      "fit: invalid model name '../../etc/passwd': a model name starts with a letter or underscore and has only letters, digits and underscores",
    );
    expect(pointedAt(search, d)).toBe("../../etc/passwd");
  });

  it("needs a field to fit", () => {
    expect(parseError("| fit DensityFunction into m").message).toBe("fit: expected the fields to fit with DensityFunction but found the end of the input");
  });

  it("refuses a keyword given twice", () => {
    const search = "| fit DensityFunction count into a into b";
    const d = parseError(search);
    expect(d.message).toBe("fit: 'into' may be given only once");
    expect(d.offset).toBe(search.lastIndexOf("into"));
  });

  it("needs the algorithm first", () => {
    expect(parseError("| fit dist=norm count").message).toBe("fit: expected an algorithm name such as DensityFunction but found 'dist'");
  });
});

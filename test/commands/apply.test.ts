import { describe, it, expect } from "vitest";
import type { ApplyArgs } from "../../src/commands/apply.js";
import { argsOf, parseError, pointedAt, stageArgs, textAt } from "./_helpers.js";

describe("apply", () => {
  it("reads the seed form: model and a threshold override", () => {
    const search = "| apply smb_pdfmodel threshold=0.001";
    expect(argsOf(search)).toEqual({ model: { name: "smb_pdfmodel" }, options: { threshold: "0.001" } });
    const args = stageArgs<ApplyArgs>(search);
    expect(textAt(search, args.model.span)).toBe("smb_pdfmodel");
    expect(textAt(search, args.optionSpans["threshold"]!)).toBe("threshold=0.001");
  });

  it("reads a model alone, and AS to rename the output", () => {
    expect(argsOf("| apply unusual_commandline_detection")).toEqual({ model: { name: "unusual_commandline_detection" }, options: {} });
    expect(argsOf("| apply m show_density=true as outlier")).toEqual({ model: { name: "m" }, options: { show_density: "true" }, as: { name: "outlier" } });
  });

  it("refuses a model name with a path", () => {
    const search = "| apply models/smb threshold=0.01";
    const d = parseError(search);
    expect(d.message).toBe(
      "apply: invalid model name 'models/smb': a model name starts with a letter or underscore and has only letters, digits and underscores",
    );
    expect(pointedAt(search, d)).toBe("models/smb");
  });

  it("refuses options before the model name", () => {
    expect(parseError("| apply threshold=0.01 smb_pdfmodel").message).toBe(
      "apply: expected the model name first (apply <model> [options]) but found 'threshold'",
    );
  });

  it("refuses stray words", () => {
    expect(parseError("| apply smb_pdfmodel count").message).toBe("apply: expected name=value parameters or AS <name> but found 'count'");
  });
});

import { describe, it, expect } from "vitest";
import type { FieldsArgs } from "../../src/commands/fields.js";
import { argsOf, parseError, stageArgs, textAt } from "./_helpers.js";

const names = (...list: string[]) => list.map((name) => ({ name }));

describe("fields", () => {
  it("removes a field with '-' followed by two spaces (seed form)", () => {
    const search = "| fields -  match";
    expect(argsOf(search)).toEqual({ mode: "remove", fields: names("match") });
    expect(textAt(search, stageArgs<FieldsArgs>(search).fields[0]!.span)).toBe("match");
  });

  it("removes a comma-separated list", () => {
    expect(argsOf("| fields - a, b")).toEqual({ mode: "remove", fields: names("a", "b") });
  });

  it("keeps the listed fields by default or with '+'", () => {
    expect(argsOf("| fields user,src_user,EventID")).toEqual({ mode: "keep", fields: names("user", "src_user", "EventID") });
    expect(argsOf("| fields + _time host")).toEqual({ mode: "keep", fields: names("_time", "host") });
  });

  it("reads wildcards and names with parentheses (ESCU: predicted(unusual_cmdline_logits))", () => {
    expect(argsOf("| fields - unusual_cmdline* predicted(unusual_cmdline_logits) orig_process")).toEqual({
      mode: "remove",
      fields: names("unusual_cmdline*", "predicted(unusual_cmdline_logits)", "orig_process"),
    });
  });

  it("reads a sign glued to the first name as the mode", () => {
    const search = "| fields -gtime";
    expect(argsOf(search)).toEqual({ mode: "remove", fields: names("gtime") });
    expect(textAt(search, stageArgs<FieldsArgs>(search).fields[0]!.span)).toBe("gtime");
  });

  it("needs a field after '-'", () => {
    expect(parseError("| fields -").message).toBe("fields: expected a field to remove but found the end of the input");
  });
});

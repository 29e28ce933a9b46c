import { describe, it, expect } from "vitest";
import type { RenameArgs } from "../../src/commands/rename.js";
import { argsOf, parseError, pointedAt, stageArgs, textAt } from "./_helpers.js";

describe("rename", () => {
  it("strips a data model prefix with a quoted-then-wildcard name (drop_dm_object_name)", () => {
    const search = '| rename "All_Traffic".* AS *';
    expect(argsOf(search)).toEqual({ pairs: [{ from: { name: "All_Traffic.*" }, to: { name: "*" } }] });
    const { pairs } = stageArgs<RenameArgs>(search);
    expect(textAt(search, pairs[0]!.from.span)).toBe('"All_Traffic".*');
    expect(textAt(search, pairs[0]!.to.span)).toBe("*");
  });

  it("renames a field whose name has parentheses when it is quoted, with a lower-case as", () => {
    expect(argsOf('| rename "IsOutlier(count)" as isOutlier')).toEqual({
      pairs: [{ from: { name: "IsOutlier(count)" }, to: { name: "isOutlier" } }],
    });
  });

  it("reads several pairs with or without commas between them", () => {
    const expected = {
      pairs: [
        { from: { name: "Computer" }, to: { name: "dest" } },
        { from: { name: "SubjectUserName" }, to: { name: "src_user" } },
        { from: { name: "ProcessName" }, to: { name: "process_name" } },
      ],
    };
    expect(argsOf("| rename Computer as dest, SubjectUserName AS src_user ProcessName As process_name")).toEqual(expected);
  });

  it("accepts a new name with spaces in double quotes", () => {
    expect(argsOf('| rename SESSIONID AS "The session ID"')).toEqual({ pairs: [{ from: { name: "SESSIONID" }, to: { name: "The session ID" } }] });
  });

  it("keeps an unquoted name with parentheses as one field (values(user))", () => {
    expect(argsOf("| rename values(user) as users")).toEqual({ pairs: [{ from: { name: "values(user)" }, to: { name: "users" } }] });
  });

  it("says AS is missing when the new name follows directly", () => {
    const search = "| rename src_ip src";
    const d = parseError(search);
    expect(d.message).toBe("rename: expected AS and a new name after 'src_ip' but found 'src'");
    expect(pointedAt(search, d)).toBe("src");
  });

  it("says the new name is missing after AS", () => {
    expect(parseError("| rename src_ip AS").message).toBe("rename: expected the new name for 'src_ip' but found the end of the input");
  });

  it("refuses a wildcard on one side only, as Splunk does", () => {
    const search = "| rename All_Traffic.* AS traffic";
    const d = parseError(search);
    expect(d.message).toBe(
      "rename: both the original and renamed fields must include the same number of wildcards ('All_Traffic.*' has 1, 'traffic' has 0)",
    );
    expect(pointedAt(search, d)).toBe("All_Traffic.* AS traffic");
  });

  it("needs at least one pair", () => {
    expect(parseError("| rename").message).toBe("rename: expected <field> AS <new name> but found the end of the input");
  });
});

import { describe, it, expect } from "vitest";
import type { InputlookupArgs } from "../../src/commands/inputlookup.js";
import { argsOf, parseError, pointedAt, stageArgs, textAt } from "./_helpers.js";

const defaults = { append: false, strict: false, start: 0 };

describe("inputlookup", () => {
  it("reads a lookup table by name and generates results", () => {
    const search = "| inputlookup attacker_tools";
    expect(argsOf(search)).toEqual({ ...defaults, table: { name: "attacker_tools" } });
    expect(textAt(search, stageArgs<InputlookupArgs>(search).table.span)).toBe("attacker_tools");
  });

  it("reads append=t before or after the name, and then is not generating", () => {
    expect(argsOf("| inputlookup append=T cim_cloud_domain_lookup")).toEqual({ ...defaults, append: true, table: { name: "cim_cloud_domain_lookup" } });
    expect(argsOf("search * | inputlookup s3_deletion_baseline append=t")).toEqual({ ...defaults, append: true, table: { name: "s3_deletion_baseline" } });
  });

  it("must come first when it generates", () => {
    const d = parseError("search * | inputlookup attacker_tools");
    expect(d.message).toBe("inputlookup is a generating command: it must be the first command of the search, as `| inputlookup ...`");
  });

  it("reads start=, max= and a WHERE clause in search syntax", () => {
    const search = "| inputlookup start=1 max=50 identity_lookup_expanded.csv where user_status=active";
    const args = stageArgs<InputlookupArgs>(search);
    expect(args).toMatchObject({ start: 1, max: 50, table: { name: "identity_lookup_expanded.csv" } });
    expect(args.where?.kind).toBe("compare");
    expect(textAt(search, args.where!.span)).toBe("user_status=active");
  });

  it("refuses a file name that leaves the lookups folder", () => {
    const search = "| inputlookup ../../etc/passwd";
    const d = parseError(search);
    expect(d.message).toBe(
      "inputlookup: '../../etc/passwd' is a path; name a lookup file or lookup table in the lookups folder (as in attacker_tools or attacker_tools.csv)",
    );
    expect(pointedAt(search, d)).toBe("../../etc/passwd");
    expect(parseError("| inputlookup C:\\\\temp\\\\x.csv").message).toMatch(/is a path/);
  });

  it("needs a name", () => {
    expect(parseError("| inputlookup append=t").message).toBe("inputlookup: expected a lookup file or table name (inputlookup <name>) but found the end of the input");
  });

  it("needs WHERE before a condition", () => {
    expect(parseError("| inputlookup assets priority=high").message).toBe(
      "inputlookup: expected WHERE before a condition on the rows (inputlookup <name> WHERE <search>) but found 'priority'",
    );
  });
});

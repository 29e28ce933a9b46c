import { describe, it, expect } from "vitest";
import type { DedupArgs } from "../../src/commands/dedup.js";
import { argsOf, parseError, pointedAt, stageArgs, textAt } from "./_helpers.js";

const defaults = { count: 1, keepevents: false, keepempty: false, consecutive: false, sortby: [] };
const names = (...list: string[]) => list.map((name) => ({ name }));

describe("dedup", () => {
  it("keeps the first result per value of the listed fields", () => {
    const search = "| dedup user host prev_src src";
    expect(argsOf(search)).toEqual({ ...defaults, fields: names("user", "host", "prev_src", "src") });
    expect(textAt(search, stageArgs<DedupArgs>(search).fields[3]!.span)).toBe("src");
  });

  it("reads a count, comma lists and the boolean options", () => {
    expect(argsOf("| dedup 3 host,process_name keepempty=true consecutive=1 keepevents=f")).toEqual({
      ...defaults,
      count: 3,
      keepempty: true,
      consecutive: true,
      fields: names("host", "process_name"),
    });
  });

  it("reads sortby with sort's clause syntax", () => {
    expect(argsOf("| dedup source sortby -_size +host")).toEqual({
      ...defaults,
      fields: names("source"),
      sortby: [
        { field: { name: "_size" }, descending: true, collation: "auto" },
        { field: { name: "host" }, descending: false, collation: "auto" },
      ],
    });
  });

  it("needs at least one field", () => {
    expect(parseError("| dedup keepempty=true").message).toBe("dedup: expected the fields to deduplicate on (dedup <field> ...) but found the end of the input");
  });

  it("refuses a non-boolean option value", () => {
    const search = "| dedup src keepempty=maybe";
    const d = parseError(search);
    expect(d.message).toBe("dedup: keepempty= expects true or false but found 'maybe'");
    expect(pointedAt(search, d)).toBe("maybe");
  });

  it("needs a field after sortby", () => {
    expect(parseError("| dedup src sortby").message).toBe("dedup: expected a field to sort by after SORTBY but found the end of the input");
  });
});

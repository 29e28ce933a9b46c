import { describe, it, expect } from "vitest";
import type { SortArgs } from "../../src/commands/sort.js";
import { argsOf, parseError, pointedAt, stageArgs, textAt } from "./_helpers.js";

const key = (name: string, descending = false, collation = "auto") => ({ field: { name }, descending, collation });

describe("sort", () => {
  it("sorts descending by count with -count, keeping Splunk's default 10000 rows", () => {
    const search = "| sort -count";
    expect(argsOf(search)).toEqual({ limit: 10000, keys: [key("count", true)], reverse: false });
    const { keys } = stageArgs<SortArgs>(search);
    expect(textAt(search, keys[0]!.span)).toBe("-count");
    expect(textAt(search, keys[0]!.field.span)).toBe("count");
  });

  it("applies a '-' followed by a space to every following field without its own sign", () => {
    expect(argsOf("| sort - count")).toEqual({ limit: 10000, keys: [key("count", true)], reverse: false });
    expect(argsOf("| sort - _time,src, +query")).toEqual({
      limit: 10000,
      keys: [key("_time", true), key("src", true), key("query")],
      reverse: false,
    });
    expect(argsOf("| sort count, - ut_shannon")).toEqual({ limit: 10000, keys: [key("count"), key("ut_shannon", true)], reverse: false });
  });

  it("reads a leading count (0 = all) or limit=", () => {
    expect(argsOf("| sort 0 + _time")).toEqual({ limit: 0, keys: [key("_time")], reverse: false });
    expect(argsOf("| sort 100 src")).toEqual({ limit: 100, keys: [key("src")], reverse: false });
    expect(argsOf("| sort limit=5 -count")).toEqual({ limit: 5, keys: [key("count", true)], reverse: false });
  });

  it("reads forced collations and a trailing desc", () => {
    expect(argsOf("| sort -num(port), str(host) ip(src) auto(x) desc")).toEqual({
      limit: 10000,
      keys: [key("port", true, "num"), key("host", false, "str"), key("src", false, "ip"), key("x")],
      reverse: true,
    });
    const search = "| sort -num(port)";
    expect(textAt(search, stageArgs<SortArgs>(search).keys[0]!.field.span)).toBe("port");
  });

  it("reads d as the reverse flag only when it is the last word", () => {
    expect(argsOf("| sort x d")).toEqual({ limit: 10000, keys: [key("x")], reverse: true });
    expect(argsOf("| sort d x")).toEqual({ limit: 10000, keys: [key("d"), key("x")], reverse: false });
  });

  it("keeps a quoted name as written", () => {
    expect(argsOf('| sort - "IsOutlier(count)"')).toEqual({ limit: 10000, keys: [key("IsOutlier(count)", true)], reverse: false });
  });

  it("refuses a limit that is not a number", () => {
    const search = "| sort limit=all -count";
    const d = parseError(search);
    expect(d.message).toBe("sort: limit= expects a whole number but found 'all'");
    expect(pointedAt(search, d)).toBe("all");
  });

  it("needs a field after the count", () => {
    expect(parseError("| sort 10").message).toBe("sort: expected a field to sort by, as in sort -count but found the end of the input");
  });

  it("says a lone '-' needs a field", () => {
    const search = "| sort count -";
    const d = parseError(search);
    expect(d.message).toBe("sort: '-' must be followed by a field to sort by");
    expect(pointedAt(search, d)).toBe("-");
  });
});

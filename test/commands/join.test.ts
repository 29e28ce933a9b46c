import { describe, it, expect } from "vitest";
import type { JoinArgs } from "../../src/commands/join.js";
import { parseError, pointedAt, stageArgs, textAt } from "./_helpers.js";

const names = (args: JoinArgs) => args.fields.map((f) => f.name);

describe("join", () => {
  it("joins on fields with an inner join by default", () => {
    const search = "search * | join process_guid, _time [search index=sysmon EventCode=11]";
    const args = stageArgs<JoinArgs>(search);
    expect(names(args)).toEqual(["process_guid", "_time"]);
    expect(args).toMatchObject({ type: "inner", usetime: false, earlier: true, overwrite: true, max: 1 });
    expect(textAt(search, args.subsearchSpan)).toBe("[search index=sysmon EventCode=11]");
    expect(args.subsearch.stages.map((s) => s.name)).toEqual(["search"]);
  });

  it("reads options before and after the fields (ESCU: join user type=outer [...])", () => {
    const args = stageArgs<JoinArgs>("search * | join user type=outer max=0 [search index=a]");
    expect(names(args)).toEqual(["user"]);
    expect(args).toMatchObject({ type: "outer", max: 0 });
    expect(stageArgs<JoinArgs>("search * | join type=LEFT usetime=t earlier=f overwrite=no key [search b]")).toMatchObject({
      type: "left",
      usetime: true,
      earlier: false,
      overwrite: false,
    });
  });

  it("joins on common fields when none are listed", () => {
    expect(names(stageArgs<JoinArgs>("search * | join [search b]"))).toEqual([]);
  });

  it("needs the subsearch", () => {
    expect(parseError("search * | join user").message).toBe("join: expected a [subsearch] to join with but found the end of the input");
  });

  it("refuses an unknown join type", () => {
    const search = "search * | join type=right user [search b]";
    const d = parseError(search);
    expect(d.message).toBe("join: type= expects one of inner, outer, left but found 'right'");
    expect(pointedAt(search, d)).toBe("right");
  });

  it("refuses arguments after the subsearch", () => {
    expect(parseError("search * | join user [search b] max=2").message).toBe("join: unexpected 'max'");
  });
});

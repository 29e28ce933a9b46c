import { describe, it, expect } from "vitest";
import type { AppendArgs } from "../../src/commands/append.js";
import { parseError, stageArgs, textAt } from "./_helpers.js";

describe("append", () => {
  it("appends a subsearch with Splunk's default limits", () => {
    const search = "search * | append [search `stream_tcp` bytes_out>65000]".replace("`stream_tcp`", "sourcetype=stream:tcp");
    const args = stageArgs<AppendArgs>(search);
    expect(args).toMatchObject({ extendtimerange: false, maxtime: 60, maxout: 50000, timeout: 60 });
    expect(textAt(search, args.subsearchSpan)).toBe("[search sourcetype=stream:tcp bytes_out>65000]");
    expect(args.subsearch.stages.length).toBe(1);
  });

  it("reads its options", () => {
    expect(stageArgs<AppendArgs>("search * | append extendtimerange=true maxtime=10 maxout=100 timeout=5 [search a]")).toMatchObject({
      extendtimerange: true,
      maxtime: 10,
      maxout: 100,
      timeout: 5,
    });
  });

  it("needs the subsearch", () => {
    expect(parseError("search * | append maxout=10").message).toBe("append: expected a [subsearch] to append but found the end of the input");
    expect(parseError("search * | append index=main").message).toBe(
      "append: unknown option 'index=' (append accepts extendtimerange=, maxtime=, maxout=, timeout=)",
    );
  });
});

import { describe, expect, it } from "vitest";
import { Table } from "../../src/table/table.js";
import { runStage } from "../exec/context.js";

describe("rex", () => {
  it("extracts named groups into fields, leaving a result the regex does not match as it was", async () => {
    const input = Table.fromRows([{ msg: "login user=alice ip=10.0.0.1" }, { msg: "nothing here", user: "keep" }]);
    const out = await runStage('rex field=msg "user=(?<user>\\w+) ip=(?<src>[\\d.]+)"', input);
    expect(out.rows()).toEqual([
      { msg: "login user=alice ip=10.0.0.1", user: "alice", src: "10.0.0.1" },
      { msg: "nothing here", user: "keep" },
    ]);
  });

  it("reads _raw by default", async () => {
    const out = await runStage('rex "pid=(?<pid>\\d+)"', Table.fromRows([{ _raw: "proc pid=4242 started" }]));
    expect(out.rows()[0]!.pid).toBe("4242");
  });

  it("makes a multivalue with max_match=2, and takes every match with max_match=0", async () => {
    const input = Table.fromRows([{ list: "a1b22c333" }, { list: "x7" }]);
    expect((await runStage('rex field=list max_match=2 "(?<n>\\d+)"', input)).rows().map((r) => r.n)).toEqual([["1", "22"], "7"]);
    expect((await runStage('rex field=list max_match=0 "(?<n>\\d+)"', input)).rows().map((r) => r.n)).toEqual([["1", "22", "333"], "7"]);
    // The default is one match.
    expect((await runStage('rex field=list "(?<n>\\d+)"', input)).rows().map((r) => r.n)).toEqual(["1", "7"]);
  });

  it("leaves a field alone when its group takes no part in the match", async () => {
    const input = Table.fromRows([{ msg: "a=1", b: "old" }]);
    const out = await runStage('rex field=msg "a=(?<a>\\d+)(?: b=(?<b>\\d+))?"', input);
    expect(out.rows()).toEqual([{ msg: "a=1", b: "old", a: "1" }]);
  });

  it("maps PCRE group names back to field names, (?P<name>) included", async () => {
    const out = await runStage('rex field=f "(?i)(?P<method_type>methodtype)=(?<value>\\w+)"', Table.fromRows([{ f: "MethodType=Get" }]));
    expect(out.rows()[0]).toMatchObject({ method_type: "MethodType", value: "Get" });
  });

  it("writes match offsets to offset_field, as the docs show", async () => {
    const input = Table.fromRows([{ list: "abcdefghijklmnopqrstuvwxyz" }]);
    expect((await runStage('rex offset_field=off field=list "(?<firstfive>abcde)"', input)).rows()[0]!.off).toBe("firstfive=0-4");
    expect((await runStage('rex offset_field=off field=list "(?<middle>fgh)"', input)).rows()[0]!.off).toBe("middle=5-7");
  });

  it("replaces with mode=sed: all matches with g, the first by default, the Nth with N, and \\1 back references", async () => {
    const input = Table.fromRows([{ cc: "1234-5678-9012-3456", s: "foo boo", mail: "bob@corp x@y" }]);
    expect((await runStage('rex field=cc mode=sed "s/(\\d{4}-){3}/XXXX-XXXX-XXXX-/g"', input)).rows()[0]!.cc).toBe("XXXX-XXXX-XXXX-3456");
    expect((await runStage('rex field=s mode=sed "s/o/0/"', input)).rows()[0]!.s).toBe("f0o boo");
    expect((await runStage('rex field=s mode=sed "s/o/0/g"', input)).rows()[0]!.s).toBe("f00 b00");
    expect((await runStage('rex field=s mode=sed "s/o/0/3"', input)).rows()[0]!.s).toBe("foo b0o");
    expect((await runStage('rex field=mail mode=sed "s/(\\w+)@(\\w+)/\\2 at \\1/"', input)).rows()[0]!.mail).toBe("corp at bob x@y");
  });

  it("substitutes characters with y/// and edits each value of a multivalue", async () => {
    const input = Table.fromRows([{ s: ["aabbcc", "cab"] }]);
    expect((await runStage('rex field=s mode=sed "y/abc/xyz/"', input)).rows()[0]!.s).toEqual(["xxyyzz", "zxy"]);
  });
});

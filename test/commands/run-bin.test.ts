import { describe, expect, it } from "vitest";
import { RuntimeError } from "../../src/exec/context.js";
import { Table } from "../../src/table/table.js";
import { runStage, testContext } from "../exec/context.js";

const at = (y: number, mon: number, d: number, h = 0, min = 0, s = 0): number => Date.UTC(y, mon - 1, d, h, min, s) / 1000;
const times = (t: Table): unknown[] => t.rows().map((r) => r._time);

describe("bin", () => {
  it("puts _time at the start of its hour", async () => {
    const input = Table.fromRows([{ _time: at(2024, 3, 1, 12, 34, 56) }, { _time: at(2024, 3, 1, 13, 0, 0) }, { _time: at(2024, 3, 1, 13, 59, 59.5) }]);
    expect(times(await runStage("bin _time span=1h", input))).toEqual([at(2024, 3, 1, 12), at(2024, 3, 1, 13), at(2024, 3, 1, 13)]);
    expect(times(await runStage("bucket span=5m _time", input))).toEqual([at(2024, 3, 1, 12, 30), at(2024, 3, 1, 13), at(2024, 3, 1, 13, 55)]);
  });

  it("starts span=1d bins at local midnight in the search's time zone, across DST", async () => {
    const ctx = testContext({ tz: "America/New_York" });
    const input = Table.fromRows([
      { _time: at(2024, 3, 10, 3) }, // 2024-03-09 22:00 EST
      { _time: at(2024, 3, 10, 12) }, // 2024-03-10 08:00 EDT (the day DST starts)
      { _time: at(2024, 7, 4, 3) }, // 2024-07-03 23:00 EDT
    ]);
    expect(times(await runStage("bin _time span=1d", input, ctx))).toEqual([
      at(2024, 3, 9, 5), // midnight EST = 05:00 UTC
      at(2024, 3, 10, 5),
      at(2024, 7, 3, 4), // midnight EDT = 04:00 UTC
    ]);
  });

  it("aligns sub-day bins to aligntime (12h bins from 3am)", async () => {
    // testContext: now = 2024-03-01T12:00Z, tz UTC, so @d+3h is 2024-03-01T03:00Z.
    const input = Table.fromRows([{ _time: at(2024, 3, 1, 2) }, { _time: at(2024, 3, 1, 16) }]);
    expect(times(await runStage("bin _time span=12h aligntime=@d+3h", input))).toEqual([at(2024, 2, 29, 15), at(2024, 3, 1, 15)]);
  });

  it("reads a bare number on _time as seconds", async () => {
    expect(times(await runStage("bin _time span=90", Table.fromRows([{ _time: 1000 }])))).toEqual([990]);
  });

  it("gives other fields the range of their bin, keeping the field with AS", async () => {
    const input = Table.fromRows([{ bytes: 15 }, { bytes: "20" }, { bytes: 9.5 }, { bytes: "n/a" }, {}]);
    const out = await runStage("bin bytes span=10 AS bytes_bin", input);
    expect(out.rows()).toEqual([
      { bytes: 15, bytes_bin: "10-20" },
      { bytes: "20", bytes_bin: "20-30" },
      { bytes: 9.5, bytes_bin: "0-10" },
      { bytes: "n/a", bytes_bin: "n/a" },
      {},
    ]);
  });

  it("with bins=, picks the smallest power of ten that fits the data in that many bins", async () => {
    const input = Table.fromRows(Array.from({ length: 60 }, (_, i) => ({ secs: i })));
    // 0-59 in at most 5 bins: width 10 needs 6 bins, so width 100 (the Search Manual's example).
    expect(new Set((await runStage("bin secs bins=5", input)).rows().map((r) => r.secs))).toEqual(new Set(["0-100"]));
    const ten = (await runStage("bin secs bins=10", input)).rows().map((r) => r.secs);
    expect([ten[0], ten[59]]).toEqual(["0-10", "50-60"]);
    // end=1000 widens the range to 0-1000: width 100 would need 11 bins, so the width is 1000.
    expect((await runStage("bin secs bins=10 end=1000", input)).rows()[59]!.secs).toBe("0-1000");
  });

  it("refuses automatic time bins", async () => {
    const error = await runStage("bin _time bins=10", Table.fromRows([{ _time: 1 }])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeError);
    expect((error as RuntimeError).message).toMatch(/automatic time bins \(bins=\) are not supported yet/);
  });
});

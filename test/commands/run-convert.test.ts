import { describe, expect, it } from "vitest";
import { Table } from "../../src/table/table.js";
import { runStage, testContext } from "../exec/context.js";

describe("convert", () => {
  // 1709283600 = 2024-03-01T09:00:00Z (19783 days and 9 hours after the epoch).
  const start = Table.fromRows([{ start_time: 1709283600 }]);

  it("renders ctime with timeformat in the search's time zone", async () => {
    const command = 'convert timeformat="%Y-%m-%dT%H:%M:%S" ctime(start_time)';
    expect((await runStage(command, start)).rows()).toEqual([{ start_time: "2024-03-01T09:00:00" }]);
    // New York is on EST (UTC-5) on 1 March 2024; daylight time starts on 10 March.
    const ny = testContext({ tz: "America/New_York" });
    expect((await runStage(command, start, ny)).rows()).toEqual([{ start_time: "2024-03-01T04:00:00" }]);
  });

  it("uses %m/%d/%Y %H:%M:%S by default and reads epoch strings", async () => {
    const out = await runStage("convert ctime(t)", Table.fromRows([{ t: "1709283600" }]));
    expect(out.rows()).toEqual([{ t: "03/01/2024 09:00:00" }]);
  });

  it("keeps the original field with AS", async () => {
    const out = await runStage("convert ctime(start_time) AS start", start);
    expect(out.rows()).toEqual([{ start_time: 1709283600, start: "03/01/2024 09:00:00" }]);
  });

  it("converts every value of a multivalue field", async () => {
    const out = await runStage('convert timeformat="%H:%M" ctime(t)', Table.fromRows([{ t: [1709283600, 1709287200] }]));
    expect(out.rows()).toEqual([{ t: ["09:00", "10:00"] }]);
  });

  it("parses text to epoch with mktime", async () => {
    const out = await runStage('convert timeformat="%Y-%m-%d" mktime(day)', Table.fromRows([{ day: "2024-03-01" }, { day: "not a date" }]));
    expect(out.rows()).toEqual([{ day: 1709251200 }, { day: "not a date" }]);
  });

  it("turns [D+]HH:MM:SS durations into seconds with dur2sec, and [MM:]SS.SSS with mstime", async () => {
    const input = Table.fromRows([{ d: "00:10:15", m: "01:02.5" }, { d: "2+01:00:00", m: "7.25" }]);
    const out = await runStage("convert dur2sec(d) mstime(m)", input);
    expect(out.rows()).toEqual([
      { d: 615, m: 62.5 },
      { d: 176400, m: 7.25 },
    ]);
  });

  it("converts wildcard fields with auto into AS names taking the wildcard part", async () => {
    const input = Table.fromRows([{ xdelay: "00:10:15", delay: "5", other: "x" }]);
    const out = await runStage("convert auto(*delay) as *delay_secs", input);
    expect(out.rows()).toEqual([{ xdelay: "00:10:15", delay: "5", other: "x", xdelay_secs: 615, delay_secs: 5 }]);
  });

  it("leaves a value auto cannot convert untouched, where num removes it", async () => {
    const input = Table.fromRows([{ n: "1,234" }, { n: "abc" }, { n: ["1", "x"] }]);
    expect((await runStage("convert auto(n)", input)).rows()).toEqual([{ n: 1234 }, { n: "abc" }, { n: ["1", "x"] }]);
    expect((await runStage("convert num(n)", input)).rows()).toEqual([{ n: 1234 }, {}, { n: 1 }]);
  });

  it("strips units, commas and memory sizes", async () => {
    const input = Table.fromRows([{ dur: "212 sec", big: "1,000,000.00", mem: "2m" }, { dur: "sec", big: "5", mem: "10" }, { mem: "1g" }]);
    const out = await runStage("convert rmunit(dur) rmcomma(big) memk(mem)", input);
    expect(out.rows()).toEqual([
      { dur: 212, big: "1000000.00", mem: 2048 },
      { dur: "sec", big: "5", mem: 10 },
      { mem: 1048576 },
    ]);
  });

  it("skips the fields none() names among wildcard conversions", async () => {
    const out = await runStage("convert auto(*) none(foo)", Table.fromRows([{ foo: "7", bar: "7" }]));
    expect(out.rows()).toEqual([{ foo: "7", bar: 7 }]);
  });

  it("does nothing for a field no result has", async () => {
    const input = Table.fromRows([{ a: 1 }]);
    const out = await runStage("convert ctime(nosuch) AS x", input);
    expect(out.fields()).toEqual(["a"]);
  });
});

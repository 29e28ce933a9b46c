import { describe, it, expect } from "vitest";
import { fixedSeconds, parseTimespan } from "../../src/time/timespan.js";

describe("parseTimespan", () => {
  it("reads the spans ESCU uses", () => {
    expect(parseTimespan("1h")).toEqual({ count: 1, unit: "h" });
    expect(parseTimespan("10m")).toEqual({ count: 10, unit: "m" });
    expect(parseTimespan("1d")).toEqual({ count: 1, unit: "d" });
    expect(parseTimespan("30s")).toEqual({ count: 30, unit: "s" });
    expect(parseTimespan("4hr")).toEqual({ count: 4, unit: "h" });
  });

  it("normalises every spelling of a unit, in any case", () => {
    for (const text of ["2s", "2sec", "2secs", "2second", "2seconds"]) expect(parseTimespan(text)).toEqual({ count: 2, unit: "s" });
    for (const text of ["5m", "5min", "5mins", "5minute", "5minutes"]) expect(parseTimespan(text)).toEqual({ count: 5, unit: "m" });
    for (const text of ["3h", "3hr", "3hrs", "3hour", "3hours", "3H"]) expect(parseTimespan(text)).toEqual({ count: 3, unit: "h" });
    for (const text of ["1d", "1day", "1days"]) expect(parseTimespan(text)).toEqual({ count: 1, unit: "d" });
    for (const text of ["2w", "2week", "2weeks"]) expect(parseTimespan(text)).toEqual({ count: 2, unit: "w" });
    for (const text of ["1mon", "1month", "1months"]) expect(parseTimespan(text)).toEqual({ count: 1, unit: "mon" });
    for (const text of ["1q", "1qtr", "1quarter", "1quarters"]) expect(parseTimespan(text)).toEqual({ count: 1, unit: "q" });
    for (const text of ["1y", "1yr", "1year", "1years"]) expect(parseTimespan(text)).toEqual({ count: 1, unit: "y" });
    expect(["100ms", "5us", "2cs", "3ds"].map(parseTimespan)).toEqual([
      { count: 100, unit: "ms" },
      { count: 5, unit: "us" },
      { count: 2, unit: "cs" },
      { count: 3, unit: "ds" },
    ]);
  });

  it("refuses bare numbers, missing counts, unknown units and fractions", () => {
    for (const text of ["60", "h", "1x", "1.5h", "-1h", "1 h", ""]) expect(parseTimespan(text)).toBeUndefined();
  });

  it("gives the length of fixed units in seconds, none for calendar units", () => {
    expect(fixedSeconds({ count: 5, unit: "m" })).toBe(300);
    expect(fixedSeconds({ count: 1, unit: "d" })).toBe(86400);
    expect(fixedSeconds({ count: 250, unit: "ms" })).toBe(0.25);
    expect(fixedSeconds({ count: 1, unit: "mon" })).toBeUndefined();
  });
});

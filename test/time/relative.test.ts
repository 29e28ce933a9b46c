/**
 * Relative time modifiers (reference/spl_semantics.md §6). Epochs worked out by hand:
 * 2024-03-31 is the spring-forward day in Europe (02:00 CET -> 03:00 CEST, a 23-hour day),
 * 2024-10-27 the fall-back day (a 25-hour day); 2024-03-10 in New York.
 */
import { describe, expect, it } from "vitest";
import { applyRelativeTime, parseRelativeTime, parseTimeArg } from "../../src/time/relative.js";

const utc = (iso: string): number => Date.parse(`${iso}Z`) / 1000;
const rel = (spec: string, at: number, tz = "UTC"): number => {
  const rt = parseRelativeTime(spec);
  if (!rt) throw new Error(`not a modifier: ${spec}`);
  return applyRelativeTime(rt, at, tz);
};

describe("parseRelativeTime", () => {
  it("reads offsets, snaps and chains of them", () => {
    expect(parseRelativeTime("now")).toEqual({ steps: [] });
    expect(parseRelativeTime("-70m@m")?.steps).toEqual([
      { kind: "offset", amount: -70, unit: "m" },
      { kind: "snap", unit: "m", weekday: 0 },
    ]);
    expect(parseRelativeTime("-1d@d+8h")?.steps.length).toBe(3);
    expect(parseRelativeTime("-h")?.steps).toEqual([{ kind: "offset", amount: -1, unit: "h" }]);
    expect(parseRelativeTime("@w5")?.steps).toEqual([{ kind: "snap", unit: "w", weekday: 5 }]);
    expect(parseRelativeTime("-2months@mon")?.steps[0]).toEqual({ kind: "offset", amount: -2, unit: "mon" });
    expect(parseRelativeTime("+1qtr")?.steps[0]).toEqual({ kind: "offset", amount: 1, unit: "q" });
  });

  it("rejects what is not a modifier", () => {
    for (const bad of ["", "1h", "-1x", "@d5", "-1d@", "yesterday", "-5ms", "@"]) expect(parseRelativeTime(bad)).toBeUndefined();
  });
});

describe("applyRelativeTime", () => {
  it("offsets first, then snaps: -70m@m at 12:34:56 is 11:24:00", () => {
    expect(rel("-70m@m", utc("2024-05-20T12:34:56"))).toBe(utc("2024-05-20T11:24:00"));
    expect(rel("-10m@m", utc("2024-05-20T12:34:56"))).toBe(utc("2024-05-20T12:24:00"));
    expect(rel("-h@h", utc("2024-05-20T03:45:00"))).toBe(utc("2024-05-20T02:00:00"));
  });

  it("drops subseconds when snapping, keeps them when offsetting", () => {
    expect(rel("@s", 100.75)).toBe(100);
    expect(rel("-1s", 100.75)).toBe(99.75);
  });

  it("snaps to weeks, months, quarters and years", () => {
    const wed = utc("2024-01-17T15:00:00");
    expect(rel("@w", wed)).toBe(utc("2024-01-14T00:00:00"));
    expect(rel("@w0", wed)).toBe(utc("2024-01-14T00:00:00"));
    expect(rel("@w7", wed)).toBe(utc("2024-01-14T00:00:00"));
    expect(rel("@w1", wed)).toBe(utc("2024-01-15T00:00:00"));
    expect(rel("@w3", wed)).toBe(utc("2024-01-17T00:00:00"));
    expect(rel("@w4", wed)).toBe(utc("2024-01-11T00:00:00"));
    const may = utc("2024-05-20T12:00:00");
    expect(rel("@mon", may)).toBe(utc("2024-05-01T00:00:00"));
    expect(rel("@q", may)).toBe(utc("2024-04-01T00:00:00"));
    expect(rel("@y", may)).toBe(utc("2024-01-01T00:00:00"));
  });

  it("chains: -1d@d+8h is 08:00 yesterday", () => {
    expect(rel("-1d@d+8h", utc("2024-05-20T03:00:00"))).toBe(utc("2024-05-19T08:00:00"));
  });

  it("moves by calendar months, keeping the day when the month has it", () => {
    expect(rel("-1mon", utc("2024-03-31T10:00:00"))).toBe(utc("2024-02-29T10:00:00"));
    expect(rel("+1y", utc("2024-02-29T10:00:00"))).toBe(utc("2025-02-28T10:00:00"));
    expect(rel("-1q", utc("2024-05-15T10:00:00"))).toBe(utc("2024-02-15T10:00:00"));
  });

  it("snaps -1d@d to local midnight across the spring-forward day in Europe/Berlin", () => {
    // 2024-04-01 10:00 CEST (08:00Z): yesterday's midnight was still CET, 2024-03-30T23:00Z.
    expect(rel("-1d@d", utc("2024-04-01T08:00:00"), "Europe/Berlin")).toBe(utc("2024-03-30T23:00:00"));
    // And the 23-hour day: @d and @d+1d are 23 hours apart.
    const day = utc("2024-03-31T10:00:00");
    expect(rel("@d+1d", day, "Europe/Berlin") - rel("@d", day, "Europe/Berlin")).toBe(23 * 3600);
  });

  it("snaps -1d@d to local midnight across the fall-back day in Europe/Berlin", () => {
    // 2024-10-28 12:00 CET (11:00Z): midnight of the 27th was CEST, 2024-10-26T22:00Z.
    expect(rel("-1d@d", utc("2024-10-28T11:00:00"), "Europe/Berlin")).toBe(utc("2024-10-26T22:00:00"));
    const day = utc("2024-10-27T12:00:00");
    expect(rel("+1d@d", day, "Europe/Berlin") - rel("@d", day, "Europe/Berlin")).toBe(25 * 3600);
  });

  it("keeps the repeated hour apart when snapping to hours (New York, 2024-11-03)", () => {
    // 06:30Z is 01:30 EST, the second 01:30 of the night; its hour started at 06:00Z, not 05:00Z.
    expect(rel("@h", utc("2024-11-03T06:30:00"), "America/New_York")).toBe(utc("2024-11-03T06:00:00"));
    expect(rel("@h", utc("2024-11-03T05:30:00"), "America/New_York")).toBe(utc("2024-11-03T05:00:00"));
  });

  it("snaps to local hours in a half-hour zone", () => {
    // 10:45 IST (05:15Z) -> 10:00 IST = 04:30Z.
    expect(rel("@h", utc("2024-05-20T05:15:00"), "Asia/Kolkata")).toBe(utc("2024-05-20T04:30:00"));
  });
});

describe("parseTimeArg", () => {
  const now = utc("2024-05-20T12:34:56");

  it("accepts relative modifiers, applied to now", () => {
    expect(parseTimeArg("-70m@m", now, "UTC")).toBe(utc("2024-05-20T11:24:00"));
    expect(parseTimeArg("now", now, "UTC")).toBe(now);
  });

  it("accepts epoch seconds", () => {
    expect(parseTimeArg("1", now, "UTC")).toBe(1);
    expect(parseTimeArg("1700000000.5", now, "UTC")).toBe(1700000000.5);
  });

  it("accepts ISO-8601 with a zone, or without one in the search's zone", () => {
    expect(parseTimeArg("2024-05-20T12:00:00Z", now, "America/New_York")).toBe(utc("2024-05-20T12:00:00"));
    expect(parseTimeArg("2024-05-20T12:00:00+02:00", now, "UTC")).toBe(utc("2024-05-20T10:00:00"));
    expect(parseTimeArg("2024-05-20T12:00:00", now, "America/New_York")).toBe(utc("2024-05-20T16:00:00"));
    expect(parseTimeArg("2024-05-20", now, "UTC")).toBe(utc("2024-05-20T00:00:00"));
    expect(parseTimeArg("2024-05-20 12:00:00.25", now, "UTC")).toBe(utc("2024-05-20T12:00:00") + 0.25);
  });

  it("moves a wall-clock time skipped by DST forward by the gap", () => {
    // 02:30 does not exist on 2024-03-10 in New York; it is read as 03:30 EDT.
    expect(parseTimeArg("2024-03-10T02:30:00", now, "America/New_York")).toBe(utc("2024-03-10T07:30:00"));
  });

  it("accepts Splunk's absolute format %m/%d/%Y:%H:%M:%S", () => {
    expect(parseTimeArg("10/15/2019:20:00:00", now, "UTC")).toBe(utc("2019-10-15T20:00:00"));
  });

  it("rejects anything else", () => {
    for (const bad of ["soon", "2024-02-30", "10/15/2019", "10/15/2019:20:00:00 extra", ""]) expect(parseTimeArg(bad, now, "UTC")).toBeUndefined();
  });
});

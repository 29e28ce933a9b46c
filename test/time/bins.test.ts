/** Time bins: 1591367999 is 2020-06-05T14:39:59Z, a Friday (10:39:59 EDT in New York). */
import { describe, expect, it } from "vitest";
import { binStart } from "../../src/time/bins.js";
import { parseTimespan } from "../../src/time/timespan.js";

const T = 1591367999;
const bin = (span: string, t: number, tz = "UTC"): number => binStart(t, parseTimespan(span)!, tz);
const utc = (iso: string): number => Date.parse(`${iso}Z`) / 1000;

describe("binStart", () => {
  it("aligns sub-day spans to the epoch", () => {
    expect(bin("1h", T)).toBe(utc("2020-06-05T14:00:00"));
    expect(bin("5m", T)).toBe(utc("2020-06-05T14:35:00"));
    expect(bin("10s", T)).toBe(utc("2020-06-05T14:39:50"));
    // Hour bins do not move with the zone.
    expect(bin("1h", T, "Asia/Kolkata")).toBe(utc("2020-06-05T14:00:00"));
    expect(bin("4h", T, "America/New_York")).toBe(utc("2020-06-05T12:00:00"));
  });

  it("bins subseconds without binary noise", () => {
    expect(bin("100ms", 1.3)).toBeCloseTo(1.3, 9);
    expect(bin("250ms", 1.3)).toBeCloseTo(1.25, 9);
  });

  it("starts day bins at local midnight", () => {
    expect(bin("1d", T)).toBe(utc("2020-06-05T00:00:00"));
    expect(bin("1d", T, "America/New_York")).toBe(utc("2020-06-05T04:00:00"));
    // 2024-03-31 in Berlin: midnight is CET (23:00Z the day before).
    expect(bin("1d", utc("2024-03-31T20:00:00"), "Europe/Berlin")).toBe(utc("2024-03-30T23:00:00"));
  });

  it("starts week bins on Thursdays, counted from 1970-01-01", () => {
    expect(bin("1w", T)).toBe(utc("2020-06-04T00:00:00"));
  });

  it("starts month, quarter and year bins on the calendar", () => {
    expect(bin("1mon", T)).toBe(utc("2020-06-01T00:00:00"));
    expect(bin("1mon", T, "America/New_York")).toBe(utc("2020-06-01T04:00:00"));
    expect(bin("1q", T)).toBe(utc("2020-04-01T00:00:00"));
    expect(bin("1y", T)).toBe(utc("2020-01-01T00:00:00"));
    expect(bin("2mon", T)).toBe(utc("2020-05-01T00:00:00"));
  });
});

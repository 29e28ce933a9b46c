/**
 * strftime/strptime. Expected values worked out by hand from the Splunk "Date and time format
 * variables" page: 1591367999.305988 is Friday 2020-06-05 14:39:59.305988 UTC, 10:39:59 in New York (EDT).
 */
import { describe, expect, it } from "vitest";
import { strftime, strptime } from "../../src/time/strftime.js";

const T = 1591367999.305988;

describe("strftime", () => {
  it("renders the epoch in UTC", () => {
    expect(strftime(0, "%Y-%m-%dT%H:%M:%S", "UTC")).toBe("1970-01-01T00:00:00");
  });

  it("renders the weekday and hour in the search's time zone", () => {
    expect(strftime(T, "%A %H", "America/New_York")).toBe("Friday 10");
    expect(strftime(T, "%A %H", "UTC")).toBe("Friday 14");
  });

  it("prints subseconds truncated to the digits asked for, %N defaulting to 9 and %Q to 3", () => {
    expect(strftime(T, "%S.%3N|%6N|%9N|%N|%Q|%3Q|%6Q", "UTC")).toBe("59.305|305988|305988000|305988000|305|305|305988");
    expect(strftime(0, "%3N", "UTC")).toBe("000");
    expect(strftime(-0.25, "%H:%M:%S.%3N", "UTC")).toBe("23:59:59.750");
  });

  it("prints zone offsets and abbreviations", () => {
    expect(strftime(T, "%z %:z %::z %Z", "America/New_York")).toBe("-0400 -04:00 -04:00:00 EDT");
    expect(strftime(0, "%z %Z", "UTC")).toBe("+0000 UTC");
    expect(strftime(0, "%Z", "Europe/Berlin")).toBe("CET");
    expect(strftime(T, "%:z", "Asia/Kolkata")).toBe("+05:30");
    expect(strftime(T, "%Ez", "America/New_York")).toBe("-240");
  });

  it("prints names, padded and unpadded fields", () => {
    expect(strftime(T, "%a %b %B %h %d %e|%k|%l|%I %p|%j|%m|%y|%C|%u|%w", "America/New_York")).toBe(
      "Fri Jun June Jun 05  5|10|10|10 AM|157|06|20|20|5|5",
    );
  });

  it("expands the composite variables", () => {
    expect(strftime(T, "%c", "America/New_York")).toBe("Fri Jun  5 10:39:59 2020");
    expect(strftime(T, "%+", "America/New_York")).toBe("Fri Jun  5 10:39:59 EDT 2020");
    expect(strftime(T, "%F %T|%D|%R|%r", "UTC")).toBe("2020-06-05 14:39:59|06/05/20|14:39|02:39:59 PM");
    expect(strftime(T, "%x %X", "America/New_York")).toBe("6/5/2020 10:39:59");
  });

  it("numbers weeks the C and ISO ways", () => {
    expect(strftime(T, "%U %W %V %G %g", "UTC")).toBe("22 22 23 2020 20");
    // 2021-01-01 (a Friday) belongs to ISO week 53 of 2020.
    expect(strftime(1609459200, "%Y %V %G", "UTC")).toBe("2021 53 2020");
  });

  it("prints epoch seconds, literal percent signs, tabs and newlines", () => {
    expect(strftime(T, "%s%%%t%n", "Europe/Berlin")).toBe("1591367999%\t\n");
  });

  it("leaves unknown variables as written", () => {
    expect(strftime(0, "%q %Y", "UTC")).toBe("%q 1970");
  });
});

describe("strptime", () => {
  it("parses Splunk's absolute time format in the given zone", () => {
    expect(strptime("06/05/2020:14:39:59", "%m/%d/%Y:%H:%M:%S", "UTC")).toBe(1591367999);
    expect(strptime("06/05/2020:10:39:59", "%m/%d/%Y:%H:%M:%S", "America/New_York")).toBe(1591367999);
  });

  it("lets a zone in the text override the search's zone", () => {
    expect(strptime("2020-06-05T16:39:59+0200", "%Y-%m-%dT%H:%M:%S%z", "America/New_York")).toBe(1591367999);
    expect(strptime("2020-06-05T14:39:59Z", "%Y-%m-%dT%H:%M:%S%z", "Asia/Tokyo")).toBe(1591367999);
    expect(strptime("2020-01-01 00:00:00 EST", "%Y-%m-%d %H:%M:%S %Z", "UTC")).toBe(1577854800);
    expect(strptime("2020-06-05 10:39:59 America/New_York", "%Y-%m-%d %H:%M:%S %Z", "UTC")).toBe(1591367999);
  });

  it("reads subseconds and epoch seconds", () => {
    expect(strptime("1591367999.305", "%s.%3N", "UTC")).toBeCloseTo(1591367999.305, 6);
    expect(strptime("2020-06-05 14:39:59.305988", "%Y-%m-%d %H:%M:%S.%6N", "UTC")).toBeCloseTo(T, 6);
  });

  it("reads month names, 12-hour clocks and omitted leading zeros", () => {
    expect(strptime("Jun 5 2020 2:39:59 PM", "%b %d %Y %I:%M:%S %p", "UTC")).toBe(1591367999);
    expect(strptime("Friday, June 05, 2020", "%A, %B %d, %Y", "UTC")).toBe(1591315200);
  });

  it("is the inverse of strftime", () => {
    const f = "%Y-%m-%d %H:%M:%S %z";
    expect(strptime(strftime(1591367999, f, "Europe/Berlin"), f, "UTC")).toBe(1591367999);
  });

  it("returns null when the text does not match", () => {
    expect(strptime("yesterday", "%Y-%m-%d", "UTC")).toBeNull();
    expect(strptime("2020-13-01", "%Y-%m-%d", "UTC")).toBeNull();
    expect(strptime("2021-02-29", "%Y-%m-%d", "UTC")).toBeNull();
    expect(strptime("2020/06/05", "%Y-%m-%d", "UTC")).toBeNull();
  });
});

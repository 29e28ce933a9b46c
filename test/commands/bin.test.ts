import { describe, it, expect } from "vitest";
import type { BinArgs } from "../../src/commands/bin.js";
import { argsOf, parseError, pointedAt, stageArgs, textAt } from "./_helpers.js";

describe("bin", () => {
  it("bins _time by a time span written after the field", () => {
    const search = "| bin _time span=1hr";
    expect(argsOf(search)).toEqual({ field: { name: "_time" }, width: { kind: "time", count: 1, unit: "h" } });
    const args = stageArgs<BinArgs>(search);
    expect(textAt(search, args.width!.span)).toBe("1hr");
    expect(textAt(search, args.field.span)).toBe("_time");
  });

  it("is also called bucket, with the span before the field", () => {
    expect(argsOf("| bucket span=5m _time")).toEqual({ field: { name: "_time" }, width: { kind: "time", count: 5, unit: "m" } });
  });

  it("reads a numeric span, AS and the other options", () => {
    expect(argsOf("| bin bytes span=1024 AS bytes_bin")).toEqual({
      field: { name: "bytes" },
      as: { name: "bytes_bin" },
      width: { kind: "number", value: 1024 },
    });
    expect(argsOf("| bin _time bins=24 minspan=1h start=0 end=100 aligntime=@d")).toEqual({
      field: { name: "_time" },
      bins: 24,
      minspan: { count: 1, unit: "h" },
      start: 0,
      end: 100,
      aligntime: { text: "@d" },
    });
  });

  it("refuses a span that is neither a number nor a time span", () => {
    const search = "| bin _time span=1x";
    const d = parseError(search);
    expect(d.message).toBe("bin: span= expects a number or a time span such as 1h, 10m, 1d or 30s but found '1x'");
    expect(pointedAt(search, d)).toBe("1x");
  });

  it("refuses a zero span", () => {
    expect(parseError("| bin _time span=0m").message).toBe("bin: span= must be greater than 0 but is '0m'");
  });

  it("needs the field", () => {
    expect(parseError("| bin span=1h").message).toBe("bin: expected the field to bin, as in bin _time span=1h but found the end of the input");
  });

  it("refuses a second field (a span written with a space)", () => {
    const search = "| bin _time span=5 mins";
    const d = parseError(search);
    expect(d.message).toBe("bin: expected only one field to bin (bin <field> [AS <new field>] span=...) but found 'mins'");
    expect(pointedAt(search, d)).toBe("mins");
  });
});

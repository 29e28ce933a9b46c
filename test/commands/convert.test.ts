import { describe, it, expect } from "vitest";
import type { ConvertArgs } from "../../src/commands/convert.js";
import { argsOf, parseError, pointedAt, stageArgs, textAt } from "./_helpers.js";

describe("convert", () => {
  it("reads security_content_ctime: timeformat then ctime(field)", () => {
    const search = '| convert timeformat="%Y-%m-%dT%H:%M:%S" ctime(start_time)';
    expect(argsOf(search)).toEqual({ timeformat: "%Y-%m-%dT%H:%M:%S", conversions: [{ fn: "ctime", field: { name: "start_time" } }] });
    const { conversions } = stageArgs<ConvertArgs>(search);
    expect(textAt(search, conversions[0]!.span)).toBe("ctime(start_time)");
    expect(textAt(search, conversions[0]!.field.span)).toBe("start_time");
  });

  it("defaults timeformat to Splunk's %m/%d/%Y %H:%M:%S", () => {
    expect(stageArgs<ConvertArgs>("| convert ctime(firstTime)").timeformat).toBe("%m/%d/%Y %H:%M:%S");
  });

  it("accepts timeformat after the conversions, as ESCU writes it", () => {
    expect(argsOf('| convert ctime(event_time) timeformat="%Y-%m-%d %H:%M:%S"')).toEqual({
      timeformat: "%Y-%m-%d %H:%M:%S",
      conversions: [{ fn: "ctime", field: { name: "event_time" } }],
    });
  });

  it("reads several conversions, wildcards and AS (searchbnf example auto(*delay) as *delay_secs)", () => {
    expect(argsOf("| convert dur2sec(xdelay) auto(*delay) as *delay_secs MKTIME(t) AS epoch")).toEqual({
      timeformat: "%m/%d/%Y %H:%M:%S",
      conversions: [
        { fn: "dur2sec", field: { name: "xdelay" } },
        { fn: "auto", field: { name: "*delay" }, as: { name: "*delay_secs" } },
        { fn: "mktime", field: { name: "t" }, as: { name: "epoch" } },
      ],
    });
  });

  it("names the valid functions when given an unknown one", () => {
    const search = "| convert strftime(_time)";
    const d = parseError(search);
    expect(d.message).toBe(
      "convert: unknown conversion function 'strftime' (expected one of auto, dur2sec, mstime, memk, none, num, rmunit, rmcomma, ctime, mktime)",
    );
    expect(pointedAt(search, d)).toBe("strftime");
  });

  it("needs a field inside the parentheses", () => {
    const search = "| convert ctime()";
    const d = parseError(search);
    expect(d.message).toBe("convert: expected a field name inside ctime(...) but found the end of the input");
    expect(pointedAt(search, d)).toBe(")");
  });

  it("refuses a bare field without a conversion function", () => {
    expect(parseError("| convert _time").message).toBe("convert: expected a conversion such as ctime(field) but found '_time'");
  });

  it("refuses an unknown option", () => {
    expect(parseError("| convert tz=UTC ctime(_time)").message).toBe("convert: unknown option 'tz=' (convert accepts timeformat=)");
  });
});

/**
 * What a test can state about its results, and what a failure says: contentctl's default rule,
 * exact counts, no rows, rows present (with wildcards) and absent, and the nearest row when an
 * expected one is missing.
 */
import { describe, expect, it } from "vitest";
import { checkResults, glob, matchValue } from "../../src/detections/expect.js";
import type { Expectation, RiskSpec } from "../../src/detections/model.js";
import { Table } from "../../src/table/table.js";

const rows = Table.fromRows([
  { src_ip: "10.0.1.23", dest_ip: "81.2.69.142", dest_port: "445", count: 3, _time: 1709283600 },
  { src_ip: "172.16.4.4", dest_ip: "175.16.199.10", dest_port: "8445", count: 1, _time: 1709299200 },
  { src_ip: "192.168.5.7", dest_ip: ["89.160.20.115", "100.64.3.9"], dest_port: "139", count: 1, _time: 1709315115 },
]);

const expectation = (e: Partial<Expectation>): Expectation => ({ present: [], absent: [], ...e });
const rba: RiskSpec = {
  message: "SMB from $src_ip$",
  riskObjects: [{ field: "src_ip", type: "system", score: 25 }],
  threatObjects: [{ field: "dest_ip", type: "ip_address" }],
  origin: "rba",
};

describe("contentctl's rule, the default", () => {
  it("passes with at least one row and the risk fields filled", () => {
    expect(checkResults(rows, undefined, rba, "UTC")).toEqual([]);
  });

  it("fails with no rows", () => {
    expect(checkResults(Table.empty(), undefined, rba, "UTC")).toEqual(["the search returned no rows (contentctl's rule: at least one)"]);
  });

  it("counts the text null (tstats fillnull_value=null) as null in a risk object field", () => {
    const t = Table.fromRows([{ src_ip: "null", dest_ip: "1.2.3.4" }, { src_ip: "10.0.0.1", dest_ip: "1.2.3.5" }]);
    expect(checkResults(t, undefined, rba, "UTC")).toEqual(["risk object field src_ip is null in row 1 of 2 (every row needs it)"]);
  });

  it("needs each threat object field in one row only", () => {
    const t = Table.fromRows([{ src_ip: "10.0.0.1" }, { src_ip: "10.0.0.2", dest_ip: "1.2.3.4" }]);
    expect(checkResults(t, undefined, rba, "UTC")).toEqual([]);
    const none = Table.fromRows([{ src_ip: "10.0.0.1", dest_ip: "null" }]);
    expect(checkResults(none, undefined, rba, "UTC")).toEqual(["threat object field dest_ip is null in every row (at least one row needs it)"]);
  });

  it("does not check the fields of older content's observables (contentctl checks rba only)", () => {
    expect(checkResults(Table.fromRows([{ x: 1 }]), undefined, { ...rba, origin: "tags" }, "UTC")).toEqual([]);
  });
});

describe("a test's own expectations", () => {
  it("an exact count replaces 'at least one', and shows the rows it got", () => {
    const [reason] = checkResults(rows, expectation({ rows: 2 }), undefined, "UTC");
    expect(reason).toMatch(/^expected 2 rows, got 3:\n  row 1: \{src_ip: "10\.0\.1\.23", dest_ip: "81\.2\.69\.142", dest_port: "445", count: "3", _time: "2024-03-01T09:00:00"\}\n  row 2: /);
  });

  it("none: true passes on no rows and fails on any", () => {
    expect(checkResults(Table.empty(), expectation({ none: true }), rba, "UTC")).toEqual([]);
    expect(checkResults(rows, expectation({ none: true }), rba, "UTC")[0]).toMatch(/^expected no rows, got 3:\n  row 1: /);
  });

  it("present rows match with wildcards, numbers, multivalue members and ISO times", () => {
    const e = expectation({
      present: [
        { src_ip: "10.0.1.*", count: 3 },
        { dest_ip: "100.64.3.9" },
        { dest_ip: ["89.160.20.115", "100.64.3.9"] },
        { _time: "2024-03-01T13:20:00", dest_port: 8445 },
        { missing_field: null, src_ip: "172.16.4.4" },
      ],
    });
    expect(checkResults(rows, e, rba, "UTC")).toEqual([]);
  });

  it("a missing row names the nearest row and the fields that differ", () => {
    const [reason] = checkResults(rows, expectation({ present: [{ src_ip: "10.0.1.23", dest_ip: "81.2.69.142", dest_port: "139", count: 5 }] }), undefined, "UTC");
    expect(reason).toBe(
      'expected a row matching {src_ip: "10.0.1.23", dest_ip: "81.2.69.142", dest_port: "139", count: "5"}; nearest is row 1 of 3, ' +
        'where dest_port is "445", not "139"; count is "3", not "5":\n  ' +
        '{src_ip: "10.0.1.23", dest_ip: "81.2.69.142", dest_port: "445", count: "3", _time: "2024-03-01T09:00:00"}',
    );
  });

  it("an absent row that is there is named with its row number", () => {
    const [reason] = checkResults(rows, expectation({ absent: [{ dest_ip: "175.16.199.*" }] }), undefined, "UTC");
    expect(reason).toBe(
      'row 2 should not be there: it matches {dest_ip: "175.16.199.*"}:\n  {src_ip: "172.16.4.4", dest_ip: "175.16.199.10", dest_port: "8445", count: "1", _time: "2024-03-01T13:20:00"}',
    );
  });

  it("a missing field is shown as absent", () => {
    const [reason] = checkResults(rows, expectation({ present: [{ user: "alice" }] }), undefined, "UTC");
    expect(reason).toContain('where user is absent, not "alice"');
  });
});

describe("value patterns", () => {
  it("wildcards match whole values, case-sensitively, in linear time", () => {
    expect(glob("10.0.*", "10.0.1.23")).toBe(true);
    expect(glob("*.23", "10.0.1.23")).toBe(true);
    expect(glob("10.*.1.*", "10.0.1.23")).toBe(true);
    expect(glob("10.0", "10.0.1.23")).toBe(false);
    expect(glob("SMB", "smb")).toBe(false);
    expect(glob("*", "")).toBe(true);
    const long = "a".repeat(20_000);
    const started = Date.now();
    expect(glob(`${"*a".repeat(50)}b`, long)).toBe(false);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("null matches only an absent field; a list matches a multivalue in order", () => {
    expect(matchValue(null, null, "x", "UTC")).toBe(true);
    expect(matchValue(null, "v", "x", "UTC")).toBe(false);
    expect(matchValue(["a", "b"], ["a", "b"], "x", "UTC")).toBe(true);
    expect(matchValue(["b", "a"], ["a", "b"], "x", "UTC")).toBe(false);
    expect(matchValue(445, "445", "x", "UTC")).toBe(true);
    expect(matchValue("445", 445, "x", "UTC")).toBe(true);
  });
});

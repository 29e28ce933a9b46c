/**
 * `spelunk test --schedule`: a detection run as Splunk's scheduler would over the replayed timeline
 * (its cron, its dispatch window, now() the scheduled time), which runs fired, and the risk events.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { testCommand, type TestCliOptions } from "../../src/cli/test.js";
import { DEFAULT_SCHEDULE } from "../../src/detections/model.js";
import { checkCron, ScheduleError, scheduledRuns } from "../../src/detections/schedule.js";

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function spelunkTest(paths: string[], options: TestCliOptions = {}) {
  let out = "";
  let err = "";
  const code = await testCommand(paths, { attackData: ["fixtures"], ...options }, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

const utc = (s: string) => Date.parse(s) / 1000;
const iso = (t: number) => new Date(t * 1000).toISOString().replace(".000Z", "Z");

describe("scheduled runs over a timeline", () => {
  it("ESCU's default: hourly, over the hour that ended ten minutes before each run, covering every event", () => {
    const runs = scheduledRuns(DEFAULT_SCHEDULE, utc("2024-03-01T09:00:00Z"), utc("2024-03-01T17:45:15Z"), "UTC");
    expect(iso(runs[0]!.time)).toBe("2024-03-01T10:00:00Z");
    expect(iso(runs[0]!.earliest)).toBe("2024-03-01T08:50:00Z");
    expect(iso(runs[0]!.latest)).toBe("2024-03-01T09:50:00Z");
    // The last run is the last whose window can hold the last event (17:45:15 is in [17:50 - 1h, 17:50)).
    expect(iso(runs.at(-1)!.time)).toBe("2024-03-01T18:00:00Z");
    expect(runs).toHaveLength(9);
  });

  it("follows the cron in the test's time zone", () => {
    const daily = { cron: "30 2 * * *", earliest: "-1d@d", latest: "@d" };
    const runs = scheduledRuns(daily, utc("2024-03-01T00:00:00Z"), utc("2024-03-03T12:00:00Z"), "Europe/Paris");
    expect(runs.map((r) => iso(r.time))).toEqual(["2024-03-02T01:30:00Z", "2024-03-03T01:30:00Z", "2024-03-04T01:30:00Z"]);
    expect(iso(runs[0]!.earliest)).toBe("2024-02-29T23:00:00Z"); // Paris midnight of the day before
  });

  it("refuses more than the bound of runs with a clear message", () => {
    const everyMinute = { cron: "* * * * *", earliest: "-1m@m", latest: "@m" };
    expect(() => scheduledRuns(everyMinute, utc("2024-01-01T00:00:00Z"), utc("2024-12-31T00:00:00Z"), "UTC")).toThrow(
      /^more than 100,000 scheduled runs \(about 525,\d{3}\) \(cron \* \* \* \* \* from 2024-01-01T00:00:00Z to 2024-12-31T00:00:00Z\); use a sparser cron or less data$/,
    );
    // Just over the bound: counted one by one, then refused.
    expect(() => scheduledRuns(DEFAULT_SCHEDULE, utc("2024-01-01T00:00:00Z"), utc("2024-02-20T00:00:00Z"), "UTC", 1000)).toThrow(ScheduleError);
    expect(() => scheduledRuns(DEFAULT_SCHEDULE, utc("2024-01-01T00:00:00Z"), utc("2024-02-20T00:00:00Z"), "UTC", 1000)).toThrow(
      "more than 1,000 scheduled runs (cron 0 * * * * from 2024-01-01T00:00:00Z to 2024-02-20T00:00:00Z)",
    );
    expect(scheduledRuns(DEFAULT_SCHEDULE, utc("2024-01-01T00:00:00Z"), utc("2024-02-11T00:00:00Z"), "UTC", 1000)).toHaveLength(985);
  });

  it("checks cron expressions: five fields, valid values", () => {
    expect(checkCron("0 * * * *")).toBeUndefined();
    expect(checkCron("*/15 8-18 * * 1-5")).toBeUndefined();
    expect(checkCron("0 0 * * * *")).toBe("0 0 * * * *: a cron schedule has five fields (minute hour day-of-month month day-of-week), not 6");
    expect(checkCron("@hourly")).toContain("write the five cron fields");
    expect(checkCron("61 * * * *")).toMatch(/^61 \* \* \* \*: /);
  });
});

describe("spelunk test --schedule", () => {
  it("reports which runs fired and a risk event per fired row, with now() the scheduled time", async () => {
    const { code, out } = await spelunkTest(["searches/detect_outbound_smb_traffic.spl"], { schedule: true });
    expect(code).toBe(0);
    expect(out).toContain("  PASS  reports the outbound SMB flows of the attack data, and nothing else  (3 rows, 3 of 25 scheduled runs fired");
    expect(out).toContain("fired at 2024-03-01T10:00:00Z over 2024-03-01T08:50:00Z to 2024-03-01T09:50:00Z: 1 row");
    expect(out).toContain(
      "risk 25 to system 10.0.1.23: An outbound SMB connection from 10.0.1.23 in your infrastructure connecting to dest ip 81.2.69.142",
    );
    expect(out).toContain("fired at 2024-03-01T18:00:00Z over 2024-03-01T16:50:00Z to 2024-03-01T17:50:00Z: 1 row");
  });

  it("puts the runs and the risk events in the JSON report", async () => {
    const { out } = await spelunkTest(["searches/detect_outbound_smb_traffic.spl"], { schedule: true, format: "json" });
    const test = JSON.parse(out).detections[0].tests[0];
    expect(test.scheduled_runs).toBe(25);
    expect(test.fired).toEqual([
      { time: "2024-03-01T10:00:00Z", earliest: "2024-03-01T08:50:00Z", latest: "2024-03-01T09:50:00Z", rows: 1 },
      { time: "2024-03-01T14:00:00Z", earliest: "2024-03-01T12:50:00Z", latest: "2024-03-01T13:50:00Z", rows: 1 },
      { time: "2024-03-01T18:00:00Z", earliest: "2024-03-01T16:50:00Z", latest: "2024-03-01T17:50:00Z", rows: 1 },
    ]);
    expect(test.risk_events.map((e: { run: string; risk_object: string }) => [e.run, e.risk_object])).toEqual([
      ["2024-03-01T10:00:00Z", "10.0.1.23"],
      ["2024-03-01T14:00:00Z", "172.16.4.4"],
      ["2024-03-01T18:00:00Z", "192.168.5.7"],
    ]);
  });

  it("uses the sidecar's schedule, and now() is each run's scheduled time", async () => {
    const dir = mkdtempSync(join(tmpdir(), "spelunk-schedule-"));
    made.push(dir);
    copyFileSync("fixtures/zeek/outbound_smb_conn.json", join(dir, "conn.json"));
    writeFileSync(
      join(dir, "smb_now.spl"),
      '| tstats count from datamodel=Network_Traffic where All_Traffic.action=allowed All_Traffic.dest_port=445 All_Traffic.dest_ip="81.2.69.142" by All_Traffic.src_ip | eval run=strftime(now(), "%H:%M")',
    );
    writeFileSync(
      join(dir, "smb_now.test.yml"),
      `schedule: { cron: "*/30 * * * *", earliest: "-30m@m", latest: "@m" }
tests:
  - name: half-hourly
    data: [{ path: conn.json, sourcetype: bro:conn:json }]
    expect:
      present: [{ All_Traffic.src_ip: 10.0.1.23, run: "09:30", count: 3 }]
      absent: [{ run: "10:00" }]
`,
    );
    const { code, out } = await spelunkTest([dir], { schedule: true });
    expect(out).toContain("fired at 2024-03-01T09:30:00Z over 2024-03-01T09:00:00Z to 2024-03-01T09:30:00Z: 1 row");
    expect(code).toBe(0);
  });

  it("a bad cron in a sidecar is a problem of that detection", async () => {
    const dir = mkdtempSync(join(tmpdir(), "spelunk-schedule-"));
    made.push(dir);
    copyFileSync("fixtures/zeek/outbound_smb_conn.json", join(dir, "conn.json"));
    writeFileSync(join(dir, "d.spl"), "| tstats count from datamodel=Network_Traffic by All_Traffic.src_ip");
    writeFileSync(join(dir, "d.test.yml"), `schedule: { cron: "0 * * *" }\ntests:\n  - name: t\n    data: [{ path: conn.json, sourcetype: bro:conn:json }]\n`);
    const { code, out } = await spelunkTest([dir], { schedule: true });
    expect(code).toBe(1);
    expect(out).toContain("d.test.yml: schedule.cron: 0 * * *: a cron schedule has five fields");
  });
});

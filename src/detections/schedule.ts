/**
 * Scheduled runs over a replayed timeline, as Splunk's scheduler would dispatch a saved search:
 * at each time its cron names (five fields, in the search's time zone), with `now()` that time
 * and the window its dispatch times give (ESCU: `0 * * * *`, `-70m@m` to `-10m@m`).
 *
 * The runs cover the data: from the first event time to the last one plus one window, i.e. every
 * run whose window can hold an event, and no more. The number of runs is bounded.
 */
import { CronExpressionParser } from "cron-parser";
import { parseTimeArg } from "../time/relative.js";
import type { Schedule } from "./model.js";

export const MAX_SCHEDULED_RUNS = 100_000;

export interface ScheduledRun {
  /** The scheduled time: the run's now(). */
  readonly time: number;
  readonly earliest: number;
  readonly latest: number;
}

export class ScheduleError extends Error {}

/** What is wrong with a cron expression, or undefined. Splunk's cron_schedule has five fields. */
export function checkCron(cron: string): string | undefined {
  const fields = cron.trim().split(/\s+/);
  if (cron.trim().startsWith("@")) return `${cron}: write the five cron fields (minute hour day-of-month month day-of-week), not a @ name`;
  if (fields.length !== 5) return `${cron}: a cron schedule has five fields (minute hour day-of-month month day-of-week), not ${fields.length}`;
  try {
    CronExpressionParser.parse(cron, { tz: "UTC" });
    return undefined;
  } catch (e) {
    return `${cron}: ${(e as Error).message}`;
  }
}

/**
 * The runs of `schedule` over events from `first` to `last` (epoch seconds), in order. Throws
 * ScheduleError when there would be more than `max` runs.
 */
export function scheduledRuns(schedule: Schedule, first: number, last: number, tz: string, max = MAX_SCHEDULED_RUNS): ScheduledRun[] {
  const problem = checkCron(schedule.cron);
  if (problem) throw new ScheduleError(`cron ${problem}`);
  const window = (t: number): ScheduledRun => {
    const earliest = parseTimeArg(schedule.earliest, t, tz);
    const latest = parseTimeArg(schedule.latest, t, tz);
    if (earliest === undefined || latest === undefined) throw new ScheduleError(`dispatch window ${schedule.earliest} to ${schedule.latest} is not a time range`);
    return { time: t, earliest, latest };
  };
  if (!(Number.isFinite(first) && Number.isFinite(last)) || last < first) return [];
  // A run at t sees [earliest(t), latest(t)); the first useful one is the first whose window ends after `first`.
  const probe = window(first);
  const lag = first - probe.latest; // ≥ 0 for windows that end before now (ESCU: 10 minutes)
  const start = first + Math.max(0, lag);
  const expr = CronExpressionParser.parse(schedule.cron, { tz, currentDate: new Date(Math.floor(start) * 1000) });
  const runs: ScheduledRun[] = [];
  // Bounded: at most max + 1 iterations, and each step moves forward in time.
  for (let i = 0; i <= max; i++) {
    const t = expr.next().getTime() / 1000;
    const run = window(t);
    if (run.earliest > last) return runs;
    if (runs.length === max) break;
    runs.push(run);
  }
  throw new ScheduleError(
    `more than ${max.toLocaleString("en-US")} scheduled runs (cron ${schedule.cron} from ${iso(first)} to ${iso(last)}); use a sparser cron or less data`,
  );
}

function iso(t: number): string {
  return new Date(t * 1000).toISOString().replace(".000Z", "Z");
}

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
  // A run at t sees [earliest(t), latest(t)): start where a window could first hold `first` (a
  // window reaching past its run's time starts the runs that much earlier) and skip runs whose
  // window ends before it; stop at the first run whose window starts after `last`.
  const probe = window(first);
  const ahead = Math.max(0, probe.latest - first);
  const startAt = new Date(Math.floor(first - ahead) * 1000 - 1000);
  refuseIfFarTooMany(schedule, startAt, first, last, tz, max);
  const expr = CronExpressionParser.parse(schedule.cron, { tz, currentDate: startAt });
  const runs: ScheduledRun[] = [];
  // Bounded: each step moves forward in time, runs before the data are at most `max`, runs kept at most `max`.
  for (let skipped = 0; skipped <= max; ) {
    const t = expr.next().getTime() / 1000;
    const run = window(t);
    if (run.earliest > last) return runs;
    if (run.latest <= first) {
      skipped++;
      continue;
    }
    if (runs.length === max) break;
    runs.push(run);
  }
  throw tooMany(schedule, first, last, max);
}

/** Runs sampled (over at most a week) to estimate how many runs the timeline needs, before counting them one by one. */
const SAMPLE_RUNS = 2000;

/** A cron far too frequent for the timeline is refused at once, without stepping through max runs. */
function refuseIfFarTooMany(schedule: Schedule, startAt: Date, first: number, last: number, tz: string, max: number): void {
  const expr = CronExpressionParser.parse(schedule.cron, { tz, currentDate: startAt });
  const from = startAt.getTime() / 1000;
  let n = 0;
  let t = from;
  while (n < SAMPLE_RUNS && t - from < 7 * 86_400) {
    t = expr.next().getTime() / 1000;
    n++;
  }
  const estimate = (n / Math.max(1, t - from)) * (last - first);
  if (estimate > max * 2) throw tooMany(schedule, first, last, max, estimate);
}

function tooMany(schedule: Schedule, first: number, last: number, max: number, estimate?: number): ScheduleError {
  const about = estimate !== undefined ? ` (about ${Math.round(estimate).toLocaleString("en-US")})` : "";
  return new ScheduleError(
    `more than ${max.toLocaleString("en-US")} scheduled runs${about} (cron ${schedule.cron} from ${iso(first)} to ${iso(last)}); use a sparser cron or less data`,
  );
}

function iso(t: number): string {
  return new Date(t * 1000).toISOString().replace(".000Z", "Z");
}

/**
 * Elasticsearch date math, as rule files and KQL date ranges use it: `now`, `now-9m`, `now-7d/d`,
 * or an ISO-8601 date optionally followed by `||` and operations (`2024-03-08||+1d`). Units: y, M
 * (months), w, d, h/H, m, s (Elasticsearch reference, "Date math"). Arithmetic and rounding are in
 * UTC. Times are epoch seconds.
 */
import { isoTime } from "../ingest/time.js";

const UNIT_SECONDS: Record<string, number> = { w: 604_800, d: 86_400, h: 3600, H: 3600, m: 60, s: 1 };
const OPERATION = /([+-])(\d+)([yMwdhHms])|\/([yMwdhHms])/y;

/** The time `text` names relative to `now`, or undefined when it is not date math. */
export function parseDateMath(text: string, now: number): number | undefined {
  const t = text.trim();
  let time: number | undefined;
  let rest: string;
  if (t.startsWith("now")) {
    time = now;
    rest = t.slice(3);
  } else {
    const bar = t.indexOf("||");
    const anchor = bar >= 0 ? t.slice(0, bar) : t;
    time = /^-?\d+$/.test(anchor) ? Number(anchor) / 1000 : isoTime(anchor);
    rest = bar >= 0 ? t.slice(bar + 2) : "";
  }
  if (time === undefined) return undefined;
  let pos = 0;
  for (let n = 0; pos < rest.length && n < 100; n++) {
    OPERATION.lastIndex = pos;
    const m = OPERATION.exec(rest);
    if (!m) return undefined;
    pos = OPERATION.lastIndex;
    time = m[4] !== undefined ? roundDown(time, m[4]) : add(time, m[1] === "-" ? -Number(m[2]) : Number(m[2]), m[3]!);
  }
  return pos === rest.length ? time : undefined;
}

function add(time: number, amount: number, unit: string): number {
  if (unit === "y" || unit === "M") {
    const d = new Date(time * 1000);
    const months = unit === "y" ? amount * 12 : amount;
    d.setUTCMonth(d.getUTCMonth() + months);
    return d.getTime() / 1000;
  }
  return time + amount * UNIT_SECONDS[unit]!;
}

function roundDown(time: number, unit: string): number {
  const d = new Date(Math.floor(time) * 1000);
  switch (unit) {
    case "y":
      return Date.UTC(d.getUTCFullYear(), 0, 1) / 1000;
    case "M":
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 1000;
    case "w": {
      // Weeks start on Monday (ISO), as in Elasticsearch.
      const day = Math.floor(time / 86_400);
      const weekday = (day + 3) % 7; // 1970-01-01 was a Thursday: 0 = Monday
      return (day - ((weekday + 7) % 7)) * 86_400;
    }
    default: {
      const size = UNIT_SECONDS[unit]!;
      return Math.floor(time / size) * size;
    }
  }
}

/** A duration such as the rule's `interval` ("5m", "1h", "30s"), in seconds; undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d+)\s*([smhd])\s*$/.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]) * UNIT_SECONDS[m[2]!]!;
  return n > 0 ? n : undefined;
}

/**
 * `spelunk test [PATH...]`: run the tests of detections (security_content YAML, or `.spl` or an
 * Elastic rule `.toml` with a `<stem>.test.yml` sidecar; searches/README.md) and report each test,
 * then `N passed, N failed` (and `, N skipped`). Exit 0 when nothing failed, 1 when a test failed or
 * on a user error.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DetectionLoadError, isTimeZone, loadDetections, macroFromKey } from "../detections/load.js";
import { detectionHeader, formatJsonReport, formatJunit, formatSummary, formatTestResult } from "../detections/report.js";
import { runTests } from "../detections/runner.js";
import type { MacroDefinition } from "../macros/library.js";
import { parseTimeArg } from "../time/relative.js";
import { CliError } from "./errors.js";
import { loadKnowledge, loadLibrary } from "./library.js";

export interface TestCliOptions {
  /** `--macros DIR` (the global option): more macro definitions. */
  macros?: string[];
  /** `--apps DIR`, repeatable. */
  apps?: string[];
  /** `--macro NAME=DEFINITION`, repeatable. */
  macro?: string[];
  /** `--attack-data DIR`, repeatable. */
  attackData?: string[];
  /** `--format text|json` (default text). */
  format?: "text" | "json";
  /** `--junit FILE`. */
  junit?: string;
  /** `--schedule`. */
  schedule?: boolean;
  /** `--tz ZONE`: the time zone of tests that set none (default UTC). */
  tz?: string;
  /** `--now TIME`: now() of tests that set none (default the current time). */
  now?: string;
  /** `--geoip-db FILE`. */
  geoipDb?: string;
  /** `--mappings DIR`, repeatable: more ECS mapping files or folders for Elastic rules. */
  mappings?: string[];
}

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

export const DEFAULT_TEST_PATHS = ["searches"];

export async function testCommand(paths: string[], options: TestCliOptions, io: Io): Promise<number> {
  const format = options.format ?? "text";
  if (format !== "text" && format !== "json") throw new CliError(`--format ${String(format)}: spelunk test writes text or json`);
  const tz = options.tz ?? "UTC";
  if (!isTimeZone(tz)) throw new CliError(`--tz ${tz}: not a time zone (use an IANA name such as UTC or Europe/Paris)`);
  const wallClock = Date.now() / 1000;
  let now = wallClock;
  if (options.now !== undefined) {
    const t = parseTimeArg(options.now, wallClock, tz);
    if (t === undefined) throw new CliError(`--now ${options.now}: not a time (epoch seconds, ISO-8601, or relative such as -24h@h)`);
    now = t;
  }
  const cliMacros = (options.macro ?? []).map(parseMacroOption);

  const macros = loadLibrary(options.macros ?? [], io.err);
  const knowledge = loadKnowledge(options.apps ?? [], io.err);
  let detections;
  try {
    detections = loadDetections(paths.length > 0 ? paths : DEFAULT_TEST_PATHS);
  } catch (e) {
    if (e instanceof DetectionLoadError) throw new CliError(e.message);
    throw e;
  }
  if (detections.length === 0) throw new CliError(`no detections found in ${(paths.length > 0 ? paths : DEFAULT_TEST_PATHS).join(", ")}`);

  const workDir = mkdtempSync(join(tmpdir(), "spelunk-test-"));
  let report;
  try {
    report = await runTests(detections, {
      macros,
      knowledge,
      cliMacros,
      attackData: options.attackData ?? [],
      tz,
      now,
      schedule: options.schedule === true,
      ...(options.geoipDb !== undefined ? { geoipDb: options.geoipDb } : {}),
      apps: options.apps ?? [],
      mappings: options.mappings ?? [],
      workDir,
      ...(format === "text"
        ? {
            onDetection: (d) => io.out(detectionHeader(d)),
            onTest: (_d, r) => io.out(formatTestResult(r, { schedule: options.schedule === true })),
          }
        : {}),
    });
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  if (format === "json") {
    io.out(formatJsonReport(report));
    for (const w of report.warnings) io.err(`spelunk: warning: ${w}\n`);
  } else {
    io.out(formatSummary(report));
  }
  if (options.junit !== undefined) {
    try {
      writeFileSync(options.junit, formatJunit(report), "utf8");
    } catch (e) {
      throw new CliError(`--junit ${options.junit}: cannot write: ${(e as Error).message}`);
    }
  }
  return report.failed > 0 ? 1 : 0;
}

/** `NAME=DEFINITION`, NAME being `name` or `name(arg1, arg2)`. */
export function parseMacroOption(text: string): MacroDefinition {
  const eq = text.indexOf("=");
  if (eq <= 0) throw new CliError(`--macro ${text}: write NAME=DEFINITION (e.g. --macro 'my_filter=search NOT src=10.0.0.1')`);
  const m = macroFromKey(text.slice(0, eq), text.slice(eq + 1), "--macro");
  if (typeof m === "string") throw new CliError(`--macro: ${m}`);
  return m;
}

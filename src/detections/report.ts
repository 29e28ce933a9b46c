/**
 * The outputs of `spelunk test`: lines for people (one per test as it finishes, the reasons and
 * the expanded search under a failure, a summary line `N passed, N failed[, N skipped]`), a JSON
 * report for programs, and JUnit XML for CI systems.
 */
import type { Detection } from "./model.js";
import type { RiskEvent } from "./risk.js";
import type { DetectionResult, TestReport, TestResult } from "./runner.js";

/** Fired runs listed per test in text output; risk events listed per fired run. */
const MAX_RUNS_SHOWN = 20;
const MAX_RISK_SHOWN = 3;

export function detectionHeader(d: Detection): string {
  const name = d.name !== d.stem ? ` — ${d.name}` : "";
  return `${d.file}${name}\n`;
}

export function formatTestResult(r: TestResult, options: { schedule?: boolean } = {}): string {
  const label = r.status === "pass" ? "PASS" : r.status === "fail" ? "FAIL" : "SKIP";
  const facts: string[] = [];
  if (r.rows !== undefined) facts.push(`${r.rows} row${r.rows === 1 ? "" : "s"}`);
  if (r.runs) facts.push(`${r.runs.fired.length} of ${r.runs.total} scheduled run${r.runs.total === 1 ? "" : "s"} fired`);
  if (r.status !== "skip") facts.push(formatMs(r.timeMs));
  const lines = [`  ${label}  ${r.name}${facts.length > 0 ? `  (${facts.join(", ")})` : ""}`];
  const indent = (text: string, by = 8) => text.split("\n").map((l) => " ".repeat(by) + l).join("\n");
  if (r.status === "skip") lines.push(...r.reasons.map((x) => indent(x)));
  for (const w of r.warnings) lines.push(indent(`warning: ${w}`));
  if (r.status === "fail") {
    for (const reason of r.reasons) lines.push(indent(reason));
    if (r.expandedSearch !== undefined) lines.push(indent("expanded search:"), indent(r.expandedSearch.trim(), 10));
    if (r.ruleQuery !== undefined) lines.push(indent("rule query:"), indent(r.ruleQuery.trim(), 10));
  }
  if (options.schedule && r.runs) {
    r.runs.fired.slice(0, MAX_RUNS_SHOWN).forEach((run) => {
      lines.push(indent(`fired at ${iso(run.time)} over ${iso(run.earliest)} to ${iso(run.latest)}: ${run.rows} row${run.rows === 1 ? "" : "s"}`));
      const events = r.riskEvents.filter((e) => e.run === run.time);
      for (const e of events.slice(0, MAX_RISK_SHOWN)) lines.push(indent(riskLine(e), 10));
      if (events.length > MAX_RISK_SHOWN) lines.push(indent(`... and ${events.length - MAX_RISK_SHOWN} more risk events`, 10));
    });
    if (r.runs.fired.length > MAX_RUNS_SHOWN) lines.push(indent(`... and ${r.runs.fired.length - MAX_RUNS_SHOWN} more runs fired`));
  }
  return `${lines.join("\n")}\n`;
}

function riskLine(e: RiskEvent): string {
  return `risk ${e.risk_score} to ${e.risk_object_type} ${e.risk_object}: ${e.risk_message}`;
}

export function formatSummary(report: TestReport): string {
  const warnings = report.warnings.map((w) => `warning: ${w}\n`).join("");
  const counts = `${report.passed} passed, ${report.failed} failed${report.skipped > 0 ? `, ${report.skipped} skipped` : ""}`;
  return `${warnings}\n${counts} (${(report.timeMs / 1000).toFixed(2)} s)\n`;
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

function iso(t: number): string {
  if (!Number.isFinite(t)) return String(t);
  return new Date(t * 1000).toISOString().replace(".000Z", "Z");
}

// ---------------------------------------------------------------------------------------------

export function formatJsonReport(report: TestReport): string {
  const doc = {
    passed: report.passed,
    failed: report.failed,
    skipped: report.skipped,
    time_ms: Math.round(report.timeMs),
    warnings: report.warnings,
    detections: report.detections.map((d) => ({
      file: d.file,
      ...(d.sidecar ? { test_file: d.sidecar } : {}),
      name: d.name,
      tests: d.tests.map((t) => ({
        name: t.name,
        status: t.status,
        reasons: t.reasons,
        warnings: t.warnings,
        time_ms: Math.round(t.timeMs),
        ...(t.rows !== undefined ? { rows: t.rows } : {}),
        ...(t.status === "fail" && t.expandedSearch !== undefined ? { expanded_search: t.expandedSearch } : {}),
        ...(t.status === "fail" && t.ruleQuery !== undefined ? { rule_query: t.ruleQuery } : {}),
        ...(t.runs
          ? { scheduled_runs: t.runs.total, fired: t.runs.fired.map((r) => ({ time: iso(r.time), earliest: iso(r.earliest), latest: iso(r.latest), rows: r.rows })) }
          : {}),
        risk_events: t.riskEvents.map((e) => ({ ...e, time: iso(e.time), run: iso(e.run) })),
      })),
    })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

// ---------------------------------------------------------------------------------------------

/** JUnit XML: a testsuite per detection, a testcase per test, <failure>/<skipped> with the reasons. */
export function formatJunit(report: TestReport): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const total = report.passed + report.failed + report.skipped;
  out.push(
    `<testsuites name="spelunk test" tests="${total}" failures="${report.failed}" errors="0" skipped="${report.skipped}" time="${seconds(report.timeMs)}">`,
  );
  for (const d of report.detections) out.push(...suite(d));
  out.push("</testsuites>", "");
  return out.join("\n");
}

function suite(d: DetectionResult): string[] {
  const failures = d.tests.filter((t) => t.status === "fail").length;
  const skipped = d.tests.filter((t) => t.status === "skip").length;
  const time = d.tests.reduce((s, t) => s + t.timeMs, 0);
  const out = [
    `  <testsuite name="${attr(d.name)}" file="${attr(d.file)}" tests="${d.tests.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(time)}">`,
  ];
  for (const t of d.tests) {
    const open = `    <testcase classname="${attr(d.file)}" name="${attr(t.name)}" time="${seconds(t.timeMs)}"`;
    const body: string[] = [];
    if (t.status === "fail") {
      const text = [
        ...t.reasons,
        ...(t.expandedSearch !== undefined ? ["expanded search:", t.expandedSearch.trim()] : []),
        ...(t.ruleQuery !== undefined ? ["rule query:", t.ruleQuery.trim()] : []),
      ].join("\n");
      body.push(`      <failure message="${attr(firstLine(t.reasons[0] ?? "failed"))}" type="failure">${text_(text)}</failure>`);
    } else if (t.status === "skip") {
      body.push(`      <skipped message="${attr(firstLine(t.reasons[0] ?? "skipped"))}"/>`);
    }
    if (t.warnings.length > 0) body.push(`      <system-err>${text_(t.warnings.map((w) => `warning: ${w}`).join("\n"))}</system-err>`);
    out.push(body.length === 0 ? `${open}/>` : `${open}>`, ...body, ...(body.length === 0 ? [] : ["    </testcase>"]));
  }
  out.push("  </testsuite>");
  return out;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function firstLine(s: string): string {
  const line = s.split("\n")[0]!;
  return line.length > 500 ? `${line.slice(0, 499)}…` : line;
}

/** Characters XML 1.0 cannot hold at all (controls other than tab/newline/return, lone surrogates, U+FFFE/U+FFFF) become U+FFFD. */
function xmlChars(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}

function text_(s: string): string {
  return xmlChars(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function attr(s: string): string {
  return text_(s).replace(/"/g, "&quot;").replace(/'/g, "&apos;").replace(/\n/g, "&#10;").replace(/\r/g, "&#13;").replace(/\t/g, "&#9;");
}

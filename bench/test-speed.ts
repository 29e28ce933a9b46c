/**
 * How long `spelunk test` takes over the shipped searches (searches/, with --attack-data fixtures),
 * as a user would see it: a fresh Node.js process, from start to exit, on compiled JavaScript.
 *
 *   npx tsx bench/test-speed.ts [--runs N]
 *
 * The sources are compiled with tsc into a temporary folder first (not timed; the package's macros/,
 * apps/ and node_modules/ are linked beside it, as the built package finds them). When dist/ is
 * built and `spelunk test` is wired into the CLI, `node bin/spelunk.js test` is timed as well.
 * Prints the wall-clock time of each run, the median and the fastest, the time spent importing
 * the engine, and each test's time in the fastest run. Not a test: nothing here asserts a time.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";

const root = resolve(import.meta.dirname, "..");
const runsArg = process.argv.indexOf("--runs");
const RUNS = runsArg > 0 ? Math.max(1, Math.min(50, Number(process.argv[runsArg + 1]) || 5)) : 5;

interface ChildReport {
  code: number;
  importMs: number;
  testMs: number;
  report: { passed: number; failed: number; skipped: number; detections: Array<{ name: string; tests: Array<{ name: string; status: string; time_ms: number }> }> };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const work = mkdtempSync(join(tmpdir(), "spelunk-bench-"));
try {
  process.stdout.write(`compiling into ${work} ...\n`);
  const tsc = join(root, "node_modules/typescript/bin/tsc");
  try {
    execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json"), "--outDir", join(work, "dist")], { cwd: root, stdio: "pipe" });
  } catch (e) {
    // Type errors elsewhere in the tree do not stop tsc from emitting; a missing entry point does.
    if (!existsSync(join(work, "dist/cli/test.js"))) throw e;
  }
  for (const f of ["macros", "apps", "node_modules", "package.json"]) symlinkSync(join(root, f), join(work, f));
  const runner = join(work, "bench-runner.mjs");
  writeFileSync(
    runner,
    `import { performance } from "node:perf_hooks";
const t0 = performance.now();
const { testCommand } = await import("./dist/cli/test.js");
const t1 = performance.now();
let out = "";
const code = await testCommand(["searches"], { attackData: ["fixtures"], format: "json" }, { out: (t) => (out += t), err: () => {} });
const t2 = performance.now();
process.stdout.write(JSON.stringify({ code, importMs: t1 - t0, testMs: t2 - t1, report: JSON.parse(out) }));
`,
  );

  process.stdout.write(`machine: ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(2)).join(" ")}\n\n`);
  const walls: number[] = [];
  const children: ChildReport[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const child = spawnSync(process.execPath, [runner], { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    const wall = performance.now() - started;
    if (child.status !== 0 && child.stdout.trim() === "") throw new Error(`run ${i + 1} failed: ${child.stderr}`);
    const r = JSON.parse(child.stdout) as ChildReport;
    walls.push(wall);
    children.push(r);
    process.stdout.write(
      `run ${i + 1}: ${fmt(wall)} wall (import ${fmt(r.importMs)}, tests ${fmt(r.testMs)}): ${r.report.passed} passed, ${r.report.failed} failed, ${r.report.skipped} skipped\n`,
    );
  }
  const best = walls.indexOf(Math.min(...walls));
  process.stdout.write(`\nspelunk test searches/ --attack-data fixtures: median ${fmt(median(walls))}, fastest ${fmt(walls[best]!)} (${RUNS} runs)\n`);
  process.stdout.write(`  importing the engine: median ${fmt(median(children.map((c) => c.importMs)))}; running the tests: median ${fmt(median(children.map((c) => c.testMs)))}\n`);
  process.stdout.write(`  tests in the fastest run:\n`);
  for (const d of children[best]!.report.detections) {
    for (const t of d.tests) process.stdout.write(`    ${String(t.time_ms).padStart(6)} ms  ${t.status.padEnd(4)}  ${d.name}: ${t.name}\n`);
  }

  // The real command line, once dist/ is built with the verb wired (its output ends with the summary line).
  const bin = join(root, "bin/spelunk.js");
  const args = [bin, "test", "searches", "--attack-data", "fixtures"];
  const probe = existsSync(join(root, "dist/cli/main.js")) ? spawnSync(process.execPath, args, { cwd: root, encoding: "utf8" }) : undefined;
  if (probe && /^\d+ passed, \d+ failed/m.test(probe.stdout)) {
    const cli: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      spawnSync(process.execPath, args, { cwd: root, stdio: "ignore" });
      cli.push(performance.now() - started);
    }
    process.stdout.write(`\nnode bin/spelunk.js test searches --attack-data fixtures: median ${fmt(median(cli))}, fastest ${fmt(Math.min(...cli))}\n`);
  } else {
    process.stdout.write(`\n(node bin/spelunk.js test not timed: dist/ is not built with the test verb wired)\n`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

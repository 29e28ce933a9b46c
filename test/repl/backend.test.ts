/** The screen's backend: progress text, and a session opened lazily after the prompt is drawn. */
import { describe, expect, it } from "vitest";
import { CliError } from "../../src/cli/errors.js";
import { lazyBackend, progressText } from "../../src/repl/backend.js";
import { ReplSession } from "../../src/repl/session.js";

const fixture = "fixtures/zeek/outbound_smb_conn.json";

describe("the REPL backend", () => {
  it("says how far loading is, then that the data models are being summarised", () => {
    expect(progressText({ file: 1, files: 2, path: "data/conn.json", fraction: 0.456, events: 1234, bytes: 0, totalBytes: 0 })).toBe("loading 1/2 conn.json  45%  1,234 events");
    expect(progressText({ file: 1, files: 1, path: "conn.json", fraction: 0.5, events: 10, bytes: 0, totalBytes: 0 })).toBe("loading conn.json  50%  10 events");
    expect(progressText({ file: 2, files: 2, path: "b.json", fraction: 1, events: 5000, bytes: 0, totalBytes: 0 })).toBe("summarising data models… (5,000 events read)");
  });

  it("opens the session on the first load, completes only once it is open, and reports what it loaded", async () => {
    let opened = 0;
    const backend = lazyBackend(async () => {
      opened++;
      return { session: ReplSession.create({ data: [{ path: fixture, sourcetype: "bro:conn:json" }], apps: [], macros: [], tz: "UTC" }, () => {}), warnings: ["spelunk: warning: x.yml skipped\n"] };
    });
    expect(opened).toBe(0);
    expect(backend.complete("| ts", 4).candidates).toEqual([]);
    const progress: string[] = [];
    const loaded = await backend.load((t) => progress.push(t));
    expect(loaded.lines).toEqual(["spelunk: warning: x.yml skipped", "411 events from 1 dataset · .help for help"]);
    expect(progress.length).toBeGreaterThan(0);
    expect(backend.complete("| ts", 4).candidates.map((c) => c.insert)).toEqual(["tstats "]);
    const done = await backend.run("| tstats count from datamodel=Network_Traffic", new AbortController().signal);
    expect(done.kind === "ok" && done.timing).toMatch(/^[\d.]+ ms · 411 events scanned$/);
    expect(opened).toBe(1);
  });

  it("shows an error opening the session (a missing --apps folder) instead of failing", async () => {
    const backend = lazyBackend(async () => {
      throw new CliError("no such folder: apps/nope");
    });
    expect(await backend.load(() => {})).toEqual({ lines: ["error: no such folder: apps/nope"], error: true });
    const run = await backend.run("| makeresults", new AbortController().signal);
    expect(run.kind).toBe("error");
    expect((await backend.meta(".tz", () => {}, 80)).error).toBe(true);
  });
});

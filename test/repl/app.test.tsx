/**
 * The interactive REPL drawn by ink (ink-testing-library): editing, completion, history, paging,
 * errors with carets, cancellation, leaving, narrow terminals. Searches run for real over the shipped
 * Zeek dataset, except the one used to test cancellation.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { render } from "ink-testing-library";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { cleanup } from "ink-testing-library";
import { ReplApp } from "../../src/repl/app.js";
import { sessionBackend, type ReplBackend } from "../../src/repl/backend.js";
import { MemoryHistory } from "../../src/repl/history.js";
import { ReplSession } from "../../src/repl/session.js";
import { displayWidth } from "../../src/repl/text.js";

const fixture = "fixtures/zeek/outbound_smb_conn.json";
let session: ReplSession;

beforeAll(async () => {
  const macros = mkdtempSync(join(tmpdir(), "spelunk-macros-"));
  writeFileSync(join(macros, "bad_tail.yml"), "name: bad_tail\ndefinition: eval x=1+\ndescription: broken on purpose\n");
  session = ReplSession.create({ data: [{ path: fixture, sourcetype: "bro:conn:json" }], apps: [], macros: [macros], tz: "UTC" }, () => {});
  await session.load();
});

afterEach(() => cleanup());

const ENTER = "\r";
const TAB = "\t";
const CTRL = (c: string) => String.fromCharCode(c.toUpperCase().charCodeAt(0) - 64);
const LEFT = "\x1b[D";
const UP = "\x1b[A";
const PGDN = "\x1b[6~";
const PGUP = "\x1b[5~";
const ALT_RIGHT = "\x1b[1;3C";

/** A backend over the loaded session whose data is already there. */
function backend(overrides: Partial<ReplBackend> = {}): ReplBackend {
  const real = sessionBackend(session);
  return { ...real, load: async () => ({ lines: ["411 events from 1 dataset"] }), ...overrides };
}

async function until(frame: () => string | undefined, check: (f: string) => boolean, what: string): Promise<string> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const f = frame() ?? "";
    if (check(f)) return f;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}; last frame:\n${frame()}`);
}

/** The live part of a frame with results: from the table's header line on. */
function fromHeader(frame: string): string[] {
  const lines = frame.split("\n");
  return lines.slice(lines.findIndex((l) => /^-+( +-+)*$/.test(l)) - 1);
}

/** The last prompt line of the frame. */
function promptLine(frame: string): string {
  return frame.split("\n").filter((l) => l.startsWith("spl> ") || l.startsWith("> ")).at(-1) ?? "";
}

async function start(options: { columns?: number; rows?: number; history?: string[]; backend?: ReplBackend } = {}) {
  const history = new MemoryHistory(options.history ?? []);
  let exited = 0;
  const app = render(
    <ReplApp backend={options.backend ?? backend()} history={history} color={false} columns={options.columns ?? 100} rows={options.rows ?? 30} onExit={() => exited++} />,
  );
  await until(app.lastFrame, (f) => f.includes("411 events from 1 dataset"), "the data to load");
  const type = async (...inputs: string[]) => {
    for (const input of inputs) {
      app.stdin.write(input);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  return { app, history, type, exited: () => exited, frame: () => app.lastFrame() ?? "" };
}

describe("the REPL screen", () => {
  it("edits the prompt: typing, moving, deleting", async () => {
    const { type, frame, app } = await start();
    await type("| makeresults count=2", LEFT, LEFT, "X", CTRL("a"), "Y", CTRL("e"), "\x7f");
    await until(app.lastFrame, (f) => promptLine(f).startsWith("spl> Y| makeresults countX="), "the edited prompt");
    expect(promptLine(frame())).toBe("spl> Y| makeresults countX=");
    await type(CTRL("w"), CTRL("u"), "| eval");
    await until(app.lastFrame, (f) => promptLine(f) === "spl> | eval", "the rewritten prompt");
  });

  it("continues an unfinished search on the next line, and runs it when complete", async () => {
    const { type, app } = await start();
    await type("| makeresults count=2 |", ENTER);
    await until(app.lastFrame, (f) => f.split("\n").includes("...>"), "a continuation line");
    await type("eval n=1 | stats sum(n) as total", ENTER);
    const f = await until(app.lastFrame, (x) => x.includes("1 row ·"), "the results");
    expect(f).toMatch(/total\n-----\n2\n1 row · [\d.]+ ms · 0 events scanned\n/);
  });

  it("completes with Tab from the cursor: a data model, then its fields in a menu", async () => {
    const { type, app } = await start();
    await type("| tstats count from datamodel=Net", TAB);
    await until(app.lastFrame, (f) => promptLine(f).endsWith("datamodel=Network_Traffic"), "the model name");
    await type(" by All_Traffic.dest_po", TAB);
    await until(app.lastFrame, (f) => promptLine(f).endsWith("by All_Traffic.dest_port"), "a single field");
    await type(" All_Traffic.sr", TAB);
    const f = await until(app.lastFrame, (x) => x.includes("All_Traffic.src_bunit") && x.includes("All_Traffic.src_ip"), "the menu");
    // `src` is a field too: the common prefix is All_Traffic.src.
    expect(promptLine(f).endsWith(" All_Traffic.src")).toBe(true);
    await type(TAB);
    await until(app.lastFrame, (x) => x.includes("[All_Traffic.src]"), "the first choice selected");
    await type(TAB);
    await until(app.lastFrame, (x) => x.includes("[All_Traffic.src_bunit]") && promptLine(x).endsWith("All_Traffic.src_bunit"), "the second choice");
    await type(ENTER);
    await until(app.lastFrame, (x) => !x.includes("[All_Traffic.src_bunit]") && promptLine(x).endsWith("All_Traffic.src_bunit"), "the choice taken");
  });

  it("keeps history: Up brings back earlier searches, and each one is remembered", async () => {
    const { type, app, history } = await start({ history: ["| makeresults count=7"] });
    await type("| makeresults count=3", ENTER);
    await until(app.lastFrame, (f) => f.includes("3 rows ·"), "the results");
    expect(history.entries()).toEqual(["| makeresults count=7", "| makeresults count=3"]);
    await type(UP);
    await until(app.lastFrame, (f) => promptLine(f) === "spl> | makeresults count=3", "the last search");
    await type(UP);
    await until(app.lastFrame, (f) => promptLine(f) === "spl> | makeresults count=7", "the one before");
    await type(CTRL("c"), CTRL("r"), "=3");
    await until(app.lastFrame, (f) => f.includes("(reverse-i-search)'=3'") && promptLine(f) === "spl> | makeresults count=3", "the history search");
  });

  it("pages through large results with PgDn/PgUp and scrolls columns", async () => {
    const { type, app } = await start({ rows: 16, columns: 60 });
    await type("index=main | table id.orig_h id.resp_h id.resp_p proto service duration orig_bytes resp_bytes conn_state", ENTER);
    let f = await until(app.lastFrame, (x) => x.includes(" of 411 · "), "the results");
    const status = f.split("\n").find((l) => l.startsWith("rows 1–"))!;
    const page = /rows 1–(\d+) of 411/.exec(status);
    expect(page).not.toBeNull();
    const size = Number(page![1]);
    expect(status).toMatch(/columns 1–\d+ of 9/);
    await type(PGDN);
    f = await until(app.lastFrame, (x) => x.includes(`rows ${size + 1}–`), "the second page");
    await type(PGUP);
    await until(app.lastFrame, (x) => x.includes(`rows 1–${size} of 411`), "the first page again");
    await type(ALT_RIGHT);
    f = await until(app.lastFrame, (x) => /columns 2–\d+ of 9/.test(x), "the columns scrolled");
    const lines = f.split("\n");
    const header = lines[lines.findIndex((l) => /^-+/.test(l)) - 1]!;
    expect(header).toMatch(/^(id\.resp_h|…resp_h) /);
    // The live part fits 60 × 16.
    const live = fromHeader(f);
    for (const l of live) expect(displayWidth(l)).toBeLessThanOrEqual(60);
    expect(live.length).toBeLessThanOrEqual(15);
  });

  it("shows an error under the prompt with a caret at the column, and keeps the search to fix", async () => {
    const { type, app } = await start();
    await type("| tstats count frm datamodel=Network_Traffic", ENTER);
    const f = await until(app.lastFrame, (x) => x.includes("error:"), "the error");
    const lines = f.split("\n");
    const at = lines.findIndex((l) => l === "spl> | tstats count frm datamodel=Network_Traffic");
    expect(at).toBeGreaterThanOrEqual(0);
    expect(lines[at + 1]).toBe(`${" ".repeat(5 + 15)}^~~`);
    expect(lines[at + 2]).toBe("1:16: error: tstats: expected FROM, WHERE or BY but found 'frm'");
    // The caret goes once the text changes; the message stays until the next run.
    await type("\x1b[C", "x");
    const g = await until(app.lastFrame, (x) => x.includes("fxrm"), "the edit");
    expect(g).not.toContain("^~~");
    expect(g).toContain("error: tstats");
  });

  it("marks the macro call when the error is inside the macro", async () => {
    const { type, app } = await start();
    await type("| makeresults | `bad_tail`", ENTER);
    const f = await until(app.lastFrame, (x) => x.includes("error:"), "the error");
    const lines = f.split("\n");
    const at = lines.findIndex((l) => l === "spl> | makeresults | `bad_tail`");
    expect(lines[at + 1]).toBe(`${" ".repeat(5 + 16)}^~~~~~~~~~`);
    // Message lines longer than the screen wrap.
    const message = lines.slice(at + 2).join("");
    expect(message).toMatch(/^macro `bad_tail` \(.*bad_tail\.yml\):1:10: error: expected an expression but found the end of the input/);
    expect(f).toContain("in expansion of `bad_tail` called at <search>:1:17");
  });

  it("cancels a running search with Ctrl-C without leaving", async () => {
    let signal: AbortSignal | undefined;
    const slow = backend({
      run: (_search, s) => {
        signal = s;
        return new Promise((resolve) => s.addEventListener("abort", () => resolve({ kind: "cancelled" })));
      },
    });
    const { type, app, exited } = await start({ backend: slow });
    await type("| makeresults", ENTER);
    await until(app.lastFrame, (f) => f.includes("running… (Ctrl-C cancels)"), "the search to start");
    await type(CTRL("c"));
    const f = await until(app.lastFrame, (x) => x.includes("search cancelled"), "the cancellation");
    expect(signal?.aborted).toBe(true);
    expect(promptLine(f)).toBe("spl> | makeresults");
    expect(exited()).toBe(0);
    // The prompt works again.
    await type(CTRL("c"), ".tz", ENTER);
    await until(app.lastFrame, (x) => x.includes("time zone UTC"), "a meta command");
  });

  it("takes input while the data loads, showing progress; a search typed meanwhile runs once it is in", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const slowLoad = backend({
      load: async (progress) => {
        progress("loading conn.json  42%  170 events");
        await gate;
        return { lines: ["411 events from 1 dataset"] };
      },
    });
    const app = render(<ReplApp backend={slowLoad} history={new MemoryHistory()} color={false} columns={100} rows={30} />);
    await until(app.lastFrame, (f) => f.includes("loading conn.json  42%"), "the progress");
    app.stdin.write("| makeresults count=4");
    await new Promise((r) => setTimeout(r, 5));
    app.stdin.write(ENTER);
    await until(app.lastFrame, (f) => f.includes("waiting for the data to load"), "the search to wait");
    release();
    await until(app.lastFrame, (f) => f.includes("4 rows ·") && !f.includes("loading conn.json"), "the search to run after the load");
  });

  it("shows meta command output, and Ctrl-D on an empty prompt leaves", async () => {
    const { type, app, exited } = await start();
    await type(".datasets", ENTER);
    await until(app.lastFrame, (f) => f.includes("411 events in all"), "the datasets");
    await type("x", CTRL("d"));
    expect(exited()).toBe(0);
    await type("\x7f", CTRL("d"));
    await until(() => String(exited()), (x) => x === "1", "leaving");
  });

  it("stays usable narrower than 40 columns", async () => {
    const { type, app } = await start({ columns: 30, rows: 20 });
    await type("| tstats count from datamodel=Network_Traffic by All_Traffic.src_ip All_Traffic.dest_ip", ENTER);
    const f = await until(app.lastFrame, (x) => /rows 1–\d+ of 117/.test(x), "the results");
    // Everything fits 30 columns, the search's echo too.
    for (const l of f.split("\n").slice(1)) expect(displayWidth(l)).toBeLessThanOrEqual(30);
    const live = fromHeader(f);
    // Cut column names keep their ends; the status line starts with where the page is.
    expect(live[0]).toMatch(/^…src_ip +…dest_ip +count$/);
    expect(live.find((l) => l.startsWith("rows "))).toMatch(/^rows 1–\d+ of 117 · /);
    // A long search wraps onto prompt rows of its own.
    await type("| makeresults | eval something_long=1");
    const g = await until(app.lastFrame, (x) => x.includes("ething_long=1"), "the wrapped prompt");
    expect(g.split("\n").filter((l) => l.startsWith("     ")).length).toBeGreaterThan(0);
  });
});

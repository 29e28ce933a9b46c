/** The REPL without a terminal: searches line by line, results as `spelunk run` prints them. */
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { ReplSession } from "../../src/repl/session.js";
import { linesOf, runPiped } from "../../src/repl/piped.js";
import { replCommand } from "../../src/cli/repl.js";

const fixture = "fixtures/zeek/outbound_smb_conn.json";

async function* lines(...ls: string[]) {
  for (const l of ls) yield l;
}

function collect() {
  const io = { out: "", err: "" };
  return { io, sink: { out: (t: string) => (io.out += t), err: (t: string) => (io.err += t) } };
}

describe("piped input", () => {
  it("runs each search, a line ending in | continuing on the next, and prints JSON lines", async () => {
    const session = ReplSession.create({ data: [{ path: fixture, sourcetype: "bro:conn:json" }], apps: [], macros: [], tz: "UTC" }, () => {});
    const { io, sink } = collect();
    const code = await runPiped(
      session,
      lines("| tstats count from datamodel=Network_Traffic by All_Traffic.app |", "  where count > 100", "", "| makeresults | eval x=\"a\" | fields x | fields - _time"),
      sink,
      "json",
    );
    expect(code).toBe(0);
    expect(io.err).toBe("");
    expect(io.out).toBe('{"All_Traffic.app":"dns","count":"157"}\n{"All_Traffic.app":"ssl","count":"169"}\n{"x":"a"}\n');
  });

  it("prints errors on stderr, goes on, and exits 1", async () => {
    const session = ReplSession.create({ data: [], apps: [], macros: [], tz: "UTC" }, () => {});
    const { io, sink } = collect();
    const code = await runPiped(session, lines("| tstats count frm x", "| makeresults count=1 | eval y=1 | table y"), sink, "csv");
    expect(code).toBe(1);
    expect(io.err).toBe("<search>:1:16: error: tstats: expected FROM, WHERE or BY but found 'frm'\n| tstats count frm x\n               ^~~\n");
    expect(io.out).toBe("y\n1\n");
  });

  it("runs meta commands, and stops at .quit", async () => {
    const session = ReplSession.create({ data: [], apps: [], macros: [], tz: "UTC" }, () => {});
    const { io, sink } = collect();
    const code = await runPiped(session, lines(".tz", ".quit", "| makeresults"), sink, "json");
    expect(code).toBe(0);
    expect(io.out).toBe("time zone UTC\n");
  });

  it("replCommand reads a stream that is not a terminal line by line", async () => {
    const stdin = Readable.from(["| makeresults count=2 | eval n=1 | stats sum(n) as total\n", ".datasets\n"]) as unknown as NodeJS.ReadStream;
    const { io, sink } = collect();
    const code = await replCommand({ apps: [], data: [], macros: [], tz: "UTC", format: "json" }, { ...sink, stdin, stdout: { isTTY: false } as NodeJS.WriteStream });
    expect(code).toBe(0);
    expect(io.out).toBe('{"total":"2"}\nno datasets loaded (.load PATH SOURCETYPE)\n');
  });

  it("keeps lines read while the data loads", async () => {
    const stream = Readable.from(["| makeresults\n"]);
    const it = linesOf(stream);
    await new Promise((r) => setTimeout(r, 20));
    const got: string[] = [];
    for await (const l of it) got.push(l);
    expect(got).toEqual(["| makeresults"]);
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type FormatSettings, IngestError } from "../../src/ingest/format.js";
import { planParallel, readInParallel } from "../../src/ingest/parallel.js";
import { type DatasetContents, readDataset } from "../../src/ingest/read.js";
import { ArrayColumn, type Column, ConstantColumn, DictColumn, NumberColumn, Utf8Column } from "../../src/table/table.js";
import type { Value } from "../../src/table/value.js";
import { tempDir } from "./helpers.js";

const file = tempDir();
const json = { kind: "json" } as const;
const tsv = { kind: "tsv" } as const;
const spec = (path: string) => ({ path, sourcetype: "test", host: "testhost" });

/** The file read on one thread and in parts (`workers` of them: this thread and workers - 1 worker threads). */
async function both(path: string, format: FormatSettings, options: { workers?: number; maxProblems?: number } = {}) {
  const common = options.maxProblems === undefined ? {} : { maxProblems: options.maxProblems };
  const one = await readDataset(spec(path), format, { ...common, parallelThreshold: Infinity });
  const parts = await readDataset(spec(path), format, { ...common, parallelThreshold: 0, workers: options.workers ?? 3 });
  return { one, parts };
}

function values(column: Column, n: number): Value[] {
  const out: Value[] = [];
  for (let r = 0; r < n; r++) out.push(column.get(r));
  return out;
}

/** Every column, value by value and row by row, and the problems, skipped count and warnings. */
function expectSame(parts: DatasetContents, one: DatasetContents): void {
  const n = one.events.length;
  expect(parts.events.length).toBe(n);
  expect(parts.events.fields()).toEqual(one.events.fields());
  for (const name of one.events.fields()) {
    const column = parts.events.column(name)!;
    // Real columns, not views: summaries and knowledge read DictColumn codes directly.
    expect([DictColumn, NumberColumn, ArrayColumn, Utf8Column, ConstantColumn].some((c) => column instanceof c), name).toBe(true);
    expect(values(column, n), name).toEqual(values(one.events.column(name)!, n));
  }
  expect(parts.problems).toEqual(one.problems);
  expect(parts.skipped).toBe(one.skipped);
  expect(parts.warnings).toEqual(one.warnings);
}

const lines = (ls: readonly string[], eol = "\n") => ls.map((l) => l + eol).join("");

describe("a file read in parts on worker threads", () => {
  it("is cut at line starts, into as many parts as asked", async () => {
    const text = lines(Array.from({ length: 100 }, (_, i) => `{"ts":${i},"pad":"${"x".repeat(i % 7)}"}`));
    const path = file("cuts.json", text);
    const plan = (await planParallel(path, json, { parallelThreshold: 0, workers: 4 }))!;
    expect(plan.ranges).toHaveLength(4);
    expect(plan.ranges[0]!.start).toBe(0);
    expect(plan.ranges.at(-1)!.end).toBe(Buffer.byteLength(text));
    for (let k = 1; k < plan.ranges.length; k++) {
      expect(plan.ranges[k]!.start).toBe(plan.ranges[k - 1]!.end);
      expect(text[plan.ranges[k]!.start - 1]).toBe("\n");
    }
  });

  it("small files, gzip, CSV and XML are read on one thread", async () => {
    const path = file("small.json", lines(['{"ts":1}', '{"ts":2}']));
    expect(await planParallel(path, json, {})).toBeUndefined();
    expect(await planParallel(path, { kind: "csv" }, { parallelThreshold: 0, workers: 2 })).toBeUndefined();
    expect(await planParallel(path, { kind: "xml" }, { parallelThreshold: 0, workers: 2 })).toBeUndefined();
    const { gzipSync } = await import("node:zlib");
    const gz = file("small.json.gz", gzipSync(lines(['{"ts":1}', '{"ts":2}'])));
    expect(await planParallel(gz, json, { parallelThreshold: 0, workers: 2 })).toBeUndefined();
    const utf16 = file("utf16.json", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(lines(['{"ts":1}', '{"ts":2}']), "utf16le")]));
    expect(await planParallel(utf16, json, { parallelThreshold: 0, workers: 2 })).toBeUndefined();
  });

  it("gives the same events, problems and line numbers as one thread for JSON with bad lines in every part", async () => {
    const ls = Array.from({ length: 300 }, (_, i) => (i % 37 === 5 ? `{"ts":${i},"broken"` : i % 53 === 0 ? "" : `{"ts":${1700000000 + i},"n":${i % 5},"s":"v${i % 11}","tags":["a","b${i % 3}"]}`));
    const path = file("bad.json", lines(ls));
    const { one, parts } = await both(path, json, { workers: 4 });
    expect(one.problems.map((p) => p.line)).toEqual(ls.flatMap((l, i) => (l.includes("broken") ? [i + 1] : [])));
    expectSame(parts, one);
  });

  it("caps the problems listed after joining the parts' lists in file order", async () => {
    const ls = Array.from({ length: 200 }, (_, i) => (i % 10 === 9 ? "not json" : `{"ts":${i}}`));
    const path = file("capped.json", lines(ls));
    const { one, parts } = await both(path, json, { workers: 3, maxProblems: 7 });
    expect(one.problems).toHaveLength(7);
    expect(one.skipped).toBe(20);
    expectSame(parts, one);
  });

  it("reads lines whose multibyte characters sit where the file is cut", async () => {
    // One long line of three-byte characters around the middle of the file: the cut falls inside a character.
    const ls = ['{"ts":1,"s":"a"}', `{"ts":2,"s":"${"€".repeat(5000)}"}`, '{"ts":3,"s":"😀é"}', `{"ts":4,"s":"${"日本".repeat(3000)}"}`, '{"ts":5,"s":"z"}'];
    const path = file("multibyte.json", lines(ls));
    for (const workers of [2, 3, 4]) {
      const { one, parts } = await both(path, json, { workers });
      expectSame(parts, one);
    }
  });

  it("does not take bytes at the start of a later part for a byte order mark", async () => {
    // Lines of one length, so that with two parts the second starts exactly at the line with the marks.
    const ls = ['{"ts":1,"s":"aaaa"}', '{"ts":2,"s":"bbbb"}', '\uFEFF{"ts":3,"s":"c"}', '{"ts":4,"s":"dddd"}'];
    const bytes = Buffer.from(lines(ls));
    expect(bytes.indexOf(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(bytes.length / 2);
    const path = file("bom-mid.json", bytes);
    const { one, parts } = await both(path, json, { workers: 2 });
    expect(one.problems.map((p) => p.line)).toEqual([3]);
    expectSame(parts, one);
  });

  it("reads CRLF line ends as one thread does", async () => {
    const ls = Array.from({ length: 120 }, (_, i) => (i === 77 ? "{bad" : `{"ts":${i},"v":"x${i % 4}"}`));
    const path = file("crlf.json", lines(ls, "\r\n"));
    const { one, parts } = await both(path, json, { workers: 3 });
    expect(one.events.get(0, "_raw")).toBe('{"ts":0,"v":"x0"}');
    expectSame(parts, one);
  });

  it("gives events without a time at the start of a later part the time of the event before them", async () => {
    // 3 parts of 10 lines each: the second all without a time, the third starting without one.
    // Lines of one length, so that the parts start at lines 11 and 21.
    const timed = (i: number) => `{"ts":${1700000000 + i},"k":"t${String(i).padStart(2, "0")}"}`;
    const untimed = (i: number) => `{"no":${1700000000 + i},"k":"u${String(i).padStart(2, "0")}"}`;
    const ls = [...Array.from({ length: 10 }, (_, i) => timed(i)), ...Array.from({ length: 10 }, (_, i) => untimed(10 + i)), ...Array.from({ length: 10 }, (_, i) => (i < 4 ? untimed(20 + i) : timed(20 + i)))];
    const path = file("untimed.json", lines(ls));
    const plan = (await planParallel(path, json, { parallelThreshold: 0, workers: 3 }))!;
    expect(plan.ranges.map((r) => r.start)).toEqual([0, Buffer.byteLength(lines(ls.slice(0, 10))), Buffer.byteLength(lines(ls.slice(0, 20)))]);
    const { one, parts } = await both(path, json, { workers: 3 });
    expect(parts.events.get(21, "_time")).toBe(1700000009);
    expect(one.warnings).toEqual([expect.stringContaining("14 event(s) without a parsable time")]);
    expectSame(parts, one);
  });

  it("events without a time at the very start take the file's modification time, as on one thread", async () => {
    const ls = [...Array.from({ length: 6 }, (_, i) => `{"x":${i}}`), ...Array.from({ length: 30 }, (_, i) => `{"ts":${1700000000 + i}}`)];
    const { one, parts } = await both(file("untimed-start.json", lines(ls)), json, { workers: 3 });
    expectSame(parts, one);
  });

  it("keeps first-seen field order when a field is first seen only in a later part", async () => {
    const ls = [...Array.from({ length: 30 }, (_, i) => `{"ts":${i},"a":${i}}`), ...Array.from({ length: 30 }, (_, i) => `{"ts":${i},"late":"L${i % 3}","a":${i},"later":[1,"1"]}`)];
    const { one, parts } = await both(file("late-field.json", lines(ls)), json, { workers: 2 });
    expect(one.events.fields().slice(6)).toEqual(["ts", "a", "late", "later{}"]);
    expectSame(parts, one);
  });

  it("keeps numbers and numeric strings of one field apart across parts", async () => {
    const ls = [...Array.from({ length: 40 }, (_, i) => `{"ts":${i},"v":${i % 4},"w":"${i % 3}"}`), ...Array.from({ length: 40 }, (_, i) => `{"ts":${i},"v":"${i % 4}","w":${i % 3},"f":1.0}`)];
    const { one, parts } = await both(file("numbers.json", lines(ls)), json, { workers: 2 });
    expect(parts.events.get(1, "v")).toBe(1);
    expect(parts.events.get(41, "v")).toBe("1");
    expect(parts.events.column("v")).toBeInstanceOf(DictColumn);
    expectSame(parts, one);
  });

  it("makes a field whose values are mostly distinct a plain column, one with few values a dictionary", async () => {
    const ls = Array.from({ length: 12000 }, (_, i) => `{"ts":${1700000000 + i * 0.25},"uid":"C${i.toString(36)}","bytes":${i * 3},"proto":"${["tcp", "udp", "icmp"][i % 3]}"}`);
    const { one, parts } = await both(file("distinct.json", lines(ls)), json, { workers: 3 });
    expect(parts.events.column("uid")).toBeInstanceOf(ArrayColumn);
    expect(parts.events.column("bytes")).toBeInstanceOf(NumberColumn);
    expect(parts.events.column("proto")).toBeInstanceOf(DictColumn);
    expect((parts.events.column("proto") as DictColumn).codes).toBeInstanceOf(Int8Array);
    expect((parts.events.column("proto") as DictColumn).dict).toEqual(["tcp", "udp", "icmp"]);
    expectSame(parts, one);
  });

  it("sums the reserved fields each part dropped into one warning", async () => {
    const ls = Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? `{"ts":${i},"host":"h${i}"}` : `{"ts":${i},"index":"x"}`));
    const { one, parts } = await both(file("reserved.json", lines(ls)), json, { workers: 3 });
    expect(one.warnings).toEqual([expect.stringContaining("'host' of the data (in 30 event(s))"), expect.stringContaining("'index' of the data (in 30 event(s))")]);
    expectSame(parts, one);
  });

  it("says a file without events has none, with the same message as one thread", async () => {
    const path = file("none.json", lines(Array.from({ length: 50 }, (_, i) => `nope ${i}`)));
    const oneError = await readDataset(spec(path), json, { parallelThreshold: Infinity }).catch((e: unknown) => e);
    const partsError = await readDataset(spec(path), json, { parallelThreshold: 0, workers: 3 }).catch((e: unknown) => e);
    expect(oneError).toBeInstanceOf(IngestError);
    expect(partsError).toBeInstanceOf(IngestError);
    expect((partsError as Error).message).toBe((oneError as Error).message);
  });

  it("says a missing file cannot be read, as one thread does", async () => {
    await expect(readDataset(spec("/nonexistent/x.json"), json, { parallelThreshold: 0, workers: 2 })).rejects.toThrow(new IngestError("cannot read /nonexistent/x.json: no such file"));
  });

  it("reports progress summed over the parts, ending at the file's size and event count", async () => {
    const ls = Array.from({ length: 500 }, (_, i) => `{"ts":${i}}`);
    const path = file("progress.json", lines(ls));
    const calls: Array<[number, number, number]> = [];
    await readDataset(spec(path), json, { parallelThreshold: 0, workers: 3, onProgress: (b, t, e) => calls.push([b, t, e]) });
    expect(calls.at(-1)).toEqual([Buffer.byteLength(lines(ls)), Buffer.byteLength(lines(ls)), 500]);
    for (let i = 1; i < calls.length; i++) expect(calls[i]![0]).toBeGreaterThanOrEqual(calls[i - 1]![0]);
  });

  it("equals one thread for any mix of events, bad and blank lines, line ends and characters", async () => {
    const value = fc.oneof(
      fc.integer({ min: -5, max: 5 }),
      fc.constantFrom("1", "2", "x", "1.0"),
      fc.string({ unit: "grapheme", maxLength: 6 }),
      fc.array(fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom("1", "é")), { maxLength: 3 }),
    );
    const line = fc.oneof(
      { weight: 6, arbitrary: fc.record({ ts: fc.integer({ min: 1600000000, max: 1700000000 }), a: value, b: value }, { requiredKeys: ["ts"] }).map((o) => JSON.stringify(o)) },
      { weight: 4, arbitrary: fc.record({ c: value, d: value }).map((o) => JSON.stringify(o)) },
      { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 10 }).map((s) => `{"bad":${JSON.stringify(s)}`) },
      { weight: 1, arbitrary: fc.constantFrom("", "  ", "\t") },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 60 }), fc.constantFrom("\n", "\r\n"), fc.boolean(), fc.integer({ min: 2, max: 4 }), async (ls, eol, lastEol, workers) => {
        if (!ls.some((l) => l.startsWith('{"ts"') || l.startsWith('{"c"') || l === "{}")) ls.push('{"ts":1650000000}');
        const text = lines(ls, eol);
        const path = file("prop.json", lastEol ? text : text.slice(0, -eol.length));
        const { one, parts } = await both(path, json, { workers });
        expectSame(parts, one);
      }),
      // Each run starts worker threads: few runs, of up to 60 lines each.
      { numRuns: 8 },
    );
  }, 180_000);
});

describe("a Zeek TSV log read in parts", () => {
  const header = (fields: string[], types: string[]) => [
    "#separator \\x09",
    "#set_separator\t,",
    "#empty_field\t(empty)",
    "#unset_field\t-",
    "#path\tconn",
    "#open\t2024-01-01-00-00-00",
    `#fields\t${fields.join("\t")}`,
    `#types\t${types.join("\t")}`,
  ];
  const conn = header(["ts", "uid", "id.orig_h", "service", "tunnel_parents"], ["time", "string", "addr", "string", "set[string]"]);
  const row = (i: number) => `${1700000000 + i}.5\tC${i}\t10.0.0.${i % 7}\t${i % 4 === 0 ? "-" : "dns"}\t${i % 5 === 0 ? "a,b" : "(empty)"}`;

  it("gives the parts after the first the header lines of the file's start", async () => {
    const ls = [...conn, ...Array.from({ length: 90 }, (_, i) => (i === 60 ? "1\t2" : row(i))), "#close\t2024-01-01-01-00-00"];
    const { one, parts } = await both(file("conn.log", lines(ls)), tsv, { workers: 3 });
    expect(one.problems.map((p) => p.line)).toEqual([conn.length + 61]);
    expect(parts.events.get(5, "tunnel_parents")).toEqual(["a", "b"]);
    expectSame(parts, one);
  });

  it("reads logs concatenated with the same header in parts", async () => {
    const ls = [...conn, ...Array.from({ length: 40 }, (_, i) => row(i)), "#close\tx", ...conn, ...Array.from({ length: 40 }, (_, i) => row(40 + i))];
    const path = file("twice.log", lines(ls));
    const plan = (await planParallel(path, tsv, { parallelThreshold: 0, workers: 3 }))!;
    const meta = { host: "testhost", source: path, sourcetype: "test", index: "main" };
    expect(await readInParallel(path, tsv, plan, { maxProblems: 100, meta })).toBeDefined();
    const { one, parts } = await both(path, tsv, { workers: 3 });
    expectSame(parts, one);
  });

  it("reads a log whose header changes midway on one thread, with the same result", async () => {
    const dns = header(["ts", "query", "answers"], ["time", "string", "vector[string]"]);
    const ls = [...conn, ...Array.from({ length: 30 }, (_, i) => row(i)), ...dns, ...Array.from({ length: 60 }, (_, i) => `${1700000100 + i}\tq${i % 9}.example\t1.1.1.${i % 3},2.2.2.2`)];
    const path = file("changes.log", lines(ls));
    const plan = (await planParallel(path, tsv, { parallelThreshold: 0, workers: 3 }))!;
    const meta = { host: "testhost", source: path, sourcetype: "test", index: "main" };
    expect(await readInParallel(path, tsv, plan, { maxProblems: 100, meta })).toBeUndefined();
    const { one, parts } = await both(path, tsv, { workers: 3 });
    expect(parts.events.get(40, "answers")).toEqual(["1.1.1.1", "2.2.2.2"]);
    expectSame(parts, one);
  });
});

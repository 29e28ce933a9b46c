import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FileHistory, MemoryHistory, historyPath, parseHistory, searchBackward } from "../../src/repl/history.js";

describe("where history is kept", () => {
  it("SPELUNK_HISTORY wins; empty turns it off; else XDG_CONFIG_HOME, else ~/.config", () => {
    const home = () => "/home/ana";
    expect(historyPath({ SPELUNK_HISTORY: "/tmp/h" }, home)).toBe("/tmp/h");
    expect(historyPath({ SPELUNK_HISTORY: "" }, home)).toBeUndefined();
    expect(historyPath({ XDG_CONFIG_HOME: "/cfg" }, home)).toBe("/cfg/spelunk/history");
    expect(historyPath({ XDG_CONFIG_HOME: "" }, home)).toBe("/home/ana/.config/spelunk/history");
    // A relative XDG_CONFIG_HOME is invalid (XDG base directory spec) and ignored.
    expect(historyPath({ XDG_CONFIG_HOME: "rel" }, home)).toBe("/home/ana/.config/spelunk/history");
  });
});

describe("history", () => {
  it("skips blanks and repeats of the newest entry, and keeps the newest max", () => {
    const h = new MemoryHistory([], 3);
    for (const e of ["a", "a", " ", "b", "c", "d"]) h.add(e);
    expect(h.entries()).toEqual(["b", "c", "d"]);
  });

  it("persists multi-line entries across sessions, in a file only its owner reads", () => {
    const dir = mkdtempSync(join(tmpdir(), "spelunk-hist-"));
    const path = join(dir, "sub", "history");
    const warnings: string[] = [];
    const first = FileHistory.open(path, (m) => warnings.push(m));
    expect(first.entries()).toEqual([]);
    first.add("| makeresults\n| eval x=1");
    first.add("| tstats count");
    const second = FileHistory.open(path, (m) => warnings.push(m));
    expect(second.entries()).toEqual(["| makeresults\n| eval x=1", "| tstats count"]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(warnings).toEqual([]);
  });

  it("skips lines that are not JSON strings, and compacts a file grown past twice the limit", () => {
    expect(parseHistory(['"a"', "not json", "42", '"b"', ""])).toEqual(["a", "b"]);
    const dir = mkdtempSync(join(tmpdir(), "spelunk-hist-"));
    const path = join(dir, "history");
    writeFileSync(path, Array.from({ length: 25 }, (_, i) => JSON.stringify(`s${i}`)).join("\n") + "\n");
    const h = FileHistory.open(path, () => {}, 10);
    expect(h.entries()).toEqual(Array.from({ length: 10 }, (_, i) => `s${i + 15}`));
    expect(readFileSync(path, "utf8").trim().split("\n")).toHaveLength(10);
  });

  it("keeps working in memory when the file cannot be written, saying so once", () => {
    const dir = mkdtempSync(join(tmpdir(), "spelunk-hist-"));
    writeFileSync(join(dir, "file"), "");
    const warnings: string[] = [];
    const h = FileHistory.open(join(dir, "file", "history"), (m) => warnings.push(m));
    h.add("a");
    h.add("b");
    expect(h.entries()).toEqual(["a", "b"]);
    expect(warnings.filter((w) => /cannot write history/.test(w))).toHaveLength(1);
  });

  it("searches backwards, case-insensitively unless the query has capitals", () => {
    const entries = ["| tstats count", "| makeresults", "| TSTATS values(x)", "index=main"];
    expect(searchBackward(entries, "tstats", 4)).toBe(2);
    expect(searchBackward(entries, "tstats", 2)).toBe(0);
    expect(searchBackward(entries, "TSTATS", 4)).toBe(2);
    expect(searchBackward(entries, "TSTATS", 2)).toBe(-1);
    expect(searchBackward(entries, "nothing", 4)).toBe(-1);
  });
});

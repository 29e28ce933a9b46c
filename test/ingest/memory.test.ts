import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getHeapSpaceStatistics } from "node:v8";
import { afterAll, describe, expect, it } from "vitest";
import { readDataset } from "../../src/ingest/read.js";
import { DictColumn } from "../../src/table/table.js";

const dir = mkdtempSync(join(tmpdir(), "spelunk-memory-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LINES = 200_000;
const KEPT_EVERY = 10; // one line in ten is an event, the others are bad lines (skipped)

/** Writes the file in pieces, so the test itself never holds it in memory. */
function generate(path: string): number {
  const fd = openSync(path, "w");
  try {
    let piece = "";
    for (let i = 0; i < LINES; i++) {
      piece +=
        i % KEPT_EVERY === 0
          ? `{"ts":${1_700_000_000 + i},"id":{"orig_h":"10.0.${i % 7}.1","resp_p":${[53, 80, 443, 445][i % 4]}},"proto":"tcp","tags":["a","b"]}\n`
          : `not json: ${"x".repeat(390)}\n`;
      if (piece.length > 1 << 20) {
        writeSync(fd, piece);
        piece = "";
      }
    }
    writeSync(fd, piece);
  } finally {
    closeSync(fd);
  }
  return statSync(path).size;
}

/**
 * Memory that outlives a few garbage collections: the old and large-object heap spaces (where V8
 * moves what survives) and array buffers. Short-lived garbage in the young generation (each skipped
 * line, decoded and dropped) is left out, as no test can force a collection without --expose-gc.
 */
function used(): number {
  let heap = 0;
  for (const space of getHeapSpaceStatistics()) {
    if (space.space_name === "old_space" || space.space_name === "large_object_space") heap += space.space_used_size;
  }
  return heap + process.memoryUsage().arrayBuffers;
}

describe("memory", () => {
  it("a 200,000-line file is read streaming: memory follows the events kept, not the file size", async () => {
    const path = join(dir, "big.json");
    const size = generate(path);
    const before = used();
    const { events, problems, skipped } = await readDataset({ path, sourcetype: "s", host: "h" }, { kind: "json" });
    const growth = used() - before;

    expect(events.length).toBe(LINES / KEPT_EVERY);
    expect(skipped).toBe(LINES - LINES / KEPT_EVERY);
    expect(problems.length).toBe(100); // capped, not one per bad line
    // Columns hold one code per event and one dictionary entry per distinct value.
    const orig = events.column("id.orig_h") as DictColumn;
    expect(orig.codes.length).toBe(events.length);
    expect(orig.dict.length).toBe(7);
    expect((events.column("tags{}") as DictColumn).dict).toEqual([["a", "b"]]);
    // The 72 MB of skipped lines are not kept: what stays is the 20,000 events (their _raw, about
    // 2.5 MB, and their columns). Half the file size leaves room for garbage not yet collected.
    expect(size).toBeGreaterThan(70 * 1024 * 1024);
    expect(growth).toBeLessThan(size / 2);
  });
});

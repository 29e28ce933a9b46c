import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import type { FormatSettings } from "../../src/ingest/format.js";
import { readDataset } from "../../src/ingest/read.js";

/** A temp folder for the test file, removed after its tests. */
export function tempDir(): (name: string, content: string | Buffer) => string {
  const dir = mkdtempSync(join(tmpdir(), "spelunk-ingest-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return (name, content) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
}

/** Reads a file with a fixed host so results do not depend on the machine. */
export function read(path: string, format: FormatSettings, maxProblems?: number) {
  return readDataset({ path, sourcetype: "test", host: "testhost" }, format, maxProblems === undefined ? {} : { maxProblems });
}

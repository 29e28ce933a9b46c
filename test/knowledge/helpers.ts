import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { loadApp } from "../../src/knowledge/apps.js";
import { Knowledge } from "../../src/knowledge/knowledge.js";

export const CTX = { now: 1_700_000_000, tz: "UTC" };

/** A scratch folder removed by `cleanup`. */
export function scratch(): { root: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), "spelunk-knowledge-"));
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Writes an app folder: paths relative to the app → file text. Returns the app's folder. */
export function writeApp(root: string, name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** Knowledge from one app written to a scratch folder (no shipped apps). */
export function knowledgeOf(root: string, files: Record<string, string>, name = "test_app"): Knowledge {
  return Knowledge.fromApps(loadApp(writeApp(root, name, files), name));
}

/** Walking typed command arguments generically, for checks that apply to every command. */
import type { Pipeline } from "./ast.js";

/** Subsearch pipelines held anywhere in a stage's arguments (search terms, join, append, generic commands ...). */
export function subsearchesOf(args: unknown): Pipeline[] {
  const found: Pipeline[] = [];
  const walk = (value: unknown, depth: number): void => {
    if (depth > 64 || value === null || typeof value !== "object") return;
    if (Array.isArray(value)) {
      for (const item of value) walk(item, depth + 1);
      return;
    }
    const record = value as Record<string, unknown>;
    if (Array.isArray(record.stages) && "span" in record) {
      found.push(record as unknown as Pipeline);
      return;
    }
    for (const key of Object.keys(record)) if (key !== "span") walk(record[key], depth + 1);
  };
  walk(args, 0);
  return found;
}

/**
 * Documents as KQL sees them: JSON objects as Elasticsearch stores them in `_source`. A field path
 * `a.b.c` walks nested objects and also matches keys written with dots (`{"a.b": {"c": 1}}`), as
 * Elasticsearch's mapping treats both alike; arrays are flattened, so a field has a list of values
 * (detection-rules lib/kql/kql/evaluator.py get_terms: "lists are flattened").
 */

export type KqlDocument = Readonly<Record<string, unknown>>;

/** Objects nest no deeper than this in what the walk follows (documents come from files). */
const MAX_DEPTH = 64;

/** Every value at `path` (split on dots), arrays flattened; null and undefined left out. */
export function valuesAt(doc: unknown, path: readonly string[]): unknown[] {
  const out: unknown[] = [];
  collect(doc, path, 0, out, 0);
  return out;
}

function collect(node: unknown, parts: readonly string[], i: number, out: unknown[], depth: number): void {
  if (depth > MAX_DEPTH || node === null || node === undefined) return;
  if (Array.isArray(node)) {
    for (const element of node) collect(element, parts, i, out, depth + 1);
    return;
  }
  if (i === parts.length) {
    out.push(node);
    return;
  }
  if (typeof node !== "object") return;
  const obj = node as Record<string, unknown>;
  let key = "";
  for (let j = i; j < parts.length; j++) {
    key = j === i ? parts[j]! : `${key}.${parts[j]}`;
    if (Object.prototype.hasOwnProperty.call(obj, key)) collect(obj[key], parts, j + 1, out, depth + 1);
  }
}

/** Every leaf (a non-object value, array elements one by one) with its dotted path. */
export function leaves(doc: unknown): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  walk(doc, "", out, 0);
  return out;
}

function walk(node: unknown, path: string, out: Array<[string, unknown]>, depth: number): void {
  if (depth > MAX_DEPTH || node === null || node === undefined) return;
  if (Array.isArray(node)) {
    for (const element of node) walk(element, path, out, depth + 1);
    return;
  }
  if (typeof node === "object") {
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) walk(value, path === "" ? key : `${path}.${key}`, out, depth + 1);
    return;
  }
  out.push([path, node]);
}

/** Sets `path` (dotted) in a nested object, creating objects on the way; a second value makes an array. */
export function setPath(doc: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  let node = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const key = parts[i]!;
    let next = node[key];
    if (next === undefined || next === null || typeof next !== "object" || Array.isArray(next)) {
      next = {};
      node[key] = next;
    }
    node = next as Record<string, unknown>;
  }
  node[parts[parts.length - 1]!] = value;
}

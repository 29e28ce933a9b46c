import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, extname, join } from "node:path";
import { parse as parseYaml } from "yaml";
import { CliError } from "./errors.js";

/** A search to check or run, with the detection file stem that names its `_filter` macro. */
export interface SearchSource {
  readonly name: string;
  readonly text: string;
  readonly stem?: string;
}

const searchFile = /\.(spl|ya?ml)$/i;

/** Files as given; folders contribute their .spl and .yml files (sorted, recursively, to a bounded depth). */
export function readSearchSources(paths: readonly string[]): SearchSource[] {
  const files: string[] = [];
  for (const path of paths) {
    let isDir = false;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      throw new CliError(`cannot read ${path}: no such file or folder`);
    }
    if (isDir) files.push(...listSearchFiles(path, 0));
    else files.push(path);
  }
  return files.map(readSearchSource).filter((s): s is SearchSource => s !== undefined);
}

function listSearchFiles(dir: string, depth: number): string[] {
  if (depth > 8) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listSearchFiles(path, depth + 1));
    else if (entry.isFile() && searchFile.test(entry.name) && !entry.name.endsWith(".test.yml")) out.push(path);
  }
  return out;
}

/** A .spl file is the search itself; a .yml file is a security_content detection or baseline with a `search:` key. */
function readSearchSource(path: string): SearchSource | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new CliError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`);
  }
  const stem = basename(path, extname(path));
  if (extname(path).toLowerCase() === ".spl") return { name: path, text, stem };
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    throw new CliError(`${path}: not valid YAML: ${(error as Error).message.split("\n")[0]}`);
  }
  const search = (doc as { search?: unknown } | null)?.search;
  if (typeof search !== "string") throw new CliError(`${path}: no search: key (expected a security_content detection or baseline)`);
  return { name: path, text: search, stem };
}

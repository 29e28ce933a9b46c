/**
 * Search history, kept across sessions in one file in the user's config directory:
 * `$SPELUNK_HISTORY` when set (an empty value turns the file off), else
 * `$XDG_CONFIG_HOME/spelunk/history`, else `~/.config/spelunk/history`. One entry per line as a JSON
 * string, so multi-line searches survive; lines that are not JSON strings are skipped. The newest
 * `max` entries are kept. The file is created readable by its owner only (searches can hold names
 * and addresses from the user's data).
 */
import { appendFileSync, chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

export const HISTORY_ENV = "SPELUNK_HISTORY";
export const DEFAULT_HISTORY_SIZE = 1000;

/** Where history goes, or undefined when it is not kept. */
export function historyPath(env: NodeJS.ProcessEnv = process.env, home: () => string = homedir): string | undefined {
  const override = env[HISTORY_ENV];
  if (override !== undefined) return override === "" ? undefined : override;
  const config = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith("/") ? env.XDG_CONFIG_HOME : join(home(), ".config");
  return join(config, "spelunk", "history");
}

export interface HistoryStore {
  /** Oldest first. */
  entries(): readonly string[];
  add(entry: string): void;
}

/** History in memory only (tests, or when the file cannot be used). */
export class MemoryHistory implements HistoryStore {
  protected list: string[];

  constructor(
    initial: readonly string[] = [],
    protected readonly max = DEFAULT_HISTORY_SIZE,
  ) {
    this.list = initial.slice(-max);
  }

  entries(): readonly string[] {
    return this.list;
  }

  /** Blank entries are not kept; an entry equal to the newest is not repeated. */
  add(entry: string): void {
    if (entry.trim() === "" || this.list[this.list.length - 1] === entry) return;
    this.list.push(entry);
    if (this.list.length > this.max) this.list = this.list.slice(-this.max);
    this.stored(entry);
  }

  protected stored(_entry: string): void {}
}

export class FileHistory extends MemoryHistory {
  private failed = false;

  private constructor(
    readonly path: string,
    initial: readonly string[],
    max: number,
    private readonly warn: (message: string) => void,
  ) {
    super(initial, max);
  }

  /** Reads the file (a missing file is an empty history); compacts it when it has grown past twice `max`. */
  static open(path: string, warn: (message: string) => void, max = DEFAULT_HISTORY_SIZE): FileHistory {
    let lines: string[] = [];
    try {
      lines = readFileSync(path, "utf8").split("\n");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") warn(`cannot read history ${path}: ${(error as Error).message}`);
    }
    const entries = parseHistory(lines);
    const history = new FileHistory(path, entries, max, warn);
    if (entries.length > 2 * max) history.rewrite();
    return history;
  }

  protected override stored(entry: string): void {
    if (this.failed) return;
    try {
      mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
      appendFileSync(this.path, `${JSON.stringify(entry)}\n`, { encoding: "utf8", mode: 0o600 });
    } catch (error) {
      this.failed = true;
      this.warn(`cannot write history ${this.path}: ${(error as Error).message} (history is kept for this session only)`);
    }
  }

  private rewrite(): void {
    try {
      writeFileSync(this.path, this.list.map((e) => `${JSON.stringify(e)}\n`).join(""), { encoding: "utf8", mode: 0o600 });
      chmodSync(this.path, 0o600);
    } catch (error) {
      this.warn(`cannot compact history ${this.path}: ${(error as Error).message}`);
    }
  }
}

export function parseHistory(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    if (line.trim() === "") continue;
    try {
      const value: unknown = JSON.parse(line);
      if (typeof value === "string" && value.trim() !== "") out.push(value);
    } catch {
      // Not ours (or a torn write): skipped.
    }
  }
  return out;
}

/**
 * Reverse incremental search (Ctrl-R): the newest entry before index `before` containing `query`.
 * Case-insensitive unless the query has an upper-case letter (smart case). -1 when none.
 */
export function searchBackward(entries: readonly string[], query: string, before: number): number {
  const sensitive = query !== query.toLowerCase();
  const q = sensitive ? query : query.toLowerCase();
  for (let i = Math.min(before, entries.length) - 1; i >= 0; i--) {
    const e = entries[i]!;
    if ((sensitive ? e : e.toLowerCase()).includes(q)) return i;
  }
  return -1;
}

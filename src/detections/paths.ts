/**
 * Where the files a test file names may be. A path written in a test file is relative to that
 * file's folder and may not leave it (no absolute paths, no `..` out of it, no symbolic link out of
 * it), so running someone's detection tests reads nothing but their folder. The one way out is
 * `--attack-data DIR`: attack_data URLs and `attack_data:` paths are looked up inside the folders
 * given there (a local checkout of splunk/attack_data, as contentctl's attack data cache maps them).
 */
import { existsSync, openSync, readSync, closeSync, realpathSync, statSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";

/** A path a test file names cannot be used; the message says which and why. */
export class TestPathError extends Error {
  constructor(
    message: string,
    /** "skip": the test cannot run in this setup (no --attack-data given), which is not a failure of the detection. */
    readonly severity: "fail" | "skip" = "fail",
  ) {
    super(message);
  }
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

/** `path` is `root` or under it, both as written and after following links. */
export function isInside(root: string, path: string): boolean {
  return inside(resolve(root), resolve(path)) && inside(real(root), real(path));
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/**
 * `written` (a path from the test file in `root`) as a path that stays inside `root`, or a
 * TestPathError. The file need not exist (the caller says what is missing).
 */
export function resolveInTree(root: string, written: string, what: string, where: string): string {
  if (written.trim() === "") throw new TestPathError(`${where}: empty ${what} path`);
  if (isAbsolute(written) || /^[A-Za-z]:[\\/]/.test(written)) {
    throw new TestPathError(`${where}: ${what} ${written} is an absolute path; paths in a test file are relative to its folder (${root})`);
  }
  const path = resolve(root, written);
  if (!inside(resolve(root), path)) {
    throw new TestPathError(
      `${where}: ${what} ${written} is outside the test file's folder (${root}); keep test files' data beside them, or name it with attack_data: and give --attack-data DIR`,
    );
  }
  if (existsSync(path) && !inside(real(root), real(path))) {
    throw new TestPathError(`${where}: ${what} ${written} is a link to ${real(path)}, outside the test file's folder (${root})`);
  }
  return path;
}

/** A file under one of the --attack-data folders, or a TestPathError saying where it was looked for. */
export function resolveAttackData(dirs: readonly string[], ref: string, written: string, where: string): string {
  if (dirs.length === 0) {
    throw new TestPathError(`${where}: ${written} is attack data; give --attack-data DIR (a local checkout of splunk/attack_data, or the folder holding it)`, "skip");
  }
  const clean = ref.replace(/\\/g, "/").replace(/^\/+/, "");
  if (clean === "" || clean.split("/").includes("..")) throw new TestPathError(`${where}: attack data path ${written} may not contain ..`);
  // DIR may be the repository root (datasets/... inside it) or its datasets/ folder.
  const candidates: string[] = [];
  for (const dir of dirs) {
    candidates.push(join(dir, clean));
    if (clean.startsWith("datasets/")) candidates.push(join(dir, clean.slice("datasets/".length)));
  }
  for (const path of candidates) {
    if (isFile(path)) {
      const dir = dirs.find((d) => inside(resolve(d), resolve(path)))!;
      if (!inside(real(dir), real(path))) throw new TestPathError(`${where}: ${written} is a link to ${real(path)}, outside ${dir}`);
      checkNotLfsPointer(path, clean, dir, where);
      return path;
    }
  }
  throw new TestPathError(`${where}: dataset file ${written} not found (looked for ${candidates.join(", ")})`);
}

/** A local file that must exist (a missing dataset fails the test with this message). */
export function requireFile(path: string, written: string, where: string): void {
  if (!isFile(path)) throw new TestPathError(`${where}: dataset file ${written} not found (no ${path})`);
}

export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** attack_data keeps its datasets in git LFS; a checkout without `git lfs pull` has 130-byte pointer files. */
function checkNotLfsPointer(path: string, repoPath: string, dir: string, where: string): void {
  let head = "";
  try {
    if (statSync(path).size > 1024) return;
    const fd = openSync(path, "r");
    try {
      const buf = Buffer.alloc(64);
      const n = readSync(fd, buf, 0, 64, 0);
      head = buf.subarray(0, n).toString("utf8");
    } finally {
      closeSync(fd);
    }
  } catch {
    return;
  }
  if (head.startsWith("version https://git-lfs.github.com/spec/")) {
    throw new TestPathError(`${where}: ${path} is a git LFS pointer, not the data; run \`git lfs pull --include=${repoPath}\` in ${dir}`);
  }
}

/**
 * MaxMind DB files: read once into memory and kept for the life of the process (one reader per
 * path), so a search that runs iplocation many times, or a REPL session, pays for loading once.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Reader, type Response } from "maxmind";
import type { GeoAddress } from "./address.js";

/** A database that cannot be used; the message names the file and says why, for the user. */
export class GeoDatabaseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GeoDatabaseError";
  }
}

export interface MmdbFile {
  readonly path: string;
  /** 4: only IPv4 addresses; 6: IPv6, with IPv4 in its ::/96 subtree. */
  readonly ipVersion: 4 | 6;
  readonly databaseType: string;
  readonly languages: readonly string[];
  /** The record for an address, or undefined (not in the database, or an IPv6 address in an IPv4 database). */
  get(address: GeoAddress): unknown;
}

const files = new Map<string, MmdbFile>();

/** The marker that starts the metadata section of every MaxMind DB file (MaxMind DB spec 2.0). */
const METADATA_MARKER = Buffer.from([0xab, 0xcd, 0xef, ...Buffer.from("MaxMind.com")]);

/** Open (or reuse) the MaxMind DB file at `path`; a missing or malformed file is a GeoDatabaseError. */
export function openMmdb(path: string): MmdbFile {
  const key = resolve(path);
  const cached = files.get(key);
  if (cached) return cached;
  let buffer: Buffer;
  try {
    buffer = readFileSync(key);
  } catch (error) {
    throw new GeoDatabaseError(`cannot open GeoIP database ${path}: ${fileProblem(error)}`);
  }
  if (buffer.lastIndexOf(METADATA_MARKER) < 0) {
    throw new GeoDatabaseError(`cannot open GeoIP database ${path}: not a MaxMind DB (.mmdb) file`);
  }
  let reader: Reader<Response>;
  try {
    reader = new Reader<Response>(buffer, { cache: boundedCache(RECORD_CACHE_SIZE) });
  } catch (error) {
    throw new GeoDatabaseError(`cannot open GeoIP database ${path}: not a readable MaxMind DB file (${(error as Error).message})`);
  }
  const { ipVersion, databaseType, languages } = reader.metadata;
  const v: 4 | 6 = ipVersion === 4 ? 4 : 6;
  const file: MmdbFile = {
    path: key,
    ipVersion: v,
    databaseType: String(databaseType ?? ""),
    languages: Array.isArray(languages) ? languages.map(String) : [],
    get(address) {
      // The reader walks an IPv4 tree with the first bits of an IPv6 address and returns a
      // record for it; an IPv4-only database has no answer for IPv6.
      if (address.version === 6 && v === 4) return undefined;
      return reader.get(address.text) ?? undefined;
    },
  };
  files.set(key, file);
  return file;
}

/**
 * Decoded records by data offset: many addresses share a record (every address of a city), and
 * decoding is most of a lookup's cost. The reader returns the cached object itself, so records
 * are shared and must not be changed; callers may key their own caches on them.
 */
const RECORD_CACHE_SIZE = 100_000;

function boundedCache(max: number): { get(key: string | number): unknown; set(key: string | number, value: unknown): void } {
  const map = new Map<string | number, unknown>();
  return {
    get: (key) => map.get(key),
    set(key, value) {
      if (map.size >= max) map.clear();
      map.set(key, value);
    },
  };
}

function fileProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOENT":
      return "no such file";
    case "EISDIR":
      return "it is a directory";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    default:
      return (error as Error).message;
  }
}

/** How many database files this process has loaded (for tests of lazy loading). */
export function loadedMmdbPaths(): string[] {
  return [...files.keys()];
}

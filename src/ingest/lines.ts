/**
 * Reading a file as lines, streaming: gzip is recognised by its magic bytes (1f 8b), whatever the
 * file is called, and decompressed on the way (several gzip members one after another are read as
 * one stream, as gunzip does); a UTF-8 byte order mark is dropped and a UTF-16LE one honoured.
 * Lines end at \n (a \r before it is dropped, so \r\n works too); a last line without a newline counts.
 * A line longer than `maxLineLength` is not held in memory: it is reported and skipped.
 *
 * A byte range of an uncompressed file can be read alone (a part of a file read in parallel): it
 * must start at the start of a line; its line numbers count from 1 at its start, and a byte order
 * mark is only looked for at the start of the file.
 */
import { createReadStream, promises as fsp } from "node:fs";
import { pipeline } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { createGunzip } from "node:zlib";
import { IngestError } from "./format.js";

export const MAX_LINE_LENGTH = 64 * 1024 * 1024;

export interface LineHandlers {
  /** A line, without its line ending; `lineNo` is 1-based. */
  line(text: string, lineNo: number): void;
  /** A line longer than the limit (in bytes), skipped. */
  tooLong(lineNo: number, bytes: number): void;
  /** After each chunk of the file is read. */
  progress?(bytesRead: number, totalBytes: number): void;
  /** Once the file is open, before any line: its modification time (epoch seconds) and size. */
  opened?(mtime: number, totalBytes: number): void;
}

/** Bytes [start, end) of a file. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface LineReadResult {
  lines: number;
  totalBytes: number;
  mtime: number;
  gzip: boolean;
  /** Set when a gzip stream ends early or is corrupt: what was decoded before it is kept. */
  truncated?: { lineNo: number; message: string; partialLineDropped: boolean };
}

const GIT_LFS_POINTER = "version https://git-lfs.github.com/spec/";

/** What a failed fs call means for a user, in a few words. */
export function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case "ENOENT":
      return "no such file";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "is a directory, not a file";
    case "ENOTDIR":
      return "a part of the path is not a directory";
    case "ELOOP":
      return "too many symbolic links";
    case "EMFILE":
    case "ENFILE":
      return "too many open files";
    default:
      return (e as Error | undefined)?.message ?? String(e);
  }
}

export async function readLines(path: string, handlers: LineHandlers, maxLineLength = MAX_LINE_LENGTH, range?: ByteRange): Promise<LineReadResult> {
  let totalBytes: number;
  let mtime: number;
  let head: Buffer;
  try {
    const stat = await fsp.stat(path);
    if (stat.isDirectory()) throw Object.assign(new Error("directory"), { code: "EISDIR" });
    totalBytes = stat.size;
    mtime = stat.mtimeMs / 1000;
    const fh = await fsp.open(path, "r");
    try {
      head = Buffer.alloc(Math.min(256, totalBytes));
      if (head.length > 0) await fh.read(head, 0, head.length, 0);
    } finally {
      await fh.close();
    }
  } catch (e) {
    throw new IngestError(`cannot read ${path}: ${describeFsError(e)}`);
  }
  if (totalBytes < 1024 && head.toString("latin1").startsWith(GIT_LFS_POINTER)) {
    const size = /\bsize (\d+)/.exec(head.toString("latin1"))?.[1];
    throw new IngestError(
      `cannot read ${path}: it is a Git LFS pointer, not the data${size ? ` (${size} bytes not downloaded)` : ""}; fetch it with git lfs pull --include=<path>`,
    );
  }
  const gzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  // Where a range starts in compressed data is not a place in the text.
  if (range !== undefined && gzip) throw new Error(`${path}: a byte range of a gzip file cannot be read alone`);
  handlers.opened?.(mtime, totalBytes);

  const readBytes = range === undefined ? totalBytes : Math.max(0, Math.min(range.end, totalBytes) - range.start);
  const result: LineReadResult = { lines: 0, totalBytes, mtime, gzip };
  // An empty range has no lines (and the stream's `end` is inclusive: start..start-1 would read to the end).
  if (range !== undefined && readBytes === 0) return result;
  const file = createReadStream(path, { highWaterMark: 256 * 1024, ...(range === undefined ? {} : { start: range.start, end: range.start + readBytes - 1 }) });
  const input = gzip ? pipeline(file, createGunzip(), () => {}) : file;

  // Lines are cut from the bytes and each decoded on its own, so a line kept by the caller is a
  // string of its own: a line sliced out of a decoded chunk would keep the whole chunk alive, and a
  // file where every chunk has one kept line would stay in memory entirely.
  let encoding: "utf8" | "utf16le" | undefined = range !== undefined && range.start > 0 ? "utf8" : undefined;
  let utf16: StringDecoder | undefined;
  let pieces: Buffer[] = []; // the start of the current line, from earlier chunks
  let pieceBytes = 0;
  let discarding = false; // inside a line that is too long
  let discardedBytes = 0;
  let lineNo = 0;

  /** The line in bytes[start, end). */
  const emit = (bytes: Buffer, start = 0, end = bytes.length): void => {
    lineNo++;
    if (discarding) {
      discarding = false;
      handlers.tooLong(lineNo, discardedBytes + end - start);
      discardedBytes = 0;
      return;
    }
    if (end > start && bytes[end - 1] === 0x0d) end--;
    handlers.line(bytes.toString("utf8", start, end), lineNo);
  };

  const take = (chunk: Buffer): void => {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl < 0) break;
      if (pieceBytes > 0 || discarding) {
        pieces.push(chunk.subarray(start, nl));
        const line = discarding ? Buffer.alloc(0) : Buffer.concat(pieces);
        if (discarding) discardedBytes += nl - start;
        pieces = [];
        pieceBytes = 0;
        emit(line);
      } else emit(chunk, start, nl);
      start = nl + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.length - start;
      if (discarding) discardedBytes += rest;
      else if (pieceBytes + rest > maxLineLength) {
        discarding = true;
        discardedBytes = pieceBytes + rest;
        pieces = [];
        pieceBytes = 0;
      } else {
        // Copied: a subarray would keep the whole chunk for a few bytes.
        pieces.push(Buffer.from(chunk.subarray(start)));
        pieceBytes += rest;
      }
    }
  };

  try {
    for await (const raw of input as AsyncIterable<Buffer>) {
      let buf = raw;
      if (encoding === undefined) {
        // The first bytes of the (decompressed) data: a byte order mark picks the encoding.
        if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) {
          encoding = "utf16le";
          utf16 = new StringDecoder("utf16le");
          buf = buf.subarray(2);
        } else {
          encoding = "utf8";
          if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
        }
      }
      // UTF-16 (rare: some Windows exports) is re-encoded as UTF-8 and cut like the rest.
      take(utf16 ? Buffer.from(utf16.write(buf), "utf8") : buf);
      handlers.progress?.(file.bytesRead, totalBytes);
    }
  } catch (e) {
    if (!gzip || !isZlibError(e)) throw new IngestError(`cannot read ${path}: ${describeFsError(e)}`);
    // A truncated or corrupt gzip stream: keep what was decoded, drop the unfinished line.
    const partialLineDropped = pieceBytes > 0 || discarding;
    result.truncated = {
      lineNo: lineNo + 1,
      message: `gzip data ${(e as Error).message === "unexpected end of file" ? "ends early (truncated file)" : `is corrupt (${(e as Error).message})`}; the lines before were read, the rest of the file is lost`,
      partialLineDropped,
    };
    result.lines = lineNo + (partialLineDropped ? 1 : 0);
    file.destroy();
    return result;
  }
  if (utf16) take(Buffer.from(utf16.end(), "utf8"));
  if (pieceBytes > 0 || discarding) emit(discarding ? Buffer.alloc(0) : Buffer.concat(pieces));
  result.lines = lineNo;
  handlers.progress?.(readBytes, totalBytes);
  return result;
}

function isZlibError(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === "string" && code.startsWith("Z_");
}

/**
 * Reading a file as lines, streaming: gzip is recognised by its magic bytes (1f 8b), whatever the
 * file is called, and decompressed on the way (several gzip members one after another are read as
 * one stream, as gunzip does); a UTF-8 byte order mark is dropped and a UTF-16LE one honoured.
 * Lines end at \n (a \r before it is dropped, so \r\n works too); a last line without a newline counts.
 * A line longer than `maxLineLength` is not held in memory: it is reported and skipped.
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
  /** A line longer than the limit, skipped. */
  tooLong(lineNo: number, length: number): void;
  /** After each chunk of the file is read. */
  progress?(bytesRead: number, totalBytes: number): void;
  /** Once the file is open, before any line: its modification time (epoch seconds) and size. */
  opened?(mtime: number, totalBytes: number): void;
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

export async function readLines(path: string, handlers: LineHandlers, maxLineLength = MAX_LINE_LENGTH): Promise<LineReadResult> {
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
  handlers.opened?.(mtime, totalBytes);

  const file = createReadStream(path, { highWaterMark: 256 * 1024 });
  const input = gzip ? pipeline(file, createGunzip(), () => {}) : file;
  const result: LineReadResult = { lines: 0, totalBytes, mtime, gzip };

  let decoder: StringDecoder | undefined;
  let partial = "";
  let discarding = false; // inside a line that is too long
  let discardedLength = 0;
  let lineNo = 0;

  const emitLine = (text: string): void => {
    lineNo++;
    if (discarding) {
      discarding = false;
      handlers.tooLong(lineNo, discardedLength + text.length);
      discardedLength = 0;
      return;
    }
    const end = text.length > 0 && text.charCodeAt(text.length - 1) === 0x0d ? text.length - 1 : text.length;
    handlers.line(end === text.length ? text : text.slice(0, end), lineNo);
  };

  const take = (chunk: string): void => {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf("\n", start);
      if (nl < 0) break;
      const piece = chunk.slice(start, nl);
      if (partial.length > 0) {
        const line = partial + piece;
        partial = "";
        emitLine(line);
      } else emitLine(piece);
      start = nl + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.slice(start);
      if (discarding) discardedLength += rest.length;
      else if (partial.length + rest.length > maxLineLength) {
        discarding = true;
        discardedLength = partial.length + rest.length;
        partial = "";
      } else partial = partial.length > 0 ? partial + rest : rest;
    }
  };

  try {
    for await (const raw of input as AsyncIterable<Buffer>) {
      let buf = raw;
      if (decoder === undefined) {
        // The first bytes of the (decompressed) data: a byte order mark picks the encoding.
        if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) {
          decoder = new StringDecoder("utf16le");
          buf = buf.subarray(2);
        } else {
          decoder = new StringDecoder("utf8");
          if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
        }
      }
      take(decoder.write(buf));
      handlers.progress?.(file.bytesRead, totalBytes);
    }
  } catch (e) {
    if (!gzip || !isZlibError(e)) throw new IngestError(`cannot read ${path}: ${describeFsError(e)}`);
    // A truncated or corrupt gzip stream: keep what was decoded, drop the unfinished line.
    const partialLineDropped = partial.length > 0 || discarding;
    result.truncated = {
      lineNo: lineNo + 1,
      message: `gzip data ${(e as Error).message === "unexpected end of file" ? "ends early (truncated file)" : `is corrupt (${(e as Error).message})`}; the lines before were read, the rest of the file is lost`,
      partialLineDropped,
    };
    result.lines = lineNo + (partialLineDropped ? 1 : 0);
    file.destroy();
    return result;
  }
  if (decoder !== undefined) take(decoder.end());
  if (partial.length > 0 || discarding) emitLine(partial);
  result.lines = lineNo;
  handlers.progress?.(totalBytes, totalBytes);
  return result;
}

function isZlibError(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === "string" && code.startsWith("Z_");
}

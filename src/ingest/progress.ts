/**
 * A one-line progress bar on stderr for loads that take more than a second:
 *
 *   loading  42% [########            ] 123,456 events  35.2 MB/s
 *
 * Shown only when the stream is a terminal and the bar is not disabled (JSON output disables it),
 * drawn at most ten times a second, and erased by `done()` so nothing of it stays in the output.
 * Several files in a row (DataStore.load passes one callback for all) are told apart by their size
 * or by the byte count going back: the percentage is the current file's, events and MB/s the total.
 */

export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): boolean;
}

export interface ProgressOptions {
  /** No bar at all (machine-readable output). */
  disabled?: boolean;
  /** Default: process.stderr. */
  stream?: ProgressStream;
  /** Nothing is drawn before this many milliseconds (default 1000). */
  delayMs?: number;
  /** A clock in milliseconds (default Date.now), for tests. */
  now?: () => number;
  /** Default "loading". */
  label?: string;
}

export interface ProgressReporter {
  /** Fits readDataset's onProgress; `events` is the current file's count so far. */
  update(bytesRead: number, totalBytes: number, events?: number): void;
  /** Erases the bar, if one was drawn. Further updates are ignored. */
  done(): void;
}

const REDRAW_MS = 100;
const BAR_WIDTH = 20;

export function progressReporter(options: ProgressOptions = {}): ProgressReporter {
  const stream: ProgressStream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  const delay = options.delayMs ?? 1000;
  const label = options.label ?? "loading";
  const active = options.disabled !== true && stream.isTTY === true;
  const start = now();
  let lastDraw = -Infinity;
  let drawn = false;
  let finished = false;
  // Files before the current one.
  let doneBytes = 0;
  let doneEvents = 0;
  let files = 1;
  let curBytes = 0;
  let curTotal = -1;
  let curEvents = 0;

  const update = (bytesRead: number, totalBytes: number, events = 0): void => {
    if (!active || finished) return;
    if (curTotal >= 0 && (totalBytes !== curTotal || bytesRead < curBytes)) {
      doneBytes += curBytes;
      doneEvents += curEvents;
      files++;
    }
    curBytes = bytesRead;
    curTotal = totalBytes;
    curEvents = events;
    const t = now();
    if (t - start < delay || t - lastDraw < REDRAW_MS) return;
    lastDraw = t;
    const fraction = totalBytes > 0 ? Math.min(1, bytesRead / totalBytes) : 1;
    const filled = Math.round(fraction * BAR_WIDTH);
    const seconds = Math.max((t - start) / 1000, 1e-3);
    const rate = (doneBytes + bytesRead) / (1024 * 1024) / seconds;
    const text =
      `${label}${files > 1 ? ` file ${files}` : ""} ${String(Math.floor(fraction * 100)).padStart(3)}% ` +
      `[${"#".repeat(filled)}${" ".repeat(BAR_WIDTH - filled)}] ` +
      `${(doneEvents + events).toLocaleString("en-US")} events  ${rate.toFixed(1)} MB/s`;
    const width = Math.max(10, (stream.columns ?? 80) - 1);
    stream.write(`\r${text.length > width ? text.slice(0, width) : text}\x1b[K`);
    drawn = true;
  };

  const done = (): void => {
    if (finished) return;
    finished = true;
    if (drawn) stream.write("\r\x1b[K");
  };

  return { update, done };
}

import { describe, expect, it } from "vitest";
import { progressReporter } from "../../src/ingest/progress.js";

function terminal(isTTY = true) {
  const written: string[] = [];
  return { stream: { isTTY, columns: 100, write: (s: string) => (written.push(s), true) }, written };
}

describe("the progress bar", () => {
  it("appears only after a second, shows percent, events and MB/s, and is erased at the end", () => {
    const { stream, written } = terminal();
    let clock = 0;
    const bar = progressReporter({ stream, now: () => clock });
    clock = 500;
    bar.update(10 * 1024 * 1024, 100 * 1024 * 1024, 1000);
    expect(written).toEqual([]); // a quick load shows nothing
    clock = 2000;
    bar.update(42 * 1024 * 1024, 100 * 1024 * 1024, 123456);
    expect(written).toEqual(["\rloading  42% [########            ] 123,456 events  21.0 MB/s\x1b[K"]);
    clock = 2050;
    bar.update(43 * 1024 * 1024, 100 * 1024 * 1024, 123999);
    expect(written.length).toBe(1); // at most ten redraws a second
    bar.done();
    expect(written.at(-1)).toBe("\r\x1b[K");
    bar.update(1, 1, 1);
    expect(written.length).toBe(2);
  });

  it("is never shown when stderr is not a terminal, or when disabled (JSON output)", () => {
    for (const [tty, disabled] of [
      [false, false],
      [true, true],
    ] as const) {
      const { stream, written } = terminal(tty);
      let clock = 0;
      const bar = progressReporter({ stream, now: () => clock, disabled });
      clock = 5000;
      bar.update(1, 2, 3);
      bar.done();
      expect(written).toEqual([]);
    }
  });

  it("counts events and bytes over several files, the percentage per file", () => {
    const { stream, written } = terminal();
    let clock = 0;
    const bar = progressReporter({ stream, now: () => clock, label: "reading" });
    bar.update(1024 * 1024, 1024 * 1024, 10);
    clock = 1500;
    bar.update(512 * 1024, 2 * 1024 * 1024, 5);
    expect(written.at(-1)).toBe("\rreading file 2  25% [#####               ] 15 events  1.0 MB/s\x1b[K");
  });
});

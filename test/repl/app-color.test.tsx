/**
 * Colour on and off (NO_COLOR): with colours forced on for ink, the REPL colours errors and the prompt
 * when asked to, and draws none (the cursor stays, in reverse video) when not.
 */
const previous = process.env.FORCE_COLOR;
process.env.FORCE_COLOR = "1";
import { describe, expect, it } from "vitest";
import type { ReplBackend } from "../../src/repl/backend.js";
import { MemoryHistory } from "../../src/repl/history.js";
import { wantsColor } from "../../src/cli/repl.js";

const { render, cleanup } = await import("ink-testing-library");
const { ReplApp } = await import("../../src/repl/app.js");
// Colour support is decided when ink (chalk) is imported; other test files keep theirs.
if (previous === undefined) delete process.env.FORCE_COLOR;
else process.env.FORCE_COLOR = previous;

const backend: ReplBackend = {
  load: async () => ({ lines: ["ready"] }),
  run: async () => ({ kind: "error", error: new Error("no such thing") }),
  meta: async () => ({ lines: [] }),
  complete: (_text, cursor) => ({ start: cursor, end: cursor, candidates: [] }),
};

const colour = /\x1b\[(?:[0-9;]*;)?(?:3[0-7]|9[0-7]|38;[25])[;m]/;

async function frameAfterError(color: boolean): Promise<string> {
  const app = render(<ReplApp backend={backend} history={new MemoryHistory()} color={color} columns={80} rows={20} />);
  const until = async (check: (f: string) => boolean) => {
    for (let i = 0; i < 500 && !check(app.lastFrame() ?? ""); i++) await new Promise((r) => setTimeout(r, 10));
    return app.lastFrame() ?? "";
  };
  await until((f) => f.includes("ready"));
  app.stdin.write("| oops");
  await new Promise((r) => setTimeout(r, 10));
  app.stdin.write("\r");
  const frame = await until((f) => f.includes("no such thing"));
  cleanup();
  return frame;
}

describe("colour", () => {
  it("NO_COLOR set to anything but the empty string turns colour off", () => {
    expect(wantsColor({})).toBe(true);
    expect(wantsColor({ NO_COLOR: "" })).toBe(true);
    expect(wantsColor({ NO_COLOR: "1" })).toBe(false);
  });

  it("colours the prompt and errors when wanted", async () => {
    expect(await frameAfterError(true)).toMatch(colour);
  });

  it("draws no colour when not, keeping the cursor in reverse video", async () => {
    const frame = await frameAfterError(false);
    expect(frame).toContain("no such thing");
    expect(frame).not.toMatch(colour);
    expect(frame).toContain("\x1b[7m");
  });
});

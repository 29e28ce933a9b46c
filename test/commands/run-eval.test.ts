import { describe, expect, it } from "vitest";
import { RuntimeError } from "../../src/exec/context.js";
import { Table } from "../../src/table/table.js";
import { runStage } from "../exec/context.js";

/** The RuntimeError a stage throws, with the text its span covers. */
async function runtimeError(command: string, input: Table): Promise<{ message: string; at: string }> {
  const search = `| ${command}`;
  try {
    await runStage(command, input);
  } catch (error) {
    if (error instanceof RuntimeError) return { message: error.message, at: search.slice(error.span.start, error.span.end) };
    throw error;
  }
  throw new Error(`expected ${command} to fail`);
}

describe("eval", () => {
  it("computes if() per row, a null condition taking the else branch", async () => {
    const input = Table.fromRows([{ a: 0 }, { a: 2 }, { a: "5" }, {}]);
    const out = await runStage('eval x=if(a>1,"big","small")', input);
    expect(out.rows().map((r) => r.x)).toEqual(["small", "big", "big", "small"]);
  });

  it("lets each assignment see the ones before it", async () => {
    const out = await runStage("eval a=a*2, b=a+1", Table.fromRows([{ a: 3 }, { a: 10 }]));
    expect(out.rows()).toEqual([
      { a: 6, b: 7 },
      { a: 20, b: 21 },
    ]);
    expect((await runStage("eval a=1, b=a+1", Table.fromRows([{}]))).rows()).toEqual([{ a: 1, b: 2 }]);
  });

  it("replaces an existing field in place and adds a new one at the end", async () => {
    const out = await runStage('eval b="new", d=2', Table.fromRows([{ a: 1, b: "old", c: 3 }]));
    expect(out.fields()).toEqual(["a", "b", "c", "d"]);
    expect(out.rows()).toEqual([{ a: 1, b: "new", c: 3, d: 2 }]);
  });

  it("removes a field from the rows where the result is null", async () => {
    const input = Table.fromRows([{ a: 1 }, { a: 5 }]);
    const out = await runStage("eval big=if(a>2, a, null())", input);
    expect(out.rows()).toEqual([{ a: 1 }, { a: 5, big: 5 }]);
  });

  it("removes a field set to null in every row", async () => {
    const out = await runStage("eval src=null()", Table.fromRows([{ src: "10.0.0.1", n: 1 }, { src: "10.0.0.2", n: 2 }]));
    expect(out.fields()).toEqual(["n"]);
    expect(out.rows()).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it("refuses a boolean result before running, with Splunk's message, at the expression", async () => {
    const error = await runtimeError("eval n=1, ok=a>1", Table.fromRows([{ a: 2 }]));
    expect(error).toEqual({
      message: "Fields cannot be assigned a boolean result. Instead, try if([bool expr], [expr], [expr]).",
      at: "a>1",
    });
  });

  it("reports an unknown function as a located error", async () => {
    const error = await runtimeError("eval x=nosuch(a)", Table.fromRows([{ a: 1 }]));
    expect(error.message).toBe("unknown eval function 'nosuch'");
    expect(error.at).toBe("nosuch(a)");
  });

  it("concatenates with '.' and reads the search's now()", async () => {
    const out = await runStage('eval label=src.":".port, t=now()', Table.fromRows([{ src: "10.0.0.1", port: 445 }]));
    expect(out.rows()[0]).toMatchObject({ label: "10.0.0.1:445", t: Date.UTC(2024, 2, 1, 12) / 1000 });
  });
});

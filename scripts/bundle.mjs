// The command line as a few files (dist/bundle/), for start-up time: Node.js reads, resolves and
// compiles every ES module file on its own, and spelunk with its dependencies is ~300 of them
// (~0.5 s before the first line of work on a 2-core machine; the bundle takes ~0.05 s).
// Run by `npm run build`, after tsc. Verbs stay lazily imported: esbuild splits them into chunks.
//
// Paths the code finds at run time stay valid: apps/, macros/ and mappings/ are found as
// `../../<dir>` from the module's own URL, which dist/bundle/*.js is as deep as dist/<folder>/*.js;
// the ingest worker is started as `./worker.js` beside the chunk that starts it (an entry here).
import { rmSync } from "node:fs";
import { build } from "esbuild";

// Chunk names carry a hash of their content: the last build's would otherwise stay beside the new ones.
rmSync("dist/bundle", { recursive: true, force: true });
await build({
  entryPoints: { main: "src/cli/main.ts", worker: "src/ingest/worker.ts" },
  outdir: "dist/bundle",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: true,
  // ink loads it only when DEV=true (React DevTools), and it is not installed.
  external: ["react-devtools-core"],
  // CommonJS dependencies bundled into ES modules still call require() for Node's built-ins.
  banner: { js: "import { createRequire as __spelunkRequire } from 'node:module'; const require = __spelunkRequire(import.meta.url);" },
  logLevel: "warning",
});

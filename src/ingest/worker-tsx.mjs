// The ingest worker (worker.ts) started from the TypeScript sources (tests, `--import tsx`
// scripts): Node 20 does not apply a worker's `--import tsx` to the worker's own entry module, so
// the loader is registered here before the entry is imported. Built code runs worker.js directly.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);

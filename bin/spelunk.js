#!/usr/bin/env node
import { main } from "../dist/bundle/main.js";

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  // User errors never get here (main prints them and returns 1); this is a bug in spelunk.
  process.stderr.write(`spelunk: internal error (please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 2;
}

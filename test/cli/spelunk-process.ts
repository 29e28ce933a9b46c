/** Runs the CLI from source in its own process (for tests that need separate `spelunk` processes). */
import { main } from "../../src/cli/main.js";

process.exitCode = await main(process.argv.slice(2));

/**
 * Starts `spelunk repl` for the end-to-end test, calling replCommand directly (main.ts wires the same
 * options through commander): `npx tsx test/repl/launch.ts --data FILE --sourcetype ST --tz UTC ...`.
 */
import { splitDataOptions } from "../../src/cli/data-options.js";
import { replCommand, type ReplCliOptions } from "../../src/cli/repl.js";
import { CliError } from "../../src/cli/errors.js";

const { data, rest } = splitDataOptions(process.argv.slice(2));
const options: ReplCliOptions = { apps: [] };
const macros: string[] = [];
for (let i = 0; i < rest.length; i++) {
  const name = rest[i]!;
  const value = rest[++i];
  if (value === undefined) throw new Error(`${name} needs a value`);
  switch (name) {
    case "--tz":
      options.tz = value;
      break;
    case "--now":
      options.now = value;
      break;
    case "--earliest":
      options.earliest = value;
      break;
    case "--latest":
      options.latest = value;
      break;
    case "--geoip-db":
      options.geoipDb = value;
      break;
    case "--models":
      options.models = value;
      break;
    case "--format":
      options.format = value as ReplCliOptions["format"];
      break;
    case "--apps":
      options.apps.push(value);
      break;
    case "--macros":
      macros.push(value);
      break;
    default:
      throw new Error(`unknown option ${name}`);
  }
}

try {
  process.exitCode = await replCommand({ ...options, data, macros }, {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
  });
} catch (error) {
  if (error instanceof CliError) {
    process.stderr.write(`spelunk: ${error.message}\n`);
    process.exitCode = error.exitCode;
  } else throw error;
}

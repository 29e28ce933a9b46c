/**
 * `--data PATH [--sourcetype ST] [--source S] [--host H] [--index I]`, repeatable: the options after
 * a `--data` apply to that dataset. Commander cannot express options that attach to the previous
 * option, so these are taken out of argv first.
 */
import { CliError } from "./errors.js";

export interface DataArg {
  path: string;
  sourcetype?: string;
  source?: string;
  host?: string;
  index?: string;
}

const perData = new Set(["--sourcetype", "--source", "--host", "--index"]);

export function splitDataOptions(argv: readonly string[]): { data: DataArg[]; rest: string[] } {
  const data: DataArg[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    if (name !== "--data" && !perData.has(name)) {
      rest.push(arg);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && value.startsWith("--"))) throw new CliError(`${name} needs a value`);
    if (name === "--data") {
      data.push({ path: value });
      continue;
    }
    const current = data[data.length - 1];
    if (!current) throw new CliError(`${name} applies to the --data before it; put it after a --data PATH`);
    const key = name.slice(2) as "sourcetype" | "source" | "host" | "index";
    if (current[key] !== undefined) throw new CliError(`${name} given twice for --data ${current.path}`);
    current[key] = value;
  }
  return { data, rest };
}

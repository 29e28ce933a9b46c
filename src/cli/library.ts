import { loadMacroDir, loadShippedMacros } from "../macros/load.js";
import type { MacroLibrary } from "../macros/library.js";
import { CliError } from "./errors.js";
import { Knowledge } from "../knowledge/knowledge.js";

/**
 * The shipped macros plus each `--macros DIR`, later folders overriding earlier ones. A bad file or
 * stanza is reported on stderr and skipped; the rest loads.
 */
export function loadLibrary(dirs: readonly string[], warn: (text: string) => void): MacroLibrary {
  const shipped = loadShippedMacros();
  let library = shipped;
  for (const dir of dirs) {
    let result;
    try {
      result = loadMacroDir(dir);
    } catch (error) {
      throw new CliError((error as Error).message);
    }
    for (const p of result.problems) warn(`spelunk: warning: ${p.file}${p.line ? `:${p.line}` : ""}: ${p.message} (skipped)\n`);
    library = library.withOverrides(result.definitions);
  }
  return library;
}

/**
 * The shipped apps plus each `--apps DIR` (one app, or a folder of apps). Problems in a conf file or
 * a lookup are reported and skipped; a folder that does not exist is an error.
 */
export function loadKnowledge(appDirs: readonly string[], warn: (text: string) => void): Knowledge {
  let knowledge: Knowledge;
  try {
    knowledge = Knowledge.load(appDirs);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  for (const p of knowledge.problems) warn(`spelunk: warning: ${p.file}${p.line ? `:${p.line}` : ""}: ${p.message} (skipped)\n`);
  return knowledge;
}

import { type MacroDefinition, MacroLibrary } from "../../src/macros/library.js";

/** A macro as a test writes it: definedAt is "<name>.yml". */
export function macro(name: string, args: readonly string[], definition: string, extra: Partial<MacroDefinition> = {}): MacroDefinition {
  return { name, args, definition, iseval: false, definedAt: `${name}.yml`, ...extra };
}

export function library(...defs: MacroDefinition[]): MacroLibrary {
  return new MacroLibrary(defs);
}

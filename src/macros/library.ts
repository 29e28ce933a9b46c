/**
 * The set of macro definitions a search is expanded against.
 *
 * Splunk keys macros by name *and* arity: "[foobar], [foobar(1)], [foobar(2)] ... are not the same
 * macro" (macros.conf.spec, reference/spl_semantics.md §5), so the key of a macro taking N > 0
 * arguments is `name(N)`, exactly as its macros.conf stanza is spelled.
 */

export interface MacroDefinition {
  /** Macro name without the arity suffix. */
  readonly name: string;
  /** Argument names, in order; the arity is args.length. */
  readonly args: readonly string[];
  readonly definition: string;
  /** Definition is an eval expression producing the expansion (macros.conf `iseval`). */
  readonly iseval: boolean;
  /** Eval expression checking the arguments (macros.conf `validation`). */
  readonly validation?: string;
  readonly errormsg?: string;
  /** Where the definition was read from, for messages: a file, or "file:line" for a .conf stanza. */
  readonly definedAt: string;
}

/** Splunk's stanza naming: `name` when the macro takes no arguments, else `name(N)`. */
export function macroKey(name: string, arity: number): string {
  return arity === 0 ? name : `${name}(${arity})`;
}

export class MacroLibrary {
  readonly #defs = new Map<string, MacroDefinition>();

  constructor(defs: Iterable<MacroDefinition> = []) {
    for (const def of defs) this.add(def);
  }

  /** Adds or replaces: a later definition of the same key wins, as a local .conf overrides default. */
  add(def: MacroDefinition): void {
    this.#defs.set(macroKey(def.name, def.args.length), def);
  }

  get(key: string): MacroDefinition | undefined {
    return this.#defs.get(key);
  }

  /** All keys, sorted. */
  keys(): string[] {
    return [...this.#defs.keys()].sort();
  }

  /** The arities defined for a name, ascending (to explain a call with the wrong number of arguments). */
  arities(name: string): number[] {
    const found: number[] = [];
    for (const def of this.#defs.values()) if (def.name === name) found.push(def.args.length);
    return found.sort((a, b) => a - b);
  }

  /** A copy with `defs` added on top; this library is unchanged. */
  withOverrides(defs: Iterable<MacroDefinition>): MacroLibrary {
    const copy = new MacroLibrary(this.#defs.values());
    for (const def of defs) copy.add(def);
    return copy;
  }
}

/**
 * A reader for Splunk's .conf files (props, transforms, eventtypes, tags, macros ...), as
 * Splunk's "About configuration files" describes them:
 *
 * - `[stanza]` starts a stanza; settings before the first one belong to `[default]`;
 * - `key = value`, split at the first `=`, both sides trimmed;
 * - a line whose first non-blank character is `#` is a comment (a `#` later in a line is part of
 *   the value: Splunk has no trailing comments);
 * - a trailing backslash continues the value on the next line; the line break is kept in the
 *   value, the backslash is not (macros.conf relies on this for multi-line definitions).
 *
 * The reader keeps every stanza occurrence in file order; `mergeStanzas` layers repeated stanzas
 * (later settings win), as Splunk merges them. Nothing here knows what a setting means.
 */

export interface ConfEntry {
  readonly key: string;
  readonly value: string;
  /** The line the setting starts on (1-based). */
  readonly line: number;
}

export interface ConfStanza {
  readonly name: string;
  /** The header's line; 0 for the implicit `default` stanza of settings before any header. */
  readonly line: number;
  readonly entries: ConfEntry[];
}

export interface ConfProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

export interface ParsedConf {
  readonly stanzas: ConfStanza[];
  readonly problems: ConfProblem[];
}

export function parseConf(text: string, path: string): ParsedConf {
  const stanzas: ConfStanza[] = [];
  const problems: ConfProblem[] = [];
  const lines = text.split(/\r?\n/);
  // Settings before any header go to an implicit [default] (created only when there are some).
  let current: ConfStanza | undefined;
  let broken: number | undefined;
  let seenHeader = false;
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const trimmed = lines[i]!.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    if (trimmed.startsWith("[")) {
      seenHeader = true;
      if (!trimmed.endsWith("]")) {
        problems.push({ file: path, line: lineNo, message: `stanza header ${trimmed} has no closing "]"` });
        current = undefined;
        broken = lineNo;
        continue;
      }
      broken = undefined;
      current = { name: trimmed.slice(1, -1).trim(), line: lineNo, entries: [] };
      stanzas.push(current);
      continue;
    }
    const parts = [lines[i]!];
    // Bounded by the number of lines: each continuation consumes one.
    while (parts[parts.length - 1]!.endsWith("\\") && i + 1 < lines.length) {
      parts[parts.length - 1] = parts[parts.length - 1]!.slice(0, -1);
      parts.push(lines[++i]!);
    }
    const setting = parts.join("\n");
    const eq = setting.indexOf("=");
    const key = eq < 0 ? "" : setting.slice(0, eq).trim();
    if (eq < 0 || key === "") {
      problems.push({ file: path, line: lineNo, message: `expected "key = value" or a [stanza], found: ${trimmed}` });
      continue;
    }
    if (broken !== undefined) {
      problems.push({ file: path, line: lineNo, message: `setting under the broken stanza header of line ${broken} is ignored` });
      continue;
    }
    if (!current) {
      if (seenHeader) continue; // unreachable: a header always sets current or broken
      current = { name: "default", line: 0, entries: [] };
      stanzas.push(current);
    }
    current.entries.push({ key, value: setting.slice(eq + 1).trim(), line: lineNo });
  }
  return { stanzas, problems };
}

/** One stanza after layering: each key's last setting, with where it was set. */
export interface MergedStanza {
  readonly name: string;
  /** The line of the first occurrence of the header. */
  readonly line: number;
  readonly settings: Map<string, ConfEntry>;
}

/**
 * Layer stanza occurrences (in order: earlier files and earlier occurrences first) into one
 * stanza per name; a later setting of a key replaces an earlier one. Names keep first-seen order.
 */
export function mergeStanzas(stanzas: Iterable<ConfStanza>): Map<string, MergedStanza> {
  const merged = new Map<string, MergedStanza>();
  for (const s of stanzas) {
    let m = merged.get(s.name);
    if (!m) {
      m = { name: s.name, line: s.line, settings: new Map() };
      merged.set(s.name, m);
    }
    for (const e of s.entries) m.settings.set(e.key, e);
  }
  return merged;
}

/** Splunk's boolean spellings in .conf files; undefined when the value is none of them. */
export function parseConfBool(value: string): boolean | undefined {
  const v = value.trim().toLowerCase();
  if (["true", "1", "t", "yes", "y"].includes(v)) return true;
  if (["false", "0", "f", "no", "n"].includes(v)) return false;
  return undefined;
}

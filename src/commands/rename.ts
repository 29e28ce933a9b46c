import type { ArgReader } from "../parse/args.js";
import { defineCommand } from "./command.js";
import { readField, wildcardCount, type FieldArg } from "./options.js";
import * as T from "../parse/lexer.js";

/** One `<wc-field> AS <wc-field>`; with wildcards, the matched parts carry over (`All_Traffic.* AS *`). */
export interface RenamePair {
  readonly from: FieldArg;
  readonly to: FieldArg;
}

/** `rename <wc-field> AS <wc-field> [, <wc-field> AS <wc-field>]...` (searchbnf `[rename-command]`). */
export interface RenameArgs {
  readonly pairs: readonly RenamePair[];
}

export const rename = defineCommand<RenameArgs>({
  name: "rename",
  parse(r: ArgReader) {
    const pairs: RenamePair[] = [];
    while (!r.atEnd()) {
      // Commas between pairs are optional (ESCU writes both `a as b c as d` and `a as b, c as d`).
      if (pairs.length > 0 && r.accept(T.Comma)) continue;
      const from = readField(r, "a field to rename");
      if (!r.atWord("as")) r.failHere(`expected AS and a new name after '${from.name}'`);
      r.next();
      const to = readField(r, `the new name for '${from.name}'`);
      // Doc (rename, 9.2): "Both the original and renamed fields must include the same number of
      // wildcards, otherwise a wildcard mismatch error is returned."
      const [nFrom, nTo] = [wildcardCount(from.name), wildcardCount(to.name)];
      if (nFrom !== nTo) {
        r.fail(
          "bad-argument",
          `rename: both the original and renamed fields must include the same number of wildcards ('${from.name}' has ${nFrom}, '${to.name}' has ${nTo})`,
          { start: from.span.start, end: to.span.end },
        );
      }
      pairs.push({ from, to });
    }
    if (pairs.length === 0) r.failHere("expected <field> AS <new name>");
    return { pairs };
  },
});

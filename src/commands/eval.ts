import type { EvalAssignment } from "../parse/ast.js";
import { defineCommand } from "./command.js";

/** `eval field=expr [, field=expr]...` */
export interface EvalArgs {
  readonly assignments: readonly EvalAssignment[];
}

export const evalCommand = defineCommand<EvalArgs>({
  name: "eval",
  parse: (r) => ({ assignments: r.evalAssignments() }),
});

/**
 * A user-facing failure with a message and an exit code; printed without a stack.
 * Exit codes: 0 ran (with or without results), 1 a user error, 2 an internal error.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/**
 * Errors a user can fix, as opposed to bugs. The CLI prints their message as one line
 * (`k8ts: <message>`) with no stack trace; anything else is a bug and keeps its stack.
 */

/** A bad flag, option value or command. The CLI exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The environment refused: port in use, data dir held, no permission. The CLI exits 1. */
export class StartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

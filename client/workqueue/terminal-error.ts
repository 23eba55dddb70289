/**
 * Thrown by a reconcile to say "retrying will not help" (bad user input, an object that
 * can never converge): the process loop logs it and drops the key instead of backing off
 * forever. The next change to the object enqueues the key again, as usual.
 */
export class TerminalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TerminalError';
  }
}

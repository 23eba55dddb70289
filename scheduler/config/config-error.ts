/**
 * What is wrong with a scheduler configuration file. Each problem is one line naming the
 * field by its path in the file (`profiles[0].plugins.score.enabled[1].weight: must be a
 * positive integer`); the error's message joins them with "; " so the CLI can still print
 * it as one line. The scheduler knows nothing of the CLI: the CLI turns this into its own
 * startup error.
 */
export class SchedulerConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
    this.name = 'SchedulerConfigError';
  }
}

/** Collects problems while a parser walks the document, so one run reports them all. */
export class Problems {
  readonly list: string[] = [];

  add(path: string, message: string): void {
    this.list.push(path === '' ? message : `${path}: ${message}`);
  }

  throwIfAny(): void {
    if (this.list.length > 0) throw new SchedulerConfigError(this.list);
  }
}

/** how a value appears in a message: strings quoted, everything else as JSON */
export const shown = (value: unknown): string => (value === undefined ? 'nothing' : JSON.stringify(value));

export const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What every plugin returns: a code and the reasons, never a bare boolean (kube-scheduler's
 * framework.Status). The reasons are user-facing: FailedScheduling events count them per
 * node ("2 Insufficient cpu"), so they must read exactly like kube-scheduler's.
 *
 * Unschedulable means preemption might help (removing pods could make room);
 * UnschedulableAndUnresolvable means it cannot (a taint, a node selector), so preemption
 * skips the node and reports "Preemption is not helpful for scheduling".
 */

export type Code = 'Success' | 'Error' | 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Wait' | 'Skip' | 'Pending';

export interface Status {
  readonly code: Code;
  /** user-facing reasons; for Error the error message */
  readonly reasons: readonly string[];
  /** the plugin that returned it; the framework fills it in */
  plugin?: string;
}

const SUCCESS: Status = Object.freeze({ code: 'Success', reasons: Object.freeze([]) as readonly string[] });

export const success = (): Status => SUCCESS;
export const skip = (): Status => ({ code: 'Skip', reasons: [] });
export const unschedulable = (...reasons: string[]): Status => ({ code: 'Unschedulable', reasons });
export const unresolvable = (...reasons: string[]): Status => ({ code: 'UnschedulableAndUnresolvable', reasons });
export const errorStatus = (message: string): Status => ({ code: 'Error', reasons: [message] });

export const isSuccess = (s: Status | undefined): boolean => !s || s.code === 'Success';
/** Unschedulable or UnschedulableAndUnresolvable: the pod does not fit (as opposed to an internal error) */
export const isRejected = (s: Status): boolean => s.code === 'Unschedulable' || s.code === 'UnschedulableAndUnresolvable';

/** the same status, attributed to a plugin (the shared SUCCESS object is never written to) */
export function withPlugin(s: Status, plugin: string): Status {
  if (s.code === 'Success') return s;
  return { ...s, plugin };
}

/** the reasons joined for logs and Error messages */
export const statusMessage = (s: Status): string => s.reasons.join(', ');

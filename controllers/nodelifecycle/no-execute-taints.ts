/**
 * Taint-based eviction, the node side (kube's processTaintBaseEviction): the Ready
 * condition the monitor pass observed decides which NoExecute taint the node carries —
 * False → not-ready, Unknown → unreachable, True → neither. The two are mutually
 * exclusive, like the condition they mirror.
 *
 * Swapping one for the other is immediate; tainting a node that had neither goes through
 * the zone's rate limiter (a mass outage must not evict everything at once); untainting is
 * immediate.
 */
import { NOT_READY_NO_EXECUTE, taintExists, UNREACHABLE_NO_EXECUTE, type Taint } from './taints.js';

export type NoExecuteAction =
  /** swap now: the opposite taint is on the node */
  | { kind: 'swap'; toAdd: Taint[]; toRemove: Taint[] }
  /** add when the zone's rate limiter allows */
  | { kind: 'taint'; toAdd: Taint[]; toRemove: Taint[] }
  /** the node is ready: remove both now */
  | { kind: 'untaint'; toAdd: []; toRemove: Taint[] };

/** what to do about the node's NoExecute taints; undefined when they are already right */
export function noExecuteAction(taints: readonly Taint[] | undefined, readyStatus: string): NoExecuteAction | undefined {
  const hasNotReady = taintExists(taints, NOT_READY_NO_EXECUTE);
  const hasUnreachable = taintExists(taints, UNREACHABLE_NO_EXECUTE);
  switch (readyStatus) {
    case 'False':
      if (hasUnreachable) return { kind: 'swap', toAdd: [NOT_READY_NO_EXECUTE], toRemove: [UNREACHABLE_NO_EXECUTE] };
      return hasNotReady ? undefined : { kind: 'taint', toAdd: [NOT_READY_NO_EXECUTE], toRemove: [UNREACHABLE_NO_EXECUTE] };
    case 'Unknown':
      if (hasNotReady) return { kind: 'swap', toAdd: [UNREACHABLE_NO_EXECUTE], toRemove: [NOT_READY_NO_EXECUTE] };
      return hasUnreachable ? undefined : { kind: 'taint', toAdd: [UNREACHABLE_NO_EXECUTE], toRemove: [NOT_READY_NO_EXECUTE] };
    case 'True':
      return hasNotReady || hasUnreachable ? { kind: 'untaint', toAdd: [], toRemove: [NOT_READY_NO_EXECUTE, UNREACHABLE_NO_EXECUTE] } : undefined;
    default:
      return undefined;
  }
}

/** both NoExecute taints off (kube's markNodeAsReachable); undefined when neither is there */
export function untaintAction(taints: readonly Taint[] | undefined): NoExecuteAction | undefined {
  return noExecuteAction(taints, 'True');
}

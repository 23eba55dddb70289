/**
 * The taints the node lifecycle controller owns (kube's well-known taint keys) and the
 * list arithmetic kube's taint utilities do: a taint is identified by key and effect
 * (MatchTaint), swapping adds some and removes others in one write, and every taint the
 * controller adds carries timeAdded (SwapNodeControllerTaint stamps it), which the taint
 * eviction controller counts tolerationSeconds from.
 */
import type { V1Taint } from '@kubernetes/client-node';
import { formatTime } from '../common/time.js';

export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
export const TAINT_NODE_MEMORY_PRESSURE = 'node.kubernetes.io/memory-pressure';
export const TAINT_NODE_DISK_PRESSURE = 'node.kubernetes.io/disk-pressure';
export const TAINT_NODE_PID_PRESSURE = 'node.kubernetes.io/pid-pressure';
export const TAINT_NODE_NETWORK_UNAVAILABLE = 'node.kubernetes.io/network-unavailable';

/** a taint as plain JSON (timeAdded is an RFC 3339 string on the wire) */
export type Taint = Omit<V1Taint, 'timeAdded'> & { timeAdded?: string | Date };

export const NOT_READY_NO_EXECUTE: Taint = { key: TAINT_NODE_NOT_READY, effect: 'NoExecute' };
export const UNREACHABLE_NO_EXECUTE: Taint = { key: TAINT_NODE_UNREACHABLE, effect: 'NoExecute' };

/** kube's MatchTaint: same key and effect (value and timeAdded do not matter) */
export const matchTaint = (a: Taint, b: Taint): boolean => a.key === b.key && a.effect === b.effect;

export const taintExists = (taints: readonly Taint[] | undefined, wanted: Taint): boolean => (taints ?? []).some((t) => matchTaint(t, wanted));

/** kube's TaintSetDiff: what `want` has that `have` lacks, and what `have` has that `want` lacks */
export function taintSetDiff(want: readonly Taint[], have: readonly Taint[]): { toAdd: Taint[]; toRemove: Taint[] } {
  return {
    toAdd: want.filter((t) => !taintExists(have, t)),
    toRemove: have.filter((t) => !taintExists(want, t)),
  };
}

/**
 * The node's taints after SwapNodeControllerTaint: `toRemove` gone, `toAdd` present with
 * timeAdded = now (a taint already there with the same key, effect and value is kept as
 * it is). Undefined when nothing would change, so the caller writes nothing.
 */
export function swapTaints(current: readonly Taint[] | undefined, toAdd: readonly Taint[], toRemove: readonly Taint[], now: number): Taint[] | undefined {
  const before = [...(current ?? [])];
  let next = before.filter((t) => !toRemove.some((r) => matchTaint(r, t)));
  for (const add of toAdd) {
    const at = next.findIndex((t) => matchTaint(t, add));
    if (at >= 0 && (next[at]!.value ?? '') === (add.value ?? '')) continue;
    const stamped: Taint = { key: add.key, ...(add.value ? { value: add.value } : {}), effect: add.effect, timeAdded: formatTime(now) };
    if (at >= 0) next = next.map((t, i) => (i === at ? stamped : t));
    else next.push(stamped);
  }
  const changed = next.length !== before.length || next.some((t, i) => t !== before[i]);
  return changed ? next : undefined;
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

/** v1.Toleration.ToleratesTaint: effect empty or equal, key empty or equal, Exists or the same value */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? '') {
    case 'Exists':
      return true;
    case '':
    case 'Equal':
      return (toleration.value ?? '') === (taint.value ?? '');
    default:
      return false;
  }
}

/**
 * TaintNodesByCondition (kube's doNoScheduleTaintingPass): a node's conditions and its
 * spec.unschedulable, mirrored as NoSchedule taints the scheduler filters on, so "not
 * ready", "under memory pressure" or "cordoned" keep new pods away the same way a user's
 * taint would. Only these well-known NoSchedule taints are compared; any other taint on
 * the node (a user's, or the NoExecute ones) is left alone.
 */
import type { NodeCondition } from './node-health.js';
import {
  TAINT_NODE_DISK_PRESSURE,
  TAINT_NODE_MEMORY_PRESSURE,
  TAINT_NODE_NETWORK_UNAVAILABLE,
  TAINT_NODE_NOT_READY,
  TAINT_NODE_PID_PRESSURE,
  TAINT_NODE_UNREACHABLE,
  TAINT_NODE_UNSCHEDULABLE,
  taintSetDiff,
  type Taint,
} from './taints.js';

/** condition type → status → the taint key it stands for */
const CONDITION_TAINTS: Record<string, Record<string, string>> = {
  Ready: { False: TAINT_NODE_NOT_READY, Unknown: TAINT_NODE_UNREACHABLE },
  MemoryPressure: { True: TAINT_NODE_MEMORY_PRESSURE },
  DiskPressure: { True: TAINT_NODE_DISK_PRESSURE },
  NetworkUnavailable: { True: TAINT_NODE_NETWORK_UNAVAILABLE },
  PIDPressure: { True: TAINT_NODE_PID_PRESSURE },
};

const CONDITION_TAINT_KEYS = new Set(Object.values(CONDITION_TAINTS).flatMap((m) => Object.values(m)));

export interface NodeForTainting {
  spec?: { unschedulable?: boolean; taints?: Taint[] };
  status?: { conditions?: NodeCondition[] };
}

/** the NoSchedule taints the node should carry, by its conditions and spec.unschedulable */
export function desiredNoScheduleTaints(node: NodeForTainting): Taint[] {
  const taints: Taint[] = [];
  for (const condition of node.status?.conditions ?? []) {
    const key = CONDITION_TAINTS[condition.type]?.[condition.status];
    if (key) taints.push({ key, effect: 'NoSchedule' });
  }
  if (node.spec?.unschedulable) taints.push({ key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' });
  return taints;
}

/** the node's current taints this controller manages as NoSchedule */
export function managedNoScheduleTaints(node: NodeForTainting): Taint[] {
  return (node.spec?.taints ?? []).filter((t) => t.effect === 'NoSchedule' && (t.key === TAINT_NODE_UNSCHEDULABLE || CONDITION_TAINT_KEYS.has(t.key)));
}

/** what to add and remove (both empty when the node is in order) */
export function noScheduleTaintChanges(node: NodeForTainting): { toAdd: Taint[]; toRemove: Taint[] } {
  return taintSetDiff(desiredNoScheduleTaints(node), managedNoScheduleTaints(node));
}

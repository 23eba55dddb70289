/**
 * A DaemonSet's status (kube's updateDaemonSetStatus / storeDaemonSetStatus), pure: per
 * node that should run the pod, whether it has one, whether the oldest is ready,
 * available and up to date; pods on nodes that should not run it are misscheduled.
 * Written only when a number changed or observedGeneration lags.
 */
import { isPodAvailable, isPodReady } from '../common/pod-status.js';
import { nodeShouldRunDaemonPod, type DaemonSet, type Node, type Pod } from './daemon-pod-predicates.js';
import { isPodUpdated, sortByCreationAndPhase, templateGeneration } from './daemonset-pods.js';

export interface DaemonSetCounts {
  desiredNumberScheduled: number;
  currentNumberScheduled: number;
  numberMisscheduled: number;
  numberReady: number;
  updatedNumberScheduled: number;
  numberAvailable: number;
  numberUnavailable: number;
}

export function computeDaemonSetCounts(ds: DaemonSet, nodes: readonly Node[], byNode: ReadonlyMap<string, Pod[]>, hash: string, now: number): DaemonSetCounts {
  const c: DaemonSetCounts = { desiredNumberScheduled: 0, currentNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0, updatedNumberScheduled: 0, numberAvailable: 0, numberUnavailable: 0 };
  const generation = templateGeneration(ds);
  for (const node of nodes) {
    const { shouldRun } = nodeShouldRunDaemonPod(node, ds);
    const pods = byNode.get(node.metadata?.name ?? '') ?? [];
    const scheduled = pods.length > 0;
    if (!shouldRun) {
      if (scheduled) c.numberMisscheduled++;
      continue;
    }
    c.desiredNumberScheduled++;
    if (!scheduled) continue;
    c.currentNumberScheduled++;
    const pod = sortByCreationAndPhase(pods)[0]!;
    if (isPodReady(pod)) {
      c.numberReady++;
      if (isPodAvailable(pod, ds.spec?.minReadySeconds ?? 0, now)) c.numberAvailable++;
    }
    if (isPodUpdated(pod, hash, generation)) c.updatedNumberScheduled++;
  }
  c.numberUnavailable = c.desiredNumberScheduled - c.numberAvailable;
  return c;
}

/** storeDaemonSetStatus's early exit: every number the same and observedGeneration caught up */
export function daemonSetStatusUpToDate(ds: DaemonSet, counts: DaemonSetCounts): boolean {
  const s = (ds.status ?? {}) as Partial<Record<keyof DaemonSetCounts | 'observedGeneration', number>>;
  for (const key of Object.keys(counts) as (keyof DaemonSetCounts)[]) if ((s[key] ?? 0) !== counts[key]) return false;
  return (s.observedGeneration ?? 0) >= (ds.metadata?.generation ?? 0);
}

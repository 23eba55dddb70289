/**
 * The status conditions kube's namespace deleter keeps on a Terminating namespace
 * (pkg/controller/namespace/deletion/status_condition_utils.go), as a pure function:
 * every one of the five types is always present, True with a failure reason while that
 * step fails, False with kube's "ok" reason and message otherwise. A condition whose
 * status is unchanged keeps its lastTransitionTime; changed reason/message alone update
 * in place. `changed` says whether the status needs writing.
 */
import type { V1NamespaceCondition } from '@kubernetes/client-node';
import { formatTime } from '../common/time.js';

export const CONDITION_TYPES = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
] as const;
type ConditionType = (typeof CONDITION_TYPES)[number];

const OK: Record<ConditionType, { reason: string; message: string }> = {
  NamespaceDeletionDiscoveryFailure: { reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
  NamespaceDeletionGroupVersionParsingFailure: { reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
  NamespaceDeletionContentFailure: { reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
  NamespaceContentRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
  NamespaceFinalizersRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
};

/** what one pass of content deletion found */
export interface DeletionOutcome {
  /** discovery failed (kube continues with what it got) */
  discoveryError?: string;
  /** some group-versions could not be parsed */
  groupVersionError?: string;
  /** one message per resource whose deletion failed */
  contentErrors: string[];
  /** "resource.group" → objects still present */
  remaining: Map<string, number>;
  /** finalizer → objects still carrying it */
  finalizers: Map<string, number>;
}

type Failure = { reason: string; message: string };

function failures(o: DeletionOutcome): Partial<Record<ConditionType, Failure>> {
  const out: Partial<Record<ConditionType, Failure>> = {};
  if (o.discoveryError !== undefined) out.NamespaceDeletionDiscoveryFailure = { reason: 'DiscoveryFailed', message: o.discoveryError };
  if (o.groupVersionError !== undefined) out.NamespaceDeletionGroupVersionParsingFailure = { reason: 'GroupVersionParsingFailed', message: o.groupVersionError };
  if (o.contentErrors.length > 0) {
    const sorted = [...o.contentErrors].sort();
    out.NamespaceDeletionContentFailure = {
      reason: 'ContentDeletionFailed',
      message: `Failed to delete all resource types, ${sorted.length} remaining: ${sorted.join(', ')}`,
    };
  }
  const remaining = [...o.remaining].filter(([, n]) => n > 0).map(([gr, n]) => `${gr} has ${n} resource instances`);
  if (o.remaining.size > 0) {
    out.NamespaceContentRemaining = { reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${remaining.sort().join(', ')}` };
  }
  const byFinalizer = [...o.finalizers].filter(([, n]) => n > 0).map(([f, n]) => `${f} in ${n} resource instances`);
  if (o.finalizers.size > 0) {
    out.NamespaceFinalizersRemaining = { reason: 'SomeFinalizerRemain', message: `Some finalizers are remaining: ${byFinalizer.sort().join(', ')}` };
  }
  return out;
}

/** kube's updateConditions: the namespace's conditions after this pass */
export function deletionConditions(current: readonly V1NamespaceCondition[] | undefined, outcome: DeletionOutcome, now: number): { conditions: V1NamespaceCondition[]; changed: boolean } {
  const conditions = (current ?? []).map((c) => ({ ...c }));
  const failed = failures(outcome);
  let changed = false;
  for (const type of CONDITION_TYPES) {
    const failure = failed[type];
    const wanted = { status: failure ? 'True' : 'False', ...(failure ?? OK[type]) };
    const existing = conditions.find((c) => c.type === type);
    if (!existing) {
      conditions.push({ type, ...wanted, lastTransitionTime: formatTime(now) as unknown as Date });
      changed = true;
    } else if (existing.status !== wanted.status || existing.reason !== wanted.reason || existing.message !== wanted.message) {
      if (existing.status !== wanted.status) existing.lastTransitionTime = formatTime(now) as unknown as Date;
      existing.status = wanted.status;
      existing.reason = wanted.reason;
      existing.message = wanted.message;
      changed = true;
    }
  }
  return { conditions, changed };
}

/** the namespace's spec.finalizers without ours, sorted and unique (kube's finalizeNamespace) */
export function finalizersWithout(finalizers: readonly string[] | undefined, token: string): string[] {
  return [...new Set((finalizers ?? []).filter((f) => f !== token))].sort();
}

/**
 * kube's estimate of how long until a namespace's pods are gone: the longest
 * spec.terminationGracePeriodSeconds among pods not yet terminal (the API server defaults
 * it to 30 s). Seconds.
 */
export function podTerminationEstimate(pods: readonly { spec?: { terminationGracePeriodSeconds?: number }; status?: { phase?: string } }[]): number {
  let estimate = 0;
  for (const pod of pods) {
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
    estimate = Math.max(estimate, pod.spec?.terminationGracePeriodSeconds ?? 30);
  }
  return estimate;
}

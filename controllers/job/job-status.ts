/**
 * The Job status as the controller writes it, pure: moving counted pods out of
 * status.uncountedTerminatedPods into the succeeded/failed counters (the last step of
 * finalizer tracking), and the wire form of the status (Go's omitempty: zero counters and
 * empty uid lists left out; ready and terminating, pointers in Go, always present).
 */
import type { V1JobStatus } from '@kubernetes/client-node';

/**
 * kube's cleanUncountedPodsWithoutFinalizers: uids whose pod no longer holds the finalizer
 * move from uncountedTerminatedPods into succeeded/failed. Returns whether anything moved.
 */
export function countUncounted(status: V1JobStatus, withFinalizer: ReadonlySet<string>): boolean {
  const uncounted = (status.uncountedTerminatedPods ??= {});
  let changed = false;
  const keepS = (uncounted.succeeded ?? []).filter((uid) => withFinalizer.has(uid));
  if (keepS.length !== (uncounted.succeeded ?? []).length) {
    status.succeeded = (status.succeeded ?? 0) + (uncounted.succeeded ?? []).length - keepS.length;
    uncounted.succeeded = keepS;
    changed = true;
  }
  const keepF = (uncounted.failed ?? []).filter((uid) => withFinalizer.has(uid));
  if (keepF.length !== (uncounted.failed ?? []).length) {
    status.failed = (status.failed ?? 0) + (uncounted.failed ?? []).length - keepF.length;
    uncounted.failed = keepF;
    changed = true;
  }
  return changed;
}

/** the status as Go serialises it: zero counters and empty uid lists omitted, ready/terminating kept */
export function wireStatus(status: V1JobStatus): V1JobStatus {
  const out: V1JobStatus = structuredClone(status);
  for (const field of ['active', 'succeeded', 'failed'] as const) if (!out[field]) delete out[field];
  const uncounted = out.uncountedTerminatedPods ?? {};
  out.uncountedTerminatedPods = {
    ...(uncounted.succeeded?.length ? { succeeded: uncounted.succeeded } : {}),
    ...(uncounted.failed?.length ? { failed: uncounted.failed } : {}),
  };
  if (out.completedIndexes === '') delete out.completedIndexes;
  return out;
}

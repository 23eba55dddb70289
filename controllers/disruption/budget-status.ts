/**
 * The disruption controller's arithmetic, pure (kube's pkg/controller/disruption trySync,
 * buildDisruptedPodMap, countHealthyPods, updatePdbStatus, failSafe and pdb helpers).
 * Given a budget, the pods it selects and how many pods it expects / wants healthy, it
 * works out the status the budget should have, and whether that differs from what the
 * budget already says — the controller writes only on a difference, so its own status
 * write (which comes back as a watch event) does not start a loop.
 *
 *   currentHealthy     = Ready pods that are neither being deleted nor recently evicted
 *   disruptionsAllowed = max(0, currentHealthy - desiredHealthy), and 0 while expectedPods is 0
 *   disruptedPods      = the API server's record of evictions (pod name → time) that the
 *                        pods have not yet caught up with: an entry stays until its pod is
 *                        deleted (or being deleted) or the entry is older than the deletion
 *                        timeout (2 minutes), after which the pod counts again if Ready.
 *
 * Times on the wire are RFC 3339 strings (client-node's types say Date; JSON has strings).
 */
import type { V1Pod, V1PodDisruptionBudget } from '@kubernetes/client-node';
import { isPodReady } from '../common/pod-status.js';
import { formatTime, timeOf } from '../common/time.js';

export { formatTime, isPodReady };

/** kube's DeletionTimeout: how long an eviction recorded in disruptedPods is trusted */
export const DEFAULT_DELETION_TIMEOUT_MS = 2 * 60 * 1000;

export const DISRUPTION_ALLOWED_CONDITION = 'DisruptionAllowed';
export const SUFFICIENT_PODS_REASON = 'SufficientPods';
export const INSUFFICIENT_PODS_REASON = 'InsufficientPods';
export const SYNC_FAILED_REASON = 'SyncFailed';

/** metav1.Condition as JSON */
export interface BudgetCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  observedGeneration?: number;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

/** policy/v1 PodDisruptionBudgetStatus as JSON */
export interface BudgetStatus {
  observedGeneration?: number;
  disruptedPods?: Record<string, string>;
  disruptionsAllowed: number;
  currentHealthy: number;
  desiredHealthy: number;
  expectedPods: number;
  conditions?: BudgetCondition[];
}

/** what one sync worked out for a budget */
export interface BudgetCounts {
  currentHealthy: number;
  desiredHealthy: number;
  expectedPods: number;
  disruptionsAllowed: number;
  disruptedPods: Record<string, string>;
}

export interface ComputedBudget extends BudgetCounts {
  /** when the earliest kept disruptedPods entry expires (epoch ms): look again then */
  recheckAt?: number;
  /** pods whose eviction entry expired without the pod being deleted (kube warns "NotDeleted") */
  expiredPods: string[];
}

export interface ComputeInputs {
  pdb: V1PodDisruptionBudget;
  pods: V1Pod[];
  expectedCount: number;
  desiredHealthy: number;
  /** epoch ms */
  now: number;
  deletionTimeoutMs?: number;
}

const timeString = (value: unknown): string => (value instanceof Date ? formatTime(value.getTime()) : String(value));


const isDeleting = (pod: V1Pod): boolean => Boolean(pod.metadata?.deletionTimestamp);

/**
 * kube's buildDisruptedPodMap: keep the recorded evictions of pods that still exist, are
 * not yet being deleted, and were evicted less than the timeout ago. Entries for pods that
 * are gone or going are dropped: the pod itself now shows the disruption.
 */
export function buildDisruptedPods(
  pods: V1Pod[],
  recorded: Record<string, unknown> | undefined,
  now: number,
  timeoutMs: number,
): { disruptedPods: Record<string, string>; recheckAt?: number; expiredPods: string[] } {
  const disruptedPods: Record<string, string> = {};
  const expiredPods: string[] = [];
  let recheckAt: number | undefined;
  if (!recorded) return { disruptedPods, expiredPods };
  for (const pod of pods) {
    const name = pod.metadata?.name;
    if (!name || isDeleting(pod) || !Object.hasOwn(recorded, name)) continue;
    const at = timeOf(recorded[name]);
    const expectedDeletion = at + timeoutMs;
    // an unreadable time cannot be trusted to hold the pod back: treat it as expired
    if (Number.isNaN(at) || expectedDeletion < now) {
      expiredPods.push(name);
      continue;
    }
    if (recheckAt === undefined || expectedDeletion < recheckAt) recheckAt = expectedDeletion;
    disruptedPods[name] = timeString(recorded[name]);
  }
  return { disruptedPods, ...(recheckAt !== undefined ? { recheckAt } : {}), expiredPods };
}

/** kube's countHealthyPods: Ready, not being deleted, not evicted within the timeout */
export function countHealthyPods(pods: V1Pod[], disruptedPods: Record<string, string>, now: number, timeoutMs: number): number {
  let healthy = 0;
  for (const pod of pods) {
    if (isDeleting(pod)) continue;
    const name = pod.metadata?.name ?? '';
    if (Object.hasOwn(disruptedPods, name) && timeOf(disruptedPods[name]) + timeoutMs > now) continue;
    if (isPodReady(pod)) healthy++;
  }
  return healthy;
}

/**
 * currentHealthy - desiredHealthy, never negative; and 0 while the budget expects no pods,
 * so a budget whose first pods appear before the controller has looked is safe meanwhile.
 */
export function allowedDisruptions(currentHealthy: number, desiredHealthy: number, expectedPods: number): number {
  const allowed = currentHealthy - desiredHealthy;
  return expectedPods <= 0 || allowed <= 0 ? 0 : allowed;
}

export function computeBudget(inputs: ComputeInputs): ComputedBudget {
  const timeoutMs = inputs.deletionTimeoutMs ?? DEFAULT_DELETION_TIMEOUT_MS;
  const recorded = inputs.pdb.status?.disruptedPods as Record<string, unknown> | undefined;
  const { disruptedPods, recheckAt, expiredPods } = buildDisruptedPods(inputs.pods, recorded, inputs.now, timeoutMs);
  const currentHealthy = countHealthyPods(inputs.pods, disruptedPods, inputs.now, timeoutMs);
  return {
    currentHealthy,
    desiredHealthy: inputs.desiredHealthy,
    expectedPods: inputs.expectedCount,
    disruptionsAllowed: allowedDisruptions(currentHealthy, inputs.desiredHealthy, inputs.expectedCount),
    disruptedPods,
    ...(recheckAt !== undefined ? { recheckAt } : {}),
    expiredPods,
  };
}

const conditionsOf = (pdb: V1PodDisruptionBudget): BudgetCondition[] => (pdb.status?.conditions ?? []) as unknown as BudgetCondition[];

/** kube's ConditionsAreUpToDate: DisruptionAllowed agrees with disruptionsAllowed for this generation */
export function conditionsUpToDate(pdb: V1PodDisruptionBudget): boolean {
  const condition = conditionsOf(pdb).find((c) => c.type === DISRUPTION_ALLOWED_CONDITION);
  if (!condition) return false;
  if ((pdb.status?.observedGeneration ?? 0) !== (pdb.metadata?.generation ?? 0)) return false;
  if ((pdb.status?.disruptionsAllowed ?? 0) > 0) return condition.status === 'True' && condition.reason === SUFFICIENT_PODS_REASON;
  return condition.status === 'False' && condition.reason === INSUFFICIENT_PODS_REASON;
}

function sameDisruptedPods(recorded: Record<string, unknown> | undefined, wanted: Record<string, string>): boolean {
  const have = Object.entries(recorded ?? {});
  // nil and empty are the same map (kube compares with Semantic.DeepEqual)
  if (have.length !== Object.keys(wanted).length) return false;
  return have.every(([name, at]) => Object.hasOwn(wanted, name) && timeString(at) === wanted[name]);
}

/** kube's updatePdbStatus guard: nothing to write when counts, generation and condition all agree */
export function statusUpToDate(pdb: V1PodDisruptionBudget, counts: BudgetCounts): boolean {
  const s = pdb.status;
  return (
    (s?.currentHealthy ?? 0) === counts.currentHealthy &&
    (s?.desiredHealthy ?? 0) === counts.desiredHealthy &&
    (s?.expectedPods ?? 0) === counts.expectedPods &&
    (s?.disruptionsAllowed ?? 0) === counts.disruptionsAllowed &&
    sameDisruptedPods(s?.disruptedPods as Record<string, unknown> | undefined, counts.disruptedPods) &&
    (s?.observedGeneration ?? 0) === (pdb.metadata?.generation ?? 0) &&
    conditionsUpToDate(pdb)
  );
}

/**
 * apimachinery's SetStatusCondition on a copy: a new condition is added; an existing one
 * takes the new status (and a new lastTransitionTime only when the status flips), reason,
 * message and observedGeneration.
 */
export function setCondition(conditions: BudgetCondition[], wanted: Omit<BudgetCondition, 'lastTransitionTime'>, now: number): BudgetCondition[] {
  const result = conditions.map((c) => ({ ...c }));
  const existing = result.find((c) => c.type === wanted.type);
  if (!existing) {
    result.push({ ...wanted, lastTransitionTime: formatTime(now) });
    return result;
  }
  if (existing.status !== wanted.status) {
    existing.status = wanted.status;
    existing.lastTransitionTime = formatTime(now);
  }
  existing.reason = wanted.reason;
  existing.message = wanted.message;
  if (wanted.observedGeneration !== undefined) existing.observedGeneration = wanted.observedGeneration;
  else delete existing.observedGeneration;
  return result;
}

/** the status updatePdbStatus writes: the counts, observedGeneration = generation, DisruptionAllowed to match */
export function desiredStatus(pdb: V1PodDisruptionBudget, counts: BudgetCounts, now: number): BudgetStatus {
  const observedGeneration = pdb.metadata?.generation ?? 0;
  const allowed = counts.disruptionsAllowed > 0;
  return {
    observedGeneration,
    ...(Object.keys(counts.disruptedPods).length > 0 ? { disruptedPods: counts.disruptedPods } : {}),
    disruptionsAllowed: counts.disruptionsAllowed,
    currentHealthy: counts.currentHealthy,
    desiredHealthy: counts.desiredHealthy,
    expectedPods: counts.expectedPods,
    conditions: setCondition(
      conditionsOf(pdb),
      {
        type: DISRUPTION_ALLOWED_CONDITION,
        status: allowed ? 'True' : 'False',
        observedGeneration,
        reason: allowed ? SUFFICIENT_PODS_REASON : INSUFFICIENT_PODS_REASON,
        message: '',
      },
      now,
    ),
  };
}

/**
 * kube's failSafe: when the budget cannot be worked out, allow no disruptions and say why
 * in a SyncFailed condition. observedGeneration stays as it was (the spec was not processed).
 */
export function failSafeStatus(pdb: V1PodDisruptionBudget, message: string, now: number): BudgetStatus {
  const s = pdb.status;
  const observedGeneration = s?.observedGeneration;
  return {
    ...(observedGeneration !== undefined ? { observedGeneration } : {}),
    ...(s?.disruptedPods ? { disruptedPods: Object.fromEntries(Object.entries(s.disruptedPods).map(([k, v]) => [k, timeString(v)])) } : {}),
    disruptionsAllowed: 0,
    currentHealthy: s?.currentHealthy ?? 0,
    desiredHealthy: s?.desiredHealthy ?? 0,
    expectedPods: s?.expectedPods ?? 0,
    conditions: setCondition(
      conditionsOf(pdb),
      {
        type: DISRUPTION_ALLOWED_CONDITION,
        status: 'False',
        ...(observedGeneration !== undefined ? { observedGeneration } : {}),
        reason: SYNC_FAILED_REASON,
        message,
      },
      now,
    ),
  };
}

/**
 * Does the budget already say what failSafeStatus(pdb, message) would? Then writing it
 * again would only bounce back as a watch event and fail the same way: a loop.
 */
export function failSafeUpToDate(pdb: V1PodDisruptionBudget, message: string): boolean {
  const condition = conditionsOf(pdb).find((c) => c.type === DISRUPTION_ALLOWED_CONDITION);
  return (
    (pdb.status?.disruptionsAllowed ?? 0) === 0 &&
    condition?.status === 'False' &&
    condition.reason === SYNC_FAILED_REASON &&
    condition.message === message &&
    condition.observedGeneration === pdb.status?.observedGeneration
  );
}

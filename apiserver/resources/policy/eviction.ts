/**
 * POST pods/{name}/eviction (policy/v1 Eviction), as kube's EvictionREST: a pod that
 * cannot be disrupted further (finished, pending, already terminating) is deleted at once;
 * otherwise the one PodDisruptionBudget covering it must allow a disruption, which is
 * recorded in the budget's status before the pod is deleted. Several budgets → 500; a
 * budget without room → 429 TooManyRequests, which `kubectl drain` retries.
 */
import type { V1Pod, V1PodDisruptionBudget } from '@kubernetes/client-node';
import type { KubeObject, RequestContext, SubresourceCall, SubresourceRegistry } from '../../catalogue/resource-def.js';
import { ApiError, apiErrors } from '../../errors/api-error.js';
import { budgetCovers, budgetNotProcessed, checkAndDecrement } from './disruption-budget-check.js';
import { podDisruptionBudgets } from './poddisruptionbudgets.js';

type SubresourceResult = { code: number; body: unknown };
type DeleteOpts = NonNullable<Parameters<SubresourceRegistry['delete']>[4]>;

interface EvictionDeleteOptions {
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: string[];
}

/** tries when the pod changed between reading and deleting it (kube retries conflicts too) */
const MAX_ATTEMPTS = 5;
const MORE_THAN_ONE_BUDGET = 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const statusBody = (status: 'Success' | 'Failure', code: number, message?: string) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status,
  ...(message !== undefined ? { message } : {}),
  code,
});

const phaseOf = (pod: KubeObject) => (pod as V1Pod).status?.phase;
const isTerminal = (pod: KubeObject) => phaseOf(pod) === 'Succeeded' || phaseOf(pod) === 'Failed';
const isDeleting = (pod: KubeObject) => Boolean(pod.metadata.deletionTimestamp);

/** kube's canIgnorePDB: the pod is no disruption to guard (finished, never started, already going) */
export function canIgnoreBudget(pod: KubeObject): boolean {
  const unscheduled = !(pod as V1Pod).spec?.nodeName;
  return isTerminal(pod) || phaseOf(pod) === 'Pending' || unscheduled || isDeleting(pod);
}

/** kube's IsPodReady: the Ready condition is True */
export const isPodReady = (pod: KubeObject) => ((pod as V1Pod).status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

const isConflict = (err: unknown) => err instanceof ApiError && err.reason === 'Conflict';

export async function createEviction(call: SubresourceCall): Promise<SubresourceResult> {
  const { def, namespace, name, body, registry } = call;
  if (body.metadata?.name && body.metadata.name !== name) throw apiErrors.badRequest('name in URL does not match name in Eviction object');
  const options = (isRecord(body.deleteOptions) ? body.deleteOptions : {}) as EvictionDeleteOptions;
  // the request's ?dryRun and the Eviction's deleteOptions.dryRun both make this a dry run
  const dryRun = call.ctx.dryRun || (Array.isArray(options.dryRun) && options.dryRun.includes('All'));
  const ctx: RequestContext = dryRun ? { ...call.ctx, dryRun: true } : call.ctx;
  const userResourceVersion = options.preconditions?.resourceVersion;
  const remove = (resourceVersion?: string) => {
    const preconditions = resourceVersion ? { ...(options.preconditions ?? {}), resourceVersion } : options.preconditions;
    // the generic registry also reads dryRun here; the SubresourceRegistry type does not list it yet
    const opts: DeleteOpts & { dryRun?: boolean } = {
      ...(typeof options.gracePeriodSeconds === 'number' ? { gracePeriodSeconds: options.gracePeriodSeconds } : {}),
      ...(preconditions ? { preconditions } : {}),
      ...(dryRun ? { dryRun: true } : {}),
    };
    return registry.delete(def, namespace, name, ctx, opts);
  };

  // Pods no budget needs to guard are deleted directly; pinning the resourceVersion makes
  // sure the pod did not turn running meanwhile (then we look at budgets after all).
  let pod: KubeObject | undefined;
  for (let attempt = 1; ; attempt++) {
    pod = await registry.get(def, namespace, name);
    if (!canIgnoreBudget(pod)) break;
    const pin = !isTerminal(pod) && !isDeleting(pod) && !userResourceVersion;
    try {
      await remove(pin ? pod.metadata.resourceVersion : undefined);
      return { code: 201, body: statusBody('Success', 201) };
    } catch (err) {
      if (!isConflict(err) || userResourceVersion || attempt >= MAX_ATTEMPTS) throw err;
    }
  }

  const pdbDef = registry.lookup({ group: 'policy', version: 'v1', kind: 'PodDisruptionBudget' }) ?? podDisruptionBudgets;
  const covering = (await registry.list(pdbDef, namespace)).filter((pdb) => budgetCovers(pdb, pod.metadata.labels));
  if (covering.length > 1) return { code: 500, body: statusBody('Failure', 500, MORE_THAN_ONE_BUDGET) };

  const pdb = covering[0];
  const pdbName = pdb?.metadata.name ?? '';
  let pinUnhealthy = false;
  if (pdb) {
    const spec = (pdb as V1PodDisruptionBudget).spec;
    const status = (pdb as V1PodDisruptionBudget).status;
    const desired = status?.desiredHealthy ?? 0;
    const healthyEnough = (status?.currentHealthy ?? 0) >= desired && desired > 0;
    // an unready pod does not count as healthy, so evicting it costs the budget nothing
    if (!isPodReady(pod) && (spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow' || healthyEnough)) pinUnhealthy = !userResourceVersion;
    else if (dryRun) checkAndDecrement(structuredClone(pdb), name, ctx.now);
    else await registry.mutate(pdbDef, namespace, pdbName, ctx, (current) => (checkAndDecrement(current, name, ctx.now), current), 'status');
  }
  try {
    await remove(pinUnhealthy ? pod.metadata.resourceVersion : undefined);
  } catch (err) {
    // the unready pod changed (maybe became ready) since we looked: let the client retry
    if (pinUnhealthy && isConflict(err)) throw budgetNotProcessed(pdbName);
    throw err;
  }
  return { code: 201, body: statusBody('Success', 201) };
}

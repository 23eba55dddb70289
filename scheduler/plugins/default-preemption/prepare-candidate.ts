/**
 * Make room on the chosen node (kube's prepareCandidate and PreemptPod), through the API:
 *
 *   - a victim already being deleted needs no call;
 *   - a victim that is only nominated there (not bound) loses its nomination instead;
 *   - any other victim first gets the DisruptionTarget condition (reason
 *     PreemptionByScheduler), so its controllers and the eligibility check know why it
 *     is going, then is deleted (uid precondition: never a same-named successor), and a
 *     Preempted event is recorded on it;
 *   - lower-priority pods nominated to that node lose their nomination: they may no
 *     longer fit there and should look elsewhere now rather than after the victims leave.
 *
 * A victim that is already gone (404, or a uid conflict) counts as preempted. Any other
 * failure becomes the returned Error status; clearing nominations only logs.
 */
import type { V1Pod, V1PodCondition } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { isConflict, isNotFound } from '../../../client/api-error.js';
import type { KubeClient } from '../../../client/types.js';
import { errorStatus, success, type Status } from '../../framework/status.js';
import type { NominatedPods } from '../../framework/types.js';
import { DISRUPTION_TARGET, podPriority, PREEMPTION_BY_SCHEDULER } from './eligibility.js';
import { preemptedMessage, type PreemptionEvents } from './events.js';
import type { Candidate } from './pick-node.js';

export interface PreemptionWriter {
  client: KubeClient;
  events: PreemptionEvents | undefined;
  logger: Pick<Logger, 'debug' | 'warn'>;
  now(): number;
  /** the preemptor's scheduler when spec.schedulerName is empty */
  profileName: string;
}

const podRef = (pod: V1Pod): string => `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
const describe = (err: unknown): string => (err instanceof Error ? err.message : String(err));

function disruptionCondition(preemptor: V1Pod, w: PreemptionWriter): V1PodCondition {
  return {
    type: DISRUPTION_TARGET,
    status: 'True',
    reason: PREEMPTION_BY_SCHEDULER,
    message: `${preemptor.spec?.schedulerName || w.profileName}: preempting to accommodate a higher priority pod`,
    lastTransitionTime: new Date(w.now()).toISOString() as unknown as Date,
  };
}

/** the condition is already there as we would write it (kube's UpdatePodCondition reports no change) */
function hasCondition(pod: V1Pod, c: V1PodCondition): boolean {
  const existing = pod.status?.conditions?.find((x) => x.type === c.type);
  return existing !== undefined && existing.status === c.status && existing.reason === c.reason && existing.message === c.message;
}

async function clearNomination(w: PreemptionWriter, pod: V1Pod): Promise<void> {
  await w.client.resource('v1', 'Pod').patch(
    pod.metadata?.name ?? '',
    'strategic',
    { status: { nominatedNodeName: null } },
    { namespace: pod.metadata?.namespace ?? 'default', subresource: 'status' },
  );
}

/** one victim; resolves to an error message, or undefined when it is preempted (or already gone) */
export async function preemptVictim(w: PreemptionWriter, preemptor: V1Pod, victim: V1Pod, nodeName: string): Promise<string | undefined> {
  const pods = w.client.resource('v1', 'Pod');
  const namespace = victim.metadata?.namespace ?? 'default';
  const name = victim.metadata?.name ?? '';
  try {
    if (!victim.spec?.nodeName && victim.status?.nominatedNodeName) {
      await clearNomination(w, victim);
      w.logger.debug({ preemptor: podRef(preemptor), victim: podRef(victim), node: nodeName }, 'preemption removed a nominated victim\'s nomination');
      return undefined;
    }
    const condition = disruptionCondition(preemptor, w);
    if (!hasCondition(victim, condition)) {
      await pods.patch(name, 'strategic', { status: { conditions: [condition] } }, { namespace, subresource: 'status' });
    }
    const uid = victim.metadata?.uid;
    await pods.delete(name, { namespace, ...(uid ? { preconditions: { uid } } : {}) });
  } catch (err) {
    if (isNotFound(err) || isConflict(err)) {
      w.logger.debug({ preemptor: podRef(preemptor), victim: podRef(victim), node: nodeName }, 'victim pod is already deleted');
      return undefined;
    }
    return `preempting ${podRef(victim)}: ${describe(err)}`;
  }
  w.logger.debug({ preemptor: podRef(preemptor), victim: podRef(victim), node: nodeName }, 'preemptor pod preempted victim pod');
  w.events?.event({ apiVersion: 'v1', kind: 'Pod', metadata: { ...victim.metadata } as never }, 'Normal', 'Preempted', preemptedMessage(preemptor.metadata?.uid ?? '', nodeName));
  return undefined;
}

/** evict the candidate's victims, then clear lower-priority nominations to its node */
export async function prepareCandidate(w: PreemptionWriter, nominator: NominatedPods, candidate: Candidate, preemptor: V1Pod): Promise<Status> {
  const pending = candidate.victims.filter((v) => !v.metadata?.deletionTimestamp);
  const errors = (await Promise.all(pending.map((v) => preemptVictim(w, preemptor, v, candidate.nodeName)))).filter((e): e is string => e !== undefined);
  if (errors.length) return errorStatus(errors.join('; '));

  const priority = podPriority(preemptor);
  const lower = nominator
    .nominatedPodsForNode(candidate.nodeName)
    .map((p) => p.pod)
    .filter((p) => podPriority(p) < priority && p.status?.nominatedNodeName);
  await Promise.all(
    lower.map((p) =>
      clearNomination(w, p).catch((err: unknown) => {
        w.logger.warn({ pod: podRef(p), node: candidate.nodeName, err: describe(err) }, 'cannot clear nominatedNodeName');
      }),
    ),
  );
  return success();
}

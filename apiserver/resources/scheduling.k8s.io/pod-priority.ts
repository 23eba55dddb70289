/**
 * kube's Priority admission plugin, pod half: on create, a pod's priority comes from its
 * PriorityClass (or the global default class, or 0), and so does its preemptionPolicy. A
 * pod may repeat the computed values but not contradict them; an unknown class name is
 * refused. Runs after the pod's defaults, so the pod defaulting must leave spec.priority
 * and spec.preemptionPolicy unset for this to tell a client's value from none.
 */
import type { V1PodSpec, V1PriorityClass } from '@kubernetes/client-node';
import type { KubeObject, LifecycleEnv } from '../../catalogue/resource-def.js';
import { forbiddenError } from './forbidden.js';
import { DEFAULT_PREEMPTION_POLICY, globalDefaultPriorityClass, priorityClasses } from './priorityclasses.js';

/** kube's DefaultPriorityWhenNoDefaultClassExists */
export const DEFAULT_POD_PRIORITY = 0;

export type PriorityEnv = Pick<LifecycleEnv, 'get' | 'list' | 'lookup'>;

export async function admitPodPriority(pod: KubeObject, env: PriorityEnv): Promise<void> {
  if (!pod.spec || typeof pod.spec !== 'object') return;
  const spec = pod.spec as V1PodSpec;
  const refuse = (why: string) => forbiddenError({ group: '', resource: 'pods', name: pod.metadata.name ?? '' }, why);

  let priority: number;
  let preemptionPolicy: string | undefined;
  if (!spec.priorityClassName) {
    const dpc = await globalDefaultPriorityClass(env);
    if (dpc) {
      spec.priorityClassName = dpc.metadata?.name ?? '';
      priority = dpc.value;
      preemptionPolicy = dpc.preemptionPolicy;
    } else {
      priority = DEFAULT_POD_PRIORITY;
      preemptionPolicy = DEFAULT_PREEMPTION_POLICY;
    }
  } else {
    const def = env.lookup({ group: 'scheduling.k8s.io', version: 'v1', kind: 'PriorityClass' }) ?? priorityClasses;
    const pc = (await env.get(def, '', spec.priorityClassName)) as unknown as V1PriorityClass | undefined;
    if (!pc) throw refuse(`no PriorityClass with name ${spec.priorityClassName} was found`);
    priority = pc.value;
    preemptionPolicy = pc.preemptionPolicy;
  }

  if (spec.priority !== undefined && spec.priority !== null && spec.priority !== priority) {
    throw refuse(
      `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`,
    );
  }
  spec.priority = priority;
  if (preemptionPolicy) {
    if (spec.preemptionPolicy && spec.preemptionPolicy !== preemptionPolicy) {
      throw refuse(
        `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${preemptionPolicy} from the given PriorityClass name`,
      );
    }
    spec.preemptionPolicy = preemptionPolicy;
  }
}

/**
 * The plugin's update half: the priority it set on create stays when an update omits it
 * (pod validation forbids changing it, so only omission needs handling). Call before the
 * pod's update validation (its strategy's prepareForUpdate).
 */
export function keepPodPriority(pod: KubeObject, old: KubeObject): void {
  const spec = pod.spec as V1PodSpec | undefined;
  const was = old.spec as V1PodSpec | undefined;
  if (!spec || typeof spec !== 'object' || !was) return;
  if ((spec.priority === undefined || spec.priority === null) && was.priority !== undefined) spec.priority = was.priority;
  if (!spec.preemptionPolicy && was.preemptionPolicy) spec.preemptionPolicy = was.preemptionPolicy;
}

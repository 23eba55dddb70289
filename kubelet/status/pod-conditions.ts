/**
 * The pod conditions the kubelet owns — PodReadyToStartContainers, Initialized, Ready,
 * ContainersReady, in the order kube reports them — followed by the conditions others
 * own (DisruptionTarget, readiness-gate conditions from controllers), kept as they are, and
 * PodScheduled, which the kubelet forces True (see podScheduledTrue). Messages and reasons are kube's, word for word, since
 * users and tools match on them ('containers with unready status: [web]').
 *
 * lastTransitionTime moves only when a condition's status changes; otherwise the time
 * already in pod.status is kept, so an unchanged pod yields an unchanged status.
 */
import type { V1ContainerStatus, V1Pod, V1PodCondition } from '@kubernetes/client-node';
import { roleOf } from './container-statuses.js';
import type { PodPhase } from './pod-phase.js';
import type { SandboxView } from './types.js';
import { apiTime, toRfc3339 } from './rfc3339.js';

export const KUBELET_CONDITION_TYPES = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady'] as const;
/** conditions older kubelets owned; a newer kubelet drops them rather than leave them stale */
const RETIRED_KUBELET_CONDITION_TYPES = ['PodHasNetwork'];

type ConditionCore = Pick<V1PodCondition, 'type' | 'status' | 'reason' | 'message'>;

export interface ConditionsInput {
  pod: V1Pod;
  sandbox?: SandboxView;
  phase: PodPhase;
  initContainerStatuses: V1ContainerStatus[];
  containerStatuses: V1ContainerStatus[];
  now: Date;
}

export function podConditions(input: ConditionsInput): V1PodCondition[] {
  const containersReady = containersReadyCondition(input);
  const owned: ConditionCore[] = [
    readyToStartContainersCondition(input),
    initializedCondition(input),
    readyCondition(input, containersReady),
    containersReady,
  ];
  const old = input.pod.status?.conditions ?? [];
  const now = toRfc3339(input.now);
  const ownedWithTimes = owned.map((c): V1PodCondition => {
    const before = old.find((o) => o.type === c.type);
    const lastTransitionTime = before && before.status === c.status && before.lastTransitionTime ? before.lastTransitionTime : apiTime(now);
    const out: V1PodCondition = { type: c.type, status: c.status, lastProbeTime: null as unknown as Date, lastTransitionTime };
    if (c.reason) out.reason = c.reason;
    if (c.message) out.message = c.message;
    return out;
  });
  const ownedTypes: readonly string[] = [...KUBELET_CONDITION_TYPES, ...RETIRED_KUBELET_CONDITION_TYPES];
  return [...ownedWithTimes, ...old.filter((o) => !ownedTypes.includes(o.type)), ...podScheduledIfMissing(old, now)].map((c) =>
    c.type === 'PodScheduled' ? podScheduledTrue(c, now) : c,
  );
}

/**
 * A pod on a kubelet is scheduled, whoever bound it: the kubelet sets PodScheduled True,
 * adding it for pods created with spec.nodeName (no scheduler ever saw them), as kube's
 * generateAPIPodStatus does. The transition time moves only if it was not True before.
 */
function podScheduledTrue(c: V1PodCondition, now: string): V1PodCondition {
  if (c.status === 'True') return c;
  return { type: 'PodScheduled', status: 'True', lastProbeTime: null as unknown as Date, lastTransitionTime: apiTime(now) };
}

const podScheduledIfMissing = (old: V1PodCondition[], now: string): V1PodCondition[] =>
  old.some((o) => o.type === 'PodScheduled') ? [] : [podScheduledTrue({ type: 'PodScheduled', status: 'False' }, now)];

/** the sandbox runs and has its network, so containers can be started */
function readyToStartContainersCondition({ pod, sandbox }: ConditionsInput): ConditionCore {
  const networked = !!sandbox?.ip || pod.spec?.hostNetwork === true;
  return { type: 'PodReadyToStartContainers', status: sandbox?.ready && networked ? 'True' : 'False' };
}

function initializedCondition({ pod, phase, initContainerStatuses, containerStatuses }: ConditionsInput): ConditionCore {
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const container of pod.spec?.initContainers ?? []) {
    const status = initContainerStatuses.find((s) => s.name === container.name);
    if (!status) unknown.push(container.name);
    else if (roleOf(container, true) === 'sidecar' ? !status.started : status.state?.terminated?.exitCode !== 0)
      incomplete.push(container.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return { type: 'Initialized', status: 'True', reason: 'PodCompleted' };
  // a regular container that ran means initialization finished before (sidecars may be restarting now)
  if (containerStatuses.some(hasRun)) return { type: 'Initialized', status: 'True' };
  const message = messages(['containers with unknown status', unknown], ['containers with incomplete status', incomplete]);
  return message ? { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message } : { type: 'Initialized', status: 'True' };
}

function containersReadyCondition({ pod, phase, initContainerStatuses, containerStatuses }: ConditionsInput): ConditionCore {
  const unknown: string[] = [];
  const unready: string[] = [];
  const check = (name: string, statuses: V1ContainerStatus[]) => {
    const status = statuses.find((s) => s.name === name);
    if (!status) unknown.push(name);
    else if (!status.ready) unready.push(name);
  };
  for (const c of pod.spec?.initContainers ?? []) if (roleOf(c, true) === 'sidecar') check(c.name, initContainerStatuses);
  for (const c of pod.spec?.containers ?? []) check(c.name, containerStatuses);

  if (phase === 'Succeeded' && unknown.length === 0) return { type: 'ContainersReady', status: 'False', reason: 'PodCompleted' };
  if (phase === 'Failed') return { type: 'ContainersReady', status: 'False', reason: 'PodFailed' };
  const message = messages(['containers with unknown status', unknown], ['containers with unready status', unready]);
  return message ? { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message } : { type: 'ContainersReady', status: 'True' };
}

/** Ready = ContainersReady and every readiness gate's condition True */
function readyCondition({ pod }: ConditionsInput, containersReady: ConditionCore): ConditionCore {
  if (containersReady.status !== 'True') return { ...containersReady, type: 'Ready' };
  const unready: string[] = [];
  for (const gate of pod.spec?.readinessGates ?? []) {
    const condition = pod.status?.conditions?.find((c) => c.type === gate.conditionType);
    if (!condition) unready.push(`corresponding condition of pod readiness gate "${gate.conditionType}" does not exist.`);
    else if (condition.status !== 'True')
      unready.push(`the status of pod readiness gate "${gate.conditionType}" is not "True", but ${condition.status}`);
  }
  if (unready.length > 0) return { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message: unready.join(', ') };
  return { type: 'Ready', status: 'True' };
}

const hasRun = (s: V1ContainerStatus): boolean => !!(s.state?.running || s.state?.terminated || s.lastState?.terminated);

/** kube's "containers with unready status: [a b]" (Go's fmt of a []string), joined by ', ' */
function messages(...parts: Array<[string, string[]]>): string {
  return parts
    .filter(([, names]) => names.length > 0)
    .map(([label, names]) => `${label}: [${names.join(' ')}]`)
    .join(', ');
}

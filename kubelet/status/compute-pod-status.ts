/**
 * The status the kubelet reports for a pod, as a pure function of what it knows
 * (kube's generateAPIPodStatus plus the status manager's merge): container statuses in
 * spec order (./container-statuses.ts), the phase (./pod-phase.ts), the conditions
 * (./pod-conditions.ts), addresses and times.
 *
 * Kept from pod.status, because others own them: qosClass (the API server computes it),
 * conditions the kubelet does not own, and reason/message while the phase stays the same
 * (an eviction writes them). Pod IPs are kept after the sandbox is gone, as kube keeps a
 * completed pod's IP.
 *
 * The same input always gives a deep-equal output (fields in a fixed order, times only
 * from the input), so the pod worker can skip writing a status that did not change.
 */
import type { V1ContainerStatus, V1PodStatus } from '@kubernetes/client-node';
import { buildContainerStatus, roleOf } from './container-statuses.js';
import { podConditions } from './pod-conditions.js';
import { podPhase } from './pod-phase.js';
import { apiTime } from './rfc3339.js';
import type { ComputePodStatus, PodStatusInput } from './types.js';

export const computePodStatus: ComputePodStatus = (input) => {
  const { pod } = input;
  const old = pod.status ?? {};
  const initContainers = pod.spec?.initContainers ?? [];

  const initContainerStatuses = initContainers.map((c) =>
    buildContainerStatus(c, roleOf(c, true), { input, defaultWaitingReason: 'PodInitializing' }),
  );
  const defaultWaitingReason = initializationDone(input, initContainerStatuses) ? 'ContainerCreating' : 'PodInitializing';
  const containerStatuses = (pod.spec?.containers ?? []).map((c) => buildContainerStatus(c, 'regular', { input, defaultWaitingReason }));

  const phase = podPhase({ pod, initContainerStatuses, containerStatuses, terminating: input.terminating });
  const conditions = podConditions({ pod, sandbox: input.sandbox, phase, initContainerStatuses, containerStatuses, now: input.now });

  const status: V1PodStatus = { phase, conditions };
  if (phase === old.phase) {
    if (old.message) status.message = old.message;
    if (old.reason) status.reason = old.reason;
  }
  if (input.hostIP) {
    status.hostIP = input.hostIP;
    status.hostIPs = [{ ip: input.hostIP }];
  }
  const podIPs = podIPsOf(input);
  if (podIPs.length > 0) {
    status.podIP = podIPs[0];
    status.podIPs = podIPs.map((ip) => ({ ip }));
  }
  status.startTime = apiTime(input.startTime);
  if (initContainers.length > 0) status.initContainerStatuses = initContainerStatuses;
  status.containerStatuses = containerStatuses;
  if (old.qosClass) status.qosClass = old.qosClass;
  return status;
};

/**
 * Have the init containers done their part? Every regular one completed and every
 * sidecar started — or a regular container already ran (initialization happened before).
 */
function initializationDone(input: PodStatusInput, initStatuses: V1ContainerStatus[]): boolean {
  const regularNames = new Set((input.pod.spec?.containers ?? []).map((c) => c.name));
  if (input.containers.some((c) => regularNames.has(c.metadata.name) && c.state !== 'CONTAINER_CREATED')) return true;
  return (input.pod.spec?.initContainers ?? []).every((c, i) => {
    const status = initStatuses[i];
    return roleOf(c, true) === 'sidecar' ? !!status?.started : status?.state?.terminated?.exitCode === 0;
  });
}

/** the sandbox's IPs; a host-network pod has the node's; once the sandbox is gone, the last known */
function podIPsOf({ sandbox, pod, hostIP }: PodStatusInput): string[] {
  if (sandbox?.ip) return [sandbox.ip, ...sandbox.additionalIps.filter((ip) => ip !== sandbox.ip)];
  if (pod.spec?.hostNetwork && hostIP) return [hostIP];
  const old = pod.status?.podIPs?.map((p) => p.ip) ?? (pod.status?.podIP ? [pod.status.podIP] : []);
  return old.filter((ip): ip is string => !!ip);
}

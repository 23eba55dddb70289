/**
 * The part of a Node's status the kubelet owns, computed as a pure function of what the
 * server has now and what the kubelet knows (capacity, addresses, host and runtime), the
 * way kubelet's nodestatus setters do:
 *   - capacity and allocatable (equal: k8ts reserves nothing for the system),
 *   - addresses InternalIP + Hostname, daemonEndpoints.kubeletEndpoint.Port, nodeInfo,
 *   - conditions MemoryPressure/DiskPressure/PIDPressure False and Ready (True, or False
 *     with reason KubeletNotReady and the runtime's errors). Every condition's
 *     lastHeartbeatTime is `now`; its lastTransitionTime moves only when its status
 *     differs from the server's copy (or the condition is new).
 * `nodeStatusChanged` compares two such statuses ignoring heartbeat times, so a status is
 * posted when something real changed, or when the report interval says "post anyway".
 * Conditions owned by others (e.g. NetworkUnavailable) are left alone: the status is sent
 * as a strategic merge patch keyed by condition type.
 */
import { formatTime } from '../../client/leaderelection/kube-time.js';
import type { HostInfo } from './host-info.js';

export interface NodeCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
}

export interface NodeAddress {
  type: string;
  address: string;
}

export interface NodeInfo extends HostInfo {
  containerRuntimeVersion: string;
  kubeletVersion: string;
  kubeProxyVersion: string;
}

/** the status fields this kubelet writes */
export interface OwnedNodeStatus {
  capacity: Record<string, string>;
  allocatable: Record<string, string>;
  addresses: NodeAddress[];
  daemonEndpoints: { kubeletEndpoint: { Port: number } };
  nodeInfo: NodeInfo;
  conditions: NodeCondition[];
}

export interface NodeStatusInput {
  /** the status the server has now (undefined for a new Node) */
  current?: { conditions?: NodeCondition[] } | undefined;
  capacity: Record<string, string>;
  address: string;
  hostname: string;
  kubeletPort: number;
  host: HostInfo;
  containerRuntimeVersion: string;
  kubeletVersion: string;
  /** why the node is not ready (from the runtime); empty = ready */
  notReadyErrors: string[];
  /** Clock ms */
  now: number;
}

/** the kubelet's condition texts (pkg/kubelet/nodestatus/setters.go) */
const PRESSURE_CONDITIONS: ReadonlyArray<Pick<NodeCondition, 'type' | 'reason' | 'message'>> = [
  { type: 'MemoryPressure', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
  { type: 'DiskPressure', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
  { type: 'PIDPressure', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
];

export const OWNED_CONDITION_TYPES: readonly string[] = [...PRESSURE_CONDITIONS.map((c) => c.type), 'Ready'];

/** errors joined as Go's utilerrors.NewAggregate prints them */
export function aggregateMessage(errors: string[]): string {
  return errors.length === 1 ? errors[0]! : `[${errors.join(', ')}]`;
}

export function readyCondition(notReadyErrors: string[]): Pick<NodeCondition, 'type' | 'status' | 'reason' | 'message'> {
  if (notReadyErrors.length === 0) return { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' };
  return { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: aggregateMessage(notReadyErrors) };
}

export function computeNodeStatus(input: NodeStatusInput): OwnedNodeStatus {
  const now = formatTime(input.now);
  const previous = new Map((input.current?.conditions ?? []).map((c) => [c.type, c]));
  const withTimes = (c: Pick<NodeCondition, 'type' | 'status' | 'reason' | 'message'>): NodeCondition => {
    const before = previous.get(c.type);
    const transitioned = !before || before.status !== c.status || !before.lastTransitionTime;
    return { ...c, lastHeartbeatTime: now, lastTransitionTime: transitioned ? now : before.lastTransitionTime! };
  };
  const conditions = [...PRESSURE_CONDITIONS.map((c) => withTimes({ ...c, status: 'False' })), withTimes(readyCondition(input.notReadyErrors))];
  return {
    capacity: { ...input.capacity },
    allocatable: { ...input.capacity },
    addresses: [
      { type: 'InternalIP', address: input.address },
      { type: 'Hostname', address: input.hostname },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: input.kubeletPort } },
    nodeInfo: { ...input.host, containerRuntimeVersion: input.containerRuntimeVersion, kubeletVersion: input.kubeletVersion, kubeProxyVersion: input.kubeletVersion },
    conditions,
  };
}

/** the owned fields of a status as the server has it, in the same shape, for comparison */
function comparable(status: Partial<OwnedNodeStatus> | undefined): unknown {
  const conditions = (status?.conditions ?? [])
    .filter((c) => OWNED_CONDITION_TYPES.includes(c.type))
    .map(({ type, status, reason, message, lastTransitionTime }) => ({ type, status, reason: reason ?? '', message: message ?? '', lastTransitionTime: lastTransitionTime ?? '' }))
    .sort((a, b) => (a.type < b.type ? -1 : 1));
  const sortKeys = (o: Record<string, unknown> | undefined) => Object.fromEntries(Object.entries(o ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)));
  return {
    capacity: sortKeys(status?.capacity),
    allocatable: sortKeys(status?.allocatable),
    addresses: status?.addresses ?? [],
    port: status?.daemonEndpoints?.kubeletEndpoint?.Port ?? 0,
    nodeInfo: sortKeys(status?.nodeInfo as unknown as Record<string, unknown>),
    conditions,
  };
}

/** true when `next` differs from `current` in anything but heartbeat times */
export function nodeStatusChanged(current: Partial<OwnedNodeStatus> | undefined, next: OwnedNodeStatus): boolean {
  return JSON.stringify(comparable(current)) !== JSON.stringify(comparable(next));
}

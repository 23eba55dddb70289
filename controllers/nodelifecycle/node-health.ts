/**
 * Is the kubelet still there? kube's tryUpdateNodeHealth as a pure function.
 *
 * The controller never trusts the kubelet's clock: it remembers, per node, when IT last saw
 * a sign of life (probeTimestamp, on the controller's Clock). A sign of life is a new
 * lastHeartbeatTime on the node's Ready condition, or a newer renewTime on the node's Lease
 * in kube-node-lease (the cheap heartbeat kubelets renew every 10 s). When no sign came for
 * the grace period — nodeMonitorGracePeriod, or nodeStartupGracePeriod while the kubelet
 * never posted a Ready condition — the node's Ready, MemoryPressure, DiskPressure and
 * PIDPressure conditions turn Unknown ("Kubelet stopped posting node status."), or are
 * added as Unknown ("Kubelet never posted node status.") when missing. The write happens
 * only when the Ready condition changes, as in kube.
 *
 *   t=0   kubelet renews Lease          saved.probe = 0
 *   t=10  renews again                  saved.probe = 10
 *   t=15  kubelet dies
 *   t=50  now - probe = 40 ≤ grace      nothing
 *   t=55  now - probe = 45 > grace      conditions → Unknown, written once
 *   t=60  Ready already Unknown         nothing more to write
 */
import type { KubeObject } from '../../client/types.js';
import { formatTime, timeOf } from '../common/time.js';

export interface NodeCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
}

/** the node fields this file reads */
export interface NodeLike extends KubeObject {
  status?: { conditions?: NodeCondition[] };
}

export interface LeaseLike extends KubeObject {
  spec?: { renewTime?: string; holderIdentity?: string };
}

/** what the controller remembers per node between passes (kube's nodeHealthData) */
export interface NodeHealth {
  /** when the controller last saw a sign of life (Clock ms) */
  probeTimestamp: number;
  /** when the controller saw the Ready condition transition (Clock ms) */
  readyTransitionTimestamp: number;
  /** the Ready condition as last seen (undefined: the node had none) */
  savedReady: NodeCondition | undefined;
  /** the Lease renewTime as last seen */
  leaseRenewTime: string | undefined;
}

export interface HealthCheckInput {
  node: NodeLike;
  lease: LeaseLike | undefined;
  saved: NodeHealth | undefined;
  now: number;
  nodeMonitorGracePeriodMs: number;
  nodeStartupGracePeriodMs: number;
}

export interface HealthCheckResult {
  /** remember this for the next pass */
  health: NodeHealth;
  gracePeriodMs: number;
  /** the Ready condition as read (a synthesized Unknown one when the node has none) */
  observedReady: NodeCondition;
  /** the Ready condition after this check (undefined when the node has none and none is added) */
  currentReady: NodeCondition | undefined;
  /** the node's new status.conditions, when they must be written */
  conditions?: NodeCondition[];
  /** remember this instead of `health` once `conditions` were written */
  healthAfterWrite?: NodeHealth;
}

/** the conditions the controller turns Unknown; NetworkUnavailable is the control plane's */
export const NODE_CONDITION_TYPES_MARKED_UNKNOWN = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'] as const;

export const REASON_STATUS_UNKNOWN = 'NodeStatusUnknown';
export const MESSAGE_STATUS_UNKNOWN = 'Kubelet stopped posting node status.';
export const REASON_NEVER_UPDATED = 'NodeStatusNeverUpdated';
export const MESSAGE_NEVER_UPDATED = 'Kubelet never posted node status.';

export const readyConditionOf = (node: NodeLike): NodeCondition | undefined => node.status?.conditions?.find((c) => c.type === 'Ready');

const sameCondition = (a: NodeCondition | undefined, b: NodeCondition | undefined): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export function checkNodeHealth(input: HealthCheckInput): HealthCheckResult {
  const { node, lease, now } = input;
  const created = timeOf(node.metadata?.creationTimestamp);
  const createdAt = Number.isNaN(created) ? now : created;
  const currentReady = readyConditionOf(node);
  let health = input.saved ? { ...input.saved } : undefined;
  let gracePeriodMs: number;
  let observedReady: NodeCondition;

  if (!currentReady) {
    // the kubelet never posted a status: count the startup grace from the node's creation
    const at = node.metadata?.creationTimestamp;
    observedReady = { type: 'Ready', status: 'Unknown', ...(at ? { lastHeartbeatTime: at, lastTransitionTime: at } : {}) };
    gracePeriodMs = input.nodeStartupGracePeriodMs;
    health = health ? { ...health, savedReady: undefined } : { probeTimestamp: createdAt, readyTransitionTimestamp: createdAt, savedReady: undefined, leaseRenewTime: undefined };
  } else {
    observedReady = currentReady;
    gracePeriodMs = input.nodeMonitorGracePeriodMs;
  }

  const savedReady = input.saved?.savedReady;
  const savedLease = input.saved?.leaseRenewTime;
  if (!health) {
    // first sight of this node: assume it was heard from just now
    health = { probeTimestamp: now, readyTransitionTimestamp: now, savedReady: currentReady, leaseRenewTime: undefined };
  } else if (!savedReady && currentReady) {
    // the kubelet posted its first status (or the controller restarted)
    health = { ...health, probeTimestamp: now, readyTransitionTimestamp: now, savedReady: currentReady };
  } else if (savedReady && !currentReady) {
    // someone removed the Ready condition: kube treats it as fresh too
    health = { ...health, probeTimestamp: now, readyTransitionTimestamp: now, savedReady: undefined };
  } else if (savedReady && currentReady && savedReady.lastHeartbeatTime !== currentReady.lastHeartbeatTime) {
    const transitioned = savedReady.lastTransitionTime !== currentReady.lastTransitionTime;
    health = { ...health, probeTimestamp: now, readyTransitionTimestamp: transitioned ? now : health.readyTransitionTimestamp, savedReady: currentReady };
  }

  // a renewed Lease is a sign of life even when the status is old
  const renewTime = lease?.spec?.renewTime;
  if (renewTime && (savedLease === undefined || timeOf(savedLease) < timeOf(renewTime))) {
    health = { ...health, probeTimestamp: now, leaseRenewTime: renewTime };
  }

  const result: HealthCheckResult = { health, gracePeriodMs, observedReady, currentReady };
  if (!(now > health.probeTimestamp + gracePeriodMs)) return result;

  // silent for longer than the grace period: every condition the kubelet owns is Unknown now
  const stamp = formatTime(now);
  const conditions = structuredClone(node.status?.conditions ?? []);
  for (const type of NODE_CONDITION_TYPES_MARKED_UNKNOWN) {
    const existing = conditions.find((c) => c.type === type);
    if (!existing) {
      conditions.push({
        type,
        status: 'Unknown',
        reason: REASON_NEVER_UPDATED,
        message: MESSAGE_NEVER_UPDATED,
        ...(node.metadata?.creationTimestamp ? { lastHeartbeatTime: node.metadata.creationTimestamp } : {}),
        lastTransitionTime: stamp,
      });
    } else if (existing.status !== 'Unknown') {
      existing.status = 'Unknown';
      existing.reason = REASON_STATUS_UNKNOWN;
      existing.message = MESSAGE_STATUS_UNKNOWN;
      existing.lastTransitionTime = stamp;
    }
  }
  const nextReady = conditions.find((c) => c.type === 'Ready');
  // kube writes only when the Ready condition changed; the others follow it
  if (sameCondition(nextReady, currentReady)) return result;
  return {
    ...result,
    currentReady: nextReady,
    conditions,
    healthAfterWrite: { ...health, readyTransitionTimestamp: now, savedReady: nextReady },
  };
}

/**
 * Reporting a pod's status: gather what the runtime and prober say into a PodStatusInput,
 * let the pure computeStatus decide the V1PodStatus, and write it through the pods/status
 * subresource only when it differs from the last status written or seen. A merge patch
 * replaces lists wholesale; fields that disappeared are sent as null so they go too.
 * 409 → re-read and patch once more; 404 → the pod is gone (its deletion will reach us).
 */
import type { V1Pod, V1PodStatus } from '@kubernetes/client-node';
import type { PodSandboxStatus } from '../cri/api.js';
import type { PodStatusInput, SandboxView, WaitingReason } from '../status/types.js';
import { apiErrorCode } from './api-error-code.js';
import { terminationLogPath } from './container-config.js';
import { containerName, type RuntimePod } from './runtime-pod.js';
import type { PodRecord, SyncDeps } from './sync-context.js';
import { readTerminationMessage } from './termination-message.js';

export async function sandboxView(deps: SyncDeps, record: PodRecord, runtimePod: RuntimePod): Promise<SandboxView | undefined> {
  const newest = runtimePod.sandboxes[0];
  if (!newest) return undefined;
  let status: PodSandboxStatus | undefined;
  try {
    status = (await deps.runtime.podSandboxStatus({ podSandboxId: newest.id, verbose: false })).status;
  } catch {
    status = undefined;
  }
  const ip = status?.network?.ip || record.podIP;
  if (status?.network?.ip) record.podIP = status.network.ip;
  return {
    ready: (status?.state ?? newest.state) === 'SANDBOX_READY',
    ...(ip ? { ip } : {}),
    additionalIps: status?.network?.additionalIps.map((a) => a.ip) ?? [],
  };
}

export async function computePodStatus(deps: SyncDeps, record: PodRecord, runtimePod: RuntimePod, waiting: Record<string, WaitingReason>, terminating: boolean): Promise<V1PodStatus> {
  const now = new Date(deps.clock.now());
  record.startTime ??= record.pod.status?.startTime ? new Date(record.pod.status.startTime).toISOString() : now.toISOString();
  for (const c of runtimePod.containers) {
    if (c.state !== 'CONTAINER_EXITED' || record.terminationMessages.has(c.id)) continue;
    const path = terminationLogPath(deps.logRoot, record.uid, containerName(c), c.metadata.attempt);
    record.terminationMessages.set(c.id, await readTerminationMessage(c, path));
  }
  const terminationMessages: Record<string, string> = {};
  for (const c of runtimePod.containers) {
    const message = record.terminationMessages.get(c.id);
    if (message) terminationMessages[c.id] = message;
  }
  const sandbox = await sandboxView(deps, record, runtimePod);
  // our last write is newer than what the informer may have delivered yet
  const pod: V1Pod = { ...record.pod, status: { ...(record.pod.status ?? {}), ...(record.lastStatus ?? {}) } };
  const input: PodStatusInput = {
    pod,
    ...(sandbox ? { sandbox } : {}),
    containers: runtimePod.containers,
    waiting,
    isReady: (id) => deps.prober.isReady(id),
    isStarted: (id) => deps.prober.isStarted(id),
    terminationMessages,
    runtimeName: deps.runtimeName,
    hostIP: deps.hostIP,
    startTime: record.startTime,
    terminating,
    now,
  };
  return deps.computeStatus(input);
}

/** JSON with sorted keys, so two equal statuses compare equal whatever their key order */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

export type WriteOutcome = 'written' | 'unchanged' | 'gone';

export async function writePodStatus(deps: SyncDeps, record: PodRecord, status: V1PodStatus): Promise<WriteOutcome> {
  const json = canonicalJson(status);
  if (json === record.lastStatusJson) return 'unchanged';
  if (record.pod.status && canonicalJson(record.pod.status) === json) {
    record.lastStatus = status;
    record.lastStatusJson = json;
    return 'unchanged';
  }
  const pods = deps.client.resource('v1', 'Pod');
  const name = record.pod.metadata?.name ?? '';
  const namespace = record.pod.metadata?.namespace ?? 'default';
  // only fields this kubelet wrote are cleared: others (a scheduler's nominatedNodeName, …) are not ours
  const previous = (record.lastStatus ?? {}) as Record<string, unknown>;
  const body: Record<string, unknown> = { ...status };
  for (const key of Object.keys(previous)) if (!(key in body)) body[key] = null;
  for (let attempt = 0; ; attempt++) {
    try {
      await pods.patch(name, 'merge', { status: body }, { namespace, subresource: 'status' });
      record.lastStatus = status;
      record.lastStatusJson = json;
      return 'written';
    } catch (err) {
      const code = apiErrorCode(err);
      if (code === 404) return 'gone';
      if (code !== 409 || attempt >= 1) throw err;
      const fresh = (await pods.get(name, { namespace })) as unknown as V1Pod;
      if (fresh.metadata?.uid !== record.uid) return 'gone';
      record.pod = fresh;
    }
  }
}

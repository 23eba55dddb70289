/**
 * Asking the container runtime whether it is usable, the way the kubelet's updateRuntimeUp
 * and its runtime state do, so the Node's Ready condition carries the same messages:
 *   status() fails                   → "container runtime is down"
 *   RuntimeReady missing or false    → "container runtime not ready: RuntimeReady=false reason:… message:…"
 *   NetworkReady reported false      → "container runtime network not ready: NetworkReady=false reason:… message:…"
 * (A runtime that does not report NetworkReady at all is taken as having a network.)
 * containerRuntimeVersion is `<runtimeName>://<runtimeVersion>` from version().
 */
import type { Runtime, RuntimeCondition } from '../cri/api.js';

export type RuntimeProbe = Pick<Runtime, 'version' | 'status'>;

export interface RuntimeHealth {
  /** e.g. 'containerd://1.7.0'; undefined when version() failed */
  containerRuntimeVersion?: string;
  /** why the node is not ready; empty when the runtime is fine */
  errors: string[];
}

/** the CRI API version the kubelet announces in VersionRequest */
export const KUBELET_CRI_API_VERSION = '0.1.0';

const describe = (c: RuntimeCondition | undefined): string => (c ? `${c.type}=${c.status} reason:${c.reason} message:${c.message}` : '<nil>');

export async function checkRuntimeHealth(runtime: RuntimeProbe): Promise<RuntimeHealth> {
  const health: RuntimeHealth = { errors: [] };
  try {
    const v = await runtime.version({ version: KUBELET_CRI_API_VERSION });
    health.containerRuntimeVersion = `${v.runtimeName}://${v.runtimeVersion}`;
  } catch {
    // reported through status() below; the version is simply unknown this time
  }
  let conditions: RuntimeCondition[];
  try {
    conditions = (await runtime.status({ verbose: false })).status?.conditions ?? [];
  } catch {
    health.errors.push('container runtime is down');
    return health;
  }
  const ready = conditions.find((c) => c.type === 'RuntimeReady');
  if (!ready?.status) health.errors.push(`container runtime not ready: ${describe(ready)}`);
  const network = conditions.find((c) => c.type === 'NetworkReady');
  if (network && !network.status) health.errors.push(`container runtime network not ready: ${describe(network)}`);
  return health;
}

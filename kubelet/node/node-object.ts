/**
 * The Node a kubelet registers (metadata and spec; status is posted separately), and how
 * a restarted kubelet brings an existing Node up to date: our labels are set over the
 * Node's (labels added by others are kept), and spec.podCIDR is filled in only when the
 * Node has none — the API server refuses to change a podCIDR once set.
 */
import type { KubeObject } from '../../client/types.js';
import type { OwnedNodeStatus } from './node-status.js';

export interface NodeObject extends KubeObject {
  metadata: { name: string; uid?: string; resourceVersion?: string; labels?: Record<string, string>; [field: string]: unknown };
  spec?: { podCIDR?: string; podCIDRs?: string[]; [field: string]: unknown };
  status?: Partial<OwnedNodeStatus>;
}

export interface NodeIdentity {
  nodeName: string;
  operatingSystem: string;
  architecture: string;
  podCIDR?: string | undefined;
  extraLabels?: Record<string, string> | undefined;
}

/** the labels kubelet's initialNode sets, plus any extra ones */
export function nodeLabels(id: NodeIdentity): Record<string, string> {
  return {
    ...id.extraLabels,
    'kubernetes.io/hostname': id.nodeName,
    'kubernetes.io/os': id.operatingSystem,
    'kubernetes.io/arch': id.architecture,
    'beta.kubernetes.io/os': id.operatingSystem,
    'beta.kubernetes.io/arch': id.architecture,
  };
}

export function desiredNode(id: NodeIdentity, status?: OwnedNodeStatus): NodeObject {
  const node: NodeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: id.nodeName, labels: nodeLabels(id) }, spec: {} };
  if (id.podCIDR) node.spec = { podCIDR: id.podCIDR, podCIDRs: [id.podCIDR] };
  if (status) node.status = structuredClone(status);
  return node;
}

/**
 * `existing` updated for re-registration, or undefined when it already matches. The
 * second value explains a podCIDR we could not apply (for the log).
 */
export function reconcileExistingNode(existing: NodeObject, id: NodeIdentity): { updated?: NodeObject; podCIDRConflict?: string } {
  const labels = nodeLabels(id);
  const current = existing.metadata.labels ?? {};
  let changed = Object.entries(labels).some(([k, v]) => current[k] !== v);
  const updated: NodeObject = structuredClone(existing);
  updated.metadata.labels = { ...current, ...labels };
  let podCIDRConflict: string | undefined;
  if (id.podCIDR) {
    const have = existing.spec?.podCIDR;
    if (!have) {
      updated.spec = { ...updated.spec, podCIDR: id.podCIDR, podCIDRs: [id.podCIDR] };
      changed = true;
    } else if (have !== id.podCIDR) {
      podCIDRConflict = `the Node already has podCIDR ${have}; keeping it instead of ${id.podCIDR}`;
    }
  }
  return { ...(changed ? { updated } : {}), ...(podCIDRConflict ? { podCIDRConflict } : {}) };
}

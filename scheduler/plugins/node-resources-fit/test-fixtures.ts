/**
 * Small builders for the resource plugins' table tests: Nodes with an allocatable list,
 * Pods with per-container requests, and NodeInfos holding existing pods. Test-only; kept
 * beside the tests so each case reads as data ("node 10m/20, pod 1m/1 → Insufficient cpu").
 */
import type { V1Container, V1Node, V1Pod } from '@kubernetes/client-node';
import { NodeInfo, newPodInfo } from '../../framework/node-info.js';

export type ResourceList = Record<string, string>;

export function makeNode(name: string, allocatable: ResourceList): V1Node {
  return { metadata: { name }, status: { allocatable, capacity: allocatable } };
}

let podCounter = 0;

export interface PodSpecParts {
  /** one entry per container: its requests */
  containers?: ResourceList[];
  /** plain init containers' requests */
  initContainers?: ResourceList[];
  /** sidecars (init containers with restartPolicy Always), placed before the plain ones */
  sidecars?: ResourceList[];
  overhead?: ResourceList;
  nodeName?: string;
}

const container = (name: string, requests: ResourceList): V1Container => ({ name, image: 'busybox', resources: { requests } });

export function makePod(parts: PodSpecParts = {}, name = `pod-${++podCounter}`): V1Pod {
  const containers = (parts.containers ?? [{}]).map((r, i) => container(`c${i}`, r));
  const initContainers = [
    ...(parts.sidecars ?? []).map((r, i) => ({ ...container(`sidecar${i}`, r), restartPolicy: 'Always' })),
    ...(parts.initContainers ?? []).map((r, i) => container(`init${i}`, r)),
  ];
  return {
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: {
      containers,
      ...(initContainers.length ? { initContainers } : {}),
      ...(parts.overhead ? { overhead: parts.overhead } : {}),
      ...(parts.nodeName ? { nodeName: parts.nodeName } : {}),
    },
  };
}

/** a pod with one container requesting `requests` */
export const podRequesting = (requests: ResourceList, name?: string): V1Pod => makePod({ containers: [requests] }, name);

export function makeNodeInfo(node: V1Node, existing: V1Pod[] = []): NodeInfo {
  const info = new NodeInfo(node.metadata!.name!, node);
  for (const pod of existing) info.addPod(newPodInfo({ ...pod, spec: { ...pod.spec!, nodeName: node.metadata!.name! } }));
  return info;
}

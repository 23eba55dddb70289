/**
 * The scheduler's view of one node (kube's framework.NodeInfo): the Node, the pods on it
 * (bound, or assumed while their binding is in flight), and the sums plugins read so a
 * Filter is O(1) in the number of pods: requested resources, host ports in use, pods with
 * (anti-)affinity terms, image sizes.
 *
 * The cache changes NodeInfos in place between scheduling cycles; a cycle runs without
 * yielding, so plugins see one consistent state. Preemption simulates on clone()s.
 */
import type { V1ContainerPort, V1Node, V1Pod } from '@kubernetes/client-node';
import { addResource, cloneResource, emptyResource, podRequests, resourceFromList, type Resource } from './resource.js';

export interface HostPort {
  hostIP: string;
  protocol: string;
  hostPort: number;
}

export interface PodInfo {
  readonly pod: V1Pod;
  /** namespace/name */
  readonly key: string;
  readonly requests: Resource;
  /** requests with the 100m / 200Mi stand-ins, for scoring */
  readonly nonZeroRequests: Resource;
  readonly hostPorts: readonly HostPort[];
  /** any podAffinity or podAntiAffinity term, required or preferred */
  readonly hasAffinity: boolean;
  readonly hasRequiredAntiAffinity: boolean;
  readonly priority: number;
}

/** an image's size on this node and on how many nodes of the cluster it is present (ImageLocality) */
export interface ImageState {
  size: number;
  numNodes: number;
}

export const podKey = (pod: V1Pod): string => `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;

export function podHostPorts(pod: V1Pod): HostPort[] {
  const ports: HostPort[] = [];
  const collect = (list: V1ContainerPort[] | undefined) => {
    for (const p of list ?? []) {
      if (!p.hostPort) continue;
      ports.push({ hostIP: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', hostPort: p.hostPort });
    }
  };
  for (const c of pod.spec?.initContainers ?? []) if (c.restartPolicy === 'Always') collect(c.ports);
  for (const c of pod.spec?.containers ?? []) collect(c.ports);
  return ports;
}

export function newPodInfo(pod: V1Pod): PodInfo {
  const affinity = pod.spec?.affinity;
  const anti = affinity?.podAntiAffinity;
  const aff = affinity?.podAffinity;
  return {
    pod,
    key: podKey(pod),
    requests: podRequests(pod),
    nonZeroRequests: podRequests(pod, { nonZero: true }),
    hostPorts: podHostPorts(pod),
    hasAffinity: Boolean(
      aff?.requiredDuringSchedulingIgnoredDuringExecution?.length ||
        aff?.preferredDuringSchedulingIgnoredDuringExecution?.length ||
        anti?.requiredDuringSchedulingIgnoredDuringExecution?.length ||
        anti?.preferredDuringSchedulingIgnoredDuringExecution?.length,
    ),
    hasRequiredAntiAffinity: Boolean(anti?.requiredDuringSchedulingIgnoredDuringExecution?.length),
    priority: pod.spec?.priority ?? 0,
  };
}

let generations = 0;
/** a process-wide counter: every change to any NodeInfo gets a larger number */
export const nextGeneration = (): number => ++generations;

export class NodeInfo {
  node: V1Node | undefined;
  readonly pods = new Map<string, PodInfo>();
  readonly podsWithAffinity = new Map<string, PodInfo>();
  readonly podsWithRequiredAntiAffinity = new Map<string, PodInfo>();
  requested: Resource = emptyResource();
  nonZeroRequested: Resource = emptyResource();
  allocatable: Resource = emptyResource();
  usedPorts: HostPort[] = [];
  /** normalized image name → state; the cache fills it from node.status.images */
  imageStates = new Map<string, ImageState>();
  generation = nextGeneration();

  constructor(readonly name: string, node?: V1Node) {
    if (node) this.setNode(node);
  }

  setNode(node: V1Node): void {
    this.node = node;
    this.allocatable = resourceFromList(node.status?.allocatable as Record<string, string> | undefined);
    this.generation = nextGeneration();
  }

  /** the pods as an array (a fresh one) */
  podList(): PodInfo[] {
    return [...this.pods.values()];
  }

  addPod(info: PodInfo): void {
    if (this.pods.has(info.key)) this.removePod(info.key);
    this.pods.set(info.key, info);
    if (info.hasAffinity) this.podsWithAffinity.set(info.key, info);
    if (info.hasRequiredAntiAffinity) this.podsWithRequiredAntiAffinity.set(info.key, info);
    addResource(this.requested, info.requests);
    addResource(this.nonZeroRequested, info.nonZeroRequests);
    this.requested.allowedPodNumber += 1;
    for (const p of info.hostPorts) this.usedPorts.push(p);
    this.generation = nextGeneration();
  }

  /** false when the pod was not here */
  removePod(key: string): boolean {
    const info = this.pods.get(key);
    if (!info) return false;
    this.pods.delete(key);
    this.podsWithAffinity.delete(key);
    this.podsWithRequiredAntiAffinity.delete(key);
    addResource(this.requested, info.requests, -1);
    addResource(this.nonZeroRequested, info.nonZeroRequests, -1);
    this.requested.allowedPodNumber -= 1;
    if (info.hostPorts.length) {
      const gone = new Set(info.hostPorts);
      this.usedPorts = this.usedPorts.filter((p) => !gone.has(p));
    }
    this.generation = nextGeneration();
    return true;
  }

  clone(): NodeInfo {
    const c = new NodeInfo(this.name);
    c.node = this.node;
    for (const [k, v] of this.pods) c.pods.set(k, v);
    for (const [k, v] of this.podsWithAffinity) c.podsWithAffinity.set(k, v);
    for (const [k, v] of this.podsWithRequiredAntiAffinity) c.podsWithRequiredAntiAffinity.set(k, v);
    c.requested = cloneResource(this.requested);
    c.nonZeroRequested = cloneResource(this.nonZeroRequested);
    c.allocatable = cloneResource(this.allocatable);
    c.usedPorts = [...this.usedPorts];
    c.imageStates = this.imageStates;
    c.generation = this.generation;
    return c;
  }
}

/**
 * The scheduler's cache (kube's internal/cache): a NodeInfo per node, kept up to date
 * incrementally from the node and assigned-pod informers, plus "assumed" pods — pods the
 * scheduler has placed whose binding is still in flight, counted on their node at once
 * so the next cycle (which does not wait for the bind) sees the room as taken.
 *
 * The cache is the snapshot: a scheduling cycle runs without yielding, so it reads the
 * NodeInfos directly and nothing can change underneath it; only NodeInfos that changed
 * did any work (no per-cycle copy of 5,000 nodes).
 */
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { newPodInfo, NodeInfo, podKey, type PodInfo } from '../framework/node-info.js';
import type { Snapshot } from '../framework/types.js';
import { nodeOrder } from './node-order.js';

interface PodState {
  info: PodInfo;
  nodeName: string;
  assumed: boolean;
}

export class SchedulerCache implements Snapshot {
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly podStates = new Map<string, PodState>();
  /** image name (as the node reports it) → node names that have it */
  private readonly imageNodes = new Map<string, Set<string>>();
  private readonly withAffinity = new Set<string>();
  private readonly withRequiredAnti = new Set<string>();
  private ordered: NodeInfo[] | undefined;
  private affinityList: NodeInfo[] | undefined;
  private antiList: NodeInfo[] | undefined;

  // --- Snapshot --------------------------------------------------------------------

  list(): readonly NodeInfo[] {
    this.ordered ??= nodeOrder([...this.nodes.values()].filter((n) => n.node));
    return this.ordered;
  }

  get(nodeName: string): NodeInfo | undefined {
    const n = this.nodes.get(nodeName);
    return n?.node ? n : undefined;
  }

  havePodsWithAffinityList(): readonly NodeInfo[] {
    this.affinityList ??= [...this.withAffinity].map((n) => this.nodes.get(n)).filter((n): n is NodeInfo => Boolean(n?.node));
    return this.affinityList;
  }

  havePodsWithRequiredAntiAffinityList(): readonly NodeInfo[] {
    this.antiList ??= [...this.withRequiredAnti].map((n) => this.nodes.get(n)).filter((n): n is NodeInfo => Boolean(n?.node));
    return this.antiList;
  }

  imageNodeCount(image: string): number {
    return this.imageNodes.get(image)?.size ?? 0;
  }

  /** how many nodes the scheduler knows (with a Node object) */
  nodeCount(): number {
    return this.list().length;
  }

  // --- nodes -----------------------------------------------------------------------

  addNode(node: V1Node): void {
    const name = node.metadata?.name ?? '';
    let info = this.nodes.get(name);
    if (!info) {
      info = new NodeInfo(name, node);
      this.nodes.set(name, info);
      this.ordered = undefined;
    } else {
      const hadNode = Boolean(info.node);
      const oldZone = zoneOf(info.node);
      info.setNode(node);
      if (!hadNode || oldZone !== zoneOf(node)) this.ordered = undefined;
    }
    this.setImages(name, node);
    this.refreshAffinityLists(info);
  }

  updateNode(node: V1Node): void {
    this.addNode(node);
  }

  removeNode(node: V1Node): void {
    const name = node.metadata?.name ?? '';
    const info = this.nodes.get(name);
    if (!info) return;
    this.setImages(name, undefined);
    // pods still bound to a deleted node stay counted until they go (as kube does)
    if (info.pods.size === 0) this.nodes.delete(name);
    else info.node = undefined;
    this.ordered = undefined;
    this.refreshAffinityLists(info);
  }

  private setImages(nodeName: string, node: V1Node | undefined): void {
    for (const [image, holders] of this.imageNodes) {
      if (holders.delete(nodeName) && holders.size === 0) this.imageNodes.delete(image);
    }
    for (const image of node?.status?.images ?? []) {
      for (const name of image.names ?? []) {
        let holders = this.imageNodes.get(name);
        if (!holders) this.imageNodes.set(name, (holders = new Set()));
        holders.add(nodeName);
      }
    }
  }

  // --- pods ------------------------------------------------------------------------

  /** the scheduler placed the pod; its binding is in flight */
  assumePod(pod: V1Pod, nodeName: string): void {
    const info = newPodInfo(pod);
    this.placePod(info, nodeName, true);
  }

  /** the binding failed: take the assumed pod back off its node */
  forgetPod(pod: V1Pod): void {
    const key = podKey(pod);
    const state = this.podStates.get(key);
    if (!state?.assumed) return;
    this.unplacePod(key);
  }

  isAssumed(pod: V1Pod): boolean {
    return this.podStates.get(podKey(pod))?.assumed ?? false;
  }

  /** a bound pod the informer saw: confirms an assumed one, or adds it */
  addPod(pod: V1Pod): void {
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) return;
    this.placePod(newPodInfo(pod), nodeName, false);
  }

  updatePod(pod: V1Pod): void {
    this.addPod(pod);
  }

  removePod(pod: V1Pod): void {
    this.unplacePod(podKey(pod));
  }

  private placePod(info: PodInfo, nodeName: string, assumed: boolean): void {
    const old = this.podStates.get(info.key);
    if (old && old.nodeName !== nodeName) this.unplacePod(info.key);
    let node = this.nodes.get(nodeName);
    if (!node) {
      // a pod can arrive before its node: keep a NodeInfo without a Node (not listed)
      node = new NodeInfo(nodeName);
      this.nodes.set(nodeName, node);
    }
    node.addPod(info);
    this.podStates.set(info.key, { info, nodeName, assumed });
    this.refreshAffinityLists(node);
  }

  private unplacePod(key: string): void {
    const state = this.podStates.get(key);
    if (!state) return;
    this.podStates.delete(key);
    const node = this.nodes.get(state.nodeName);
    if (!node) return;
    node.removePod(key);
    if (!node.node && node.pods.size === 0) this.nodes.delete(state.nodeName);
    this.refreshAffinityLists(node);
  }

  private refreshAffinityLists(node: NodeInfo): void {
    const present = this.nodes.has(node.name) && Boolean(node.node);
    const aff = present && node.podsWithAffinity.size > 0;
    const anti = present && node.podsWithRequiredAntiAffinity.size > 0;
    if (aff !== this.withAffinity.has(node.name)) {
      if (aff) this.withAffinity.add(node.name);
      else this.withAffinity.delete(node.name);
      this.affinityList = undefined;
    } else if (aff) this.affinityList = undefined;
    if (anti !== this.withRequiredAnti.has(node.name)) {
      if (anti) this.withRequiredAnti.add(node.name);
      else this.withRequiredAnti.delete(node.name);
      this.antiList = undefined;
    } else if (anti) this.antiList = undefined;
  }

  /** for the debug endpoint and tests */
  dump(): { nodes: number; pods: number; assumed: number } {
    let assumed = 0;
    for (const s of this.podStates.values()) if (s.assumed) assumed++;
    return { nodes: this.list().length, pods: this.podStates.size, assumed };
  }
}

const zoneOf = (node: V1Node | undefined): string => node?.metadata?.labels?.['topology.kubernetes.io/zone'] ?? '';

/**
 * ImageLocality (Score): prefer nodes that already have the pod's images, so the pod
 * starts without a pull. kube's algorithm:
 *
 *   for every container and init container whose image the node has:
 *       sum += imageSize * (nodesWithImage / totalNodes)      (the spread factor)
 *   clamp sum to [23 MiB, 1000 MiB * numberOfContainers]
 *   score = 100 * (sum - 23 MiB) / (max - 23 MiB)
 *
 * The spread factor damps an image present on few nodes so pods do not pile onto them
 * (the "node heating" problem). Sizes come from nodeInfo.imageStates when the cache
 * filled it, else from node.status.images with the snapshot's imageNodeCount.
 */
import type { V1Container, V1Node, V1Pod } from '@kubernetes/client-node';
import type { CycleState } from '../../framework/cycle-state.js';
import type { ImageState, NodeInfo } from '../../framework/node-info.js';
import { MAX_NODE_SCORE, type Handle, type PluginFactory, type ScorePlugin, type Snapshot } from '../../framework/types.js';
import { imageLookupNames } from './image-name.js';

export { dockerCanonicalImageName, normalizedImageName } from './image-name.js';

export const NAME = 'ImageLocality';

const MB = 1024 * 1024;
export const MIN_THRESHOLD = 23 * MB;
export const MAX_CONTAINER_THRESHOLD = 1000 * MB;

/** kube's calculatePriority: the clamped sum scaled to 0..100, truncated like int64 maths */
export function calculatePriority(sumScores: number, numContainers: number): number {
  const maxThreshold = MAX_CONTAINER_THRESHOLD * numContainers;
  const sum = Math.min(Math.max(sumScores, MIN_THRESHOLD), maxThreshold);
  if (maxThreshold <= MIN_THRESHOLD) return 0;
  return Math.trunc((MAX_NODE_SCORE * (sum - MIN_THRESHOLD)) / (maxThreshold - MIN_THRESHOLD));
}

/** lookup names per image reference: computed once, not once per node per pod (bounded) */
const lookupNames = new Map<string, readonly string[]>();
function cachedLookupNames(image: string): readonly string[] {
  let names = lookupNames.get(image);
  if (!names) {
    if (lookupNames.size >= 4096) lookupNames.clear();
    lookupNames.set(image, (names = imageLookupNames(image)));
  }
  return names;
}

/** the image's state on this node, under any of its lookup names */
function imageStateOn(nodeInfo: NodeInfo, node: V1Node | undefined, image: string, snapshot: Snapshot): ImageState | undefined {
  if (nodeInfo.imageStates.size === 0 && !node?.status?.images?.length) return undefined;
  const names = cachedLookupNames(image);
  for (const name of names) {
    const s = nodeInfo.imageStates.get(name);
    if (s) return s;
  }
  for (const img of node?.status?.images ?? []) {
    const hit = names.find((n) => img.names?.includes(n));
    if (hit) return { size: img.sizeBytes ?? 0, numNodes: snapshot.imageNodeCount(hit) };
  }
  return undefined;
}

/** kube's sumImageScores: each present image's size scaled by its spread */
export function sumImageScores(nodeInfo: NodeInfo, containers: readonly V1Container[], totalNodes: number, snapshot: Snapshot): number {
  if (totalNodes <= 0) return 0;
  let sum = 0;
  for (const c of containers) {
    if (!c.image) continue;
    const state = imageStateOn(nodeInfo, nodeInfo.node, c.image, snapshot);
    if (state) sum += Math.trunc(state.size * (state.numNodes / totalNodes));
  }
  return sum;
}

export class ImageLocality implements ScorePlugin {
  readonly name = NAME;
  constructor(private readonly handle: Handle) {}

  score(_state: CycleState, pod: V1Pod, nodeInfo: NodeInfo): { score: number } {
    const snapshot = this.handle.snapshot();
    const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
    if (containers.length === 0) return { score: 0 };
    return { score: calculatePriority(sumImageScores(nodeInfo, containers, snapshot.list().length, snapshot), containers.length) };
  }
}

export const factory: PluginFactory = (_args, handle) => new ImageLocality(handle);

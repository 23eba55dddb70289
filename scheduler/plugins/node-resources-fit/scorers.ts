/**
 * The three NodeResourcesFit scoring strategies as pure functions over two vectors — what
 * the node would have requested with the pod on it, and what it can allocate — one entry
 * per configured resource (kube's least_allocated.go, most_allocated.go,
 * requested_to_capacity_ratio.go). An entry with allocatable 0 is a resource the node or
 * pod does not have; it is left out of the weighted average.
 *
 * The arithmetic is kube's int64 arithmetic, integer division included, so the same
 * cluster gets the same scores: e.g. LeastAllocated on a 4000m node with 3000m requested
 * scores (4000-3000)*100/4000 = 25 for cpu.
 */
import { MAX_NODE_SCORE } from '../../framework/types.js';
import { MAX_CUSTOM_PRIORITY_SCORE, type ResourceSpec, type ScoringStrategy, type UtilizationShapePoint } from './args.js';

/** requested[i] and allocatable[i] for resources[i] → a score in [0, MAX_NODE_SCORE] */
export type ResourceScorer = (requested: readonly number[], allocatable: readonly number[]) => number;

/**
 * floor(a * b / c) for non-negative integers, exact like Go's int64 even when a*b passes
 * 2^53 (memory in bytes times 100 does, on nodes past 90 TiB).
 */
export function mulDiv(a: number, b: number, c: number): number {
  const product = a * b;
  if (Number.isSafeInteger(product)) return Math.floor(product / c);
  return Number((BigInt(a) * BigInt(b)) / BigInt(c));
}

/** the free share: (capacity - requested) * 100 / capacity; 0 when over-committed */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return mulDiv(capacity - requested, MAX_NODE_SCORE, capacity);
}

/** the used share: requested * 100 / capacity; requests past capacity (the non-zero stand-ins can do that) count as full */
export function mostRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0) return 0;
  return mulDiv(Math.min(requested, capacity), MAX_NODE_SCORE, capacity);
}

/** Σ score(i)·weight(i) / Σ weight(i), integer division, over the resources the node has */
function weightedAverage(resources: readonly ResourceSpec[], perResource: (requested: number, capacity: number) => number): ResourceScorer {
  return (requested, allocatable) => {
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const weight = resources[i]!.weight;
      nodeScore += perResource(requested[i]!, allocatable[i]!) * weight;
      weightSum += weight;
    }
    return weightSum === 0 ? 0 : Math.floor(nodeScore / weightSum);
  };
}

export const leastAllocatedScorer = (resources: readonly ResourceSpec[]): ResourceScorer => weightedAverage(resources, leastRequestedScore);
export const mostAllocatedScorer = (resources: readonly ResourceSpec[]): ResourceScorer => weightedAverage(resources, mostRequestedScore);

/**
 * A piecewise-linear function through the shape's points (kube's BuildBrokenLinearFunction):
 * flat before the first point and after the last one. Division truncates toward zero as
 * Go's does, which matters on a falling segment.
 */
export function brokenLinearFunction(shape: readonly UtilizationShapePoint[]): (utilization: number) => number {
  if (shape.length === 0) return () => 0;
  return (p) => {
    for (let i = 0; i < shape.length; i++) {
      const point = shape[i]!;
      if (p > point.utilization) continue;
      if (i === 0) return point.score;
      const prev = shape[i - 1]!;
      return prev.score + Math.trunc(((point.score - prev.score) * (p - prev.utilization)) / (point.utilization - prev.utilization));
    }
    return shape[shape.length - 1]!.score;
  };
}

const MAX_UTILIZATION = 100;

/**
 * RequestedToCapacityRatio: each resource's utilization (percent, integer) through the
 * shape, whose 0..10 scores are first scaled to 0..100. Unlike the other two, a resource
 * scoring 0 does not count toward the weights, and the average is rounded, not truncated.
 */
export function requestedToCapacityRatioScorer(resources: readonly ResourceSpec[], shape: readonly UtilizationShapePoint[]): ResourceScorer {
  const scale = MAX_NODE_SCORE / MAX_CUSTOM_PRIORITY_SCORE;
  const raw = brokenLinearFunction(shape.map((p) => ({ utilization: p.utilization, score: p.score * scale })));
  const perResource = (requested: number, capacity: number): number =>
    capacity === 0 || requested > capacity ? raw(MAX_UTILIZATION) : raw(mulDiv(requested, MAX_UTILIZATION, capacity));
  return (requested, allocatable) => {
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const weight = resources[i]!.weight;
      const score = perResource(requested[i]!, allocatable[i]!);
      if (score > 0) {
        nodeScore += score * weight;
        weightSum += weight;
      }
    }
    return weightSum === 0 ? 0 : Math.round(nodeScore / weightSum);
  };
}

/** the scorer a (validated) scoring strategy asks for */
export function scorerFor(strategy: ScoringStrategy): ResourceScorer {
  switch (strategy.type) {
    case 'MostAllocated':
      return mostAllocatedScorer(strategy.resources);
    case 'RequestedToCapacityRatio':
      return requestedToCapacityRatioScorer(strategy.resources, strategy.requestedToCapacityRatio?.shape ?? []);
    default:
      return leastAllocatedScorer(strategy.resources);
  }
}

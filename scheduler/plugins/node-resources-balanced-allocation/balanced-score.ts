/**
 * How evenly a node would be used with the pod on it (kube's balancedResourceScorer):
 * each resource's requested fraction (capped at 1), their standard deviation, and
 * score = int((1 - std) * 100). A node whose cpu is 80 % requested but memory 20 % scores
 * int((1 - 0.3) * 100) = 70; one at 50 % / 50 % scores 100 — so pods of different shapes
 * end up sharing nodes instead of stranding one resource.
 *
 * Floating point like kube's float64 (JavaScript numbers are the same IEEE doubles), and
 * the same shortcut for two resources, |f1 - f2| / 2, so scores match kube's bit for bit.
 */
import { MAX_NODE_SCORE } from '../../framework/types.js';

/** requested[i] / allocatable[i] per resource; allocatable 0 = not scored */
export function balancedResourceScore(requested: readonly number[], allocatable: readonly number[]): number {
  const fractions: number[] = [];
  let total = 0;
  for (let i = 0; i < requested.length; i++) {
    if (allocatable[i] === 0) continue;
    const fraction = Math.min(requested[i]! / allocatable[i]!, 1);
    total += fraction;
    fractions.push(fraction);
  }
  let std = 0;
  if (fractions.length === 2) {
    std = Math.abs((fractions[0]! - fractions[1]!) / 2);
  } else if (fractions.length > 2) {
    const mean = total / fractions.length;
    let sum = 0;
    for (const f of fractions) sum += (f - mean) * (f - mean);
    std = Math.sqrt(sum / fractions.length);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

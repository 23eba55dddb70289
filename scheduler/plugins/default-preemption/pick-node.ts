/**
 * Which candidate node to preempt on (kube's pickOneNodeForPreemption). Each rule keeps
 * only the nodes with the best score; the next rule breaks the remaining ties:
 *
 *   1. fewest PDB violations;
 *   2. lowest priority of the most important victim;
 *   3. smallest sum of victim priorities, each shifted by 2^31 so every term is
 *      non-negative (otherwise more pods of negative priority would look "cheaper");
 *   4. fewest victims;
 *   5. latest start among the highest-priority victims (evict the youngest work);
 *   6. the first remaining node in the candidates' order.
 *
 * Victims are most important first, so victims[0] has the highest priority.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { podPriority } from './eligibility.js';
import { earliestStartOfHighestPriority } from './pod-importance.js';

export interface Candidate {
  nodeName: string;
  /** most important first; never empty */
  victims: V1Pod[];
  numPdbViolations: number;
}

const PRIORITY_OFFSET = 2 ** 31; // kube's MaxInt32 + 1

export function pickOneNodeForPreemption(candidates: readonly Candidate[], now: number): Candidate | undefined {
  if (candidates.length <= 1) return candidates[0];
  const rules: Array<(c: Candidate) => number> = [
    (c) => -c.numPdbViolations,
    (c) => -podPriority(c.victims[0]!),
    (c) => -c.victims.reduce((sum, p) => sum + podPriority(p) + PRIORITY_OFFSET, 0),
    (c) => -c.victims.length,
    (c) => earliestStartOfHighestPriority(c.victims, now) ?? -Infinity,
  ];
  let remaining = [...candidates];
  for (const score of rules) {
    let best = -Infinity;
    let kept: Candidate[] = [];
    for (const c of remaining) {
      const s = score(c);
      if (s > best) {
        best = s;
        kept = [c];
      } else if (s === best) {
        kept.push(c);
      }
    }
    if (kept.length === 1) return kept[0];
    remaining = kept;
  }
  return remaining[0];
}

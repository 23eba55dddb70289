/**
 * kube's helper.DefaultNormalizeScore: scale raw scores so the highest becomes maxScore
 * (integer arithmetic, truncating, like kube's int64 maths). With `reverse`, fewer is
 * better (TaintToleration counts intolerable taints): every score becomes maxScore minus
 * its scaled value, and when all raw scores are 0 every node gets maxScore.
 */
import { MAX_NODE_SCORE, type NodeScore } from '../../framework/types.js';

export function defaultNormalizeScore(scores: NodeScore[], reverse: boolean, maxScore = MAX_NODE_SCORE): void {
  let maxCount = 0;
  for (const s of scores) if (s.score > maxCount) maxCount = s.score;
  if (maxCount === 0) {
    if (reverse) for (const s of scores) s.score = maxScore;
    return;
  }
  for (const s of scores) {
    const scaled = Math.trunc((maxScore * s.score) / maxCount);
    s.score = reverse ? maxScore - scaled : scaled;
  }
}

/**
 * The per-node table of one decision, built only when someone reads it (the debug
 * endpoint): the chosen node first, then the other feasible nodes by total score, then
 * the rejected nodes with the plugin and reasons that rejected them. Building it for every
 * pod would cost more than scheduling it (hundreds of nodes × every score plugin).
 */
import type { ScoreResult } from '../framework/runtime.js';
import type { NodeToStatusMap } from '../framework/types.js';
import type { NodeDecision } from './decision.js';

export function decisionTable(input: { node?: string; feasible: readonly string[]; scores?: ScoreResult; statuses: NodeToStatusMap }): NodeDecision[] {
  const { node, scores } = input;
  let feasible: NodeDecision[];
  if (scores) {
    feasible = scores.totals.map((t, i) => {
      const perPlugin: Record<string, number> = {};
      for (const [plugin, perNode] of scores.byPlugin) perPlugin[plugin] = perNode[i] ?? 0;
      return { node: t.name, scores: perPlugin, total: t.score };
    });
    feasible.sort((a, b) => (a.node === node ? -1 : b.node === node ? 1 : b.total! - a.total!));
  } else feasible = input.feasible.map((n) => ({ node: n }));
  const rejected: NodeDecision[] = [...input.statuses].map(([n, s]) => ({
    node: n,
    rejectedBy: { ...(s.plugin ? { plugin: s.plugin } : {}), code: s.code, reasons: s.reasons },
  }));
  return [...feasible, ...rejected];
}

/** the `n` best totals, best first, without sorting them all */
export function topScores(scores: ScoreResult | undefined, n = 3): Array<{ node: string; total: number }> {
  const top: Array<{ node: string; total: number }> = [];
  for (const t of scores?.totals ?? []) {
    if (top.length === n && t.score <= top[n - 1]!.total) continue;
    let i = top.length;
    while (i > 0 && top[i - 1]!.total < t.score) i--;
    top.splice(i, 0, { node: t.name, total: t.score });
    if (top.length > n) top.pop();
  }
  return top;
}

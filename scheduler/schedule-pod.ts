/**
 * One pod's placement, the synchronous heart of a scheduling cycle (kube's schedulePod):
 * PreFilter → Filter on nodes until enough feasible ones are found
 * (percentageOfNodesToScore, starting where the previous pod stopped so every node gets
 * its turn) → PreScore/Score → the best node, ties broken at random.
 *
 * It never yields: the cache cannot change while it runs. It returns everything the
 * decision record needs (statuses, scores), not just the node; the per-node table is only
 * built when someone asks for it (decisions/decision-table.ts).
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { CycleState } from './framework/cycle-state.js';
import type { NodeInfo } from './framework/node-info.js';
import type { Framework } from './framework/runtime.js';
import { isSuccess, unresolvable, type Status } from './framework/status.js';
import type { NodeToStatusMap, Snapshot } from './framework/types.js';
import type { ScoreResult } from './framework/runtime.js';
import { numFeasibleNodesToFind } from './config/adaptive-percentage.js';

export interface SchedulePodInput {
  framework: Framework;
  snapshot: Snapshot;
  state: CycleState;
  pod: V1Pod;
  /** the scheduler-wide percentageOfNodesToScore (0 = adaptive); the profile's wins */
  percentageOfNodesToScore: number;
  /** where the previous pod's node search stopped */
  nextStartNodeIndex: number;
  random?: () => number;
}

export interface SchedulePodResult {
  /** set when a node was chosen */
  node?: string;
  /** set when the cycle failed with an internal error (not a fit problem) */
  error?: Status;
  /** why each rejected node was rejected */
  statuses: NodeToStatusMap;
  totalNodes: number;
  evaluatedNodes: number;
  feasibleNodes: number;
  nextStartNodeIndex: number;
  /** the feasible nodes' names */
  feasible: string[];
  /** per-plugin scores of the feasible nodes, when there was more than one */
  scores?: ScoreResult;
}

export function schedulePod(input: SchedulePodInput): SchedulePodResult {
  const { framework, snapshot, state, pod } = input;
  const all = snapshot.list();
  const statuses: NodeToStatusMap = new Map();
  const base = { statuses, totalNodes: all.length, evaluatedNodes: 0, feasibleNodes: 0, nextStartNodeIndex: input.nextStartNodeIndex, feasible: [] as string[] };
  if (all.length === 0) return base;

  const pre = framework.runPreFilterPlugins(state, pod, all);
  if (!isSuccess(pre.status)) {
    if (pre.status.code === 'Error') return { ...base, error: pre.status };
    // a PreFilter rejection rejects every node, for the same reason
    for (const n of all) statuses.set(n.name, pre.status);
    return base;
  }
  let candidates: readonly NodeInfo[] = all;
  if (pre.nodeNames) {
    const allowed = pre.nodeNames;
    const excluded = unresolvable(`node(s) didn't satisfy plugin(s) [${framework.preFilter.map((p) => p.name).join(' ')}]`);
    candidates = all.filter((n) => {
      if (allowed.has(n.name)) return true;
      statuses.set(n.name, excluded);
      return false;
    });
  }

  // a preemptor's nominated node first: if it fits there now, that is where it goes
  const nominated = pod.status?.nominatedNodeName;
  let feasible: NodeInfo[] = [];
  if (nominated) {
    const n = snapshot.get(nominated);
    if (n && candidates.includes(n)) {
      const s = framework.runFilterPluginsWithNominatedPods(state, pod, n);
      if (s.code === 'Error') return { ...base, error: s };
      if (isSuccess(s)) feasible = [n];
    }
  }

  let evaluated = 0;
  let next = input.nextStartNodeIndex;
  if (feasible.length === 0) {
    const pct = framework.percentageOfNodesToScore ?? input.percentageOfNodesToScore;
    const want = numFeasibleNodesToFind(pct, candidates.length);
    const start = input.nextStartNodeIndex % candidates.length;
    for (let i = 0; i < candidates.length && feasible.length < want; i++) {
      const n = candidates[(start + i) % candidates.length]!;
      evaluated++;
      const s = framework.runFilterPluginsWithNominatedPods(state, pod, n);
      if (s.code === 'Error') return { ...base, evaluatedNodes: evaluated, error: s };
      if (isSuccess(s)) feasible.push(n);
      else statuses.set(n.name, s);
    }
    next = (start + evaluated) % candidates.length;
  } else evaluated = 1;

  const out = { ...base, evaluatedNodes: evaluated, feasibleNodes: feasible.length, nextStartNodeIndex: next, feasible: feasible.map((n) => n.name) };
  if (feasible.length === 0) return out;
  if (feasible.length === 1) return { ...out, node: feasible[0]!.name };

  const preScore = framework.runPreScorePlugins(state, pod, feasible);
  if (!isSuccess(preScore)) return { ...out, error: preScore };
  const scored = framework.runScorePlugins(state, pod, feasible);
  if (!scored.result) return { ...out, error: scored.status };

  // the best total; ties: each tied node is equally likely (kube's reservoir sampling)
  const random = input.random ?? Math.random;
  let best = scored.result.totals[0]!;
  let ties = 1;
  for (let i = 1; i < scored.result.totals.length; i++) {
    const s = scored.result.totals[i]!;
    if (s.score > best.score) {
      best = s;
      ties = 1;
    } else if (s.score === best.score) {
      ties++;
      if (random() * ties < 1) best = s;
    }
  }
  return { ...out, node: best.name, scores: scored.result };
}

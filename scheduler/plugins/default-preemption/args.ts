/**
 * DefaultPreemptionArgs (kube's config.DefaultPreemptionArgs) and how many candidate
 * nodes a preemption dry-runs. Checking every node of a large cluster for victims is
 * expensive, so kube stops once it has max(percentage of the nodes, absolute) candidates
 * (at least one of them not violating a PDB); small clusters therefore check every node.
 */
import type { EventRecorder } from '../../../client/events/types.js';

export interface DefaultPreemptionArgs {
  /** at least this percentage of the nodes become candidates (kube default 10) */
  minCandidateNodesPercentage: number;
  /** at least this many nodes become candidates (kube default 100) */
  minCandidateNodesAbsolute: number;
}

export const DEFAULT_ARGS: DefaultPreemptionArgs = Object.freeze({ minCandidateNodesPercentage: 10, minCandidateNodesAbsolute: 100 });

/** what the profile may pass besides kube's args: k8ts wiring, never read from YAML */
export interface DefaultPreemptionExtras {
  /** records the Preempted event on each victim; without one no event is written */
  events?: Pick<EventRecorder, 'event'>;
  /** random offset into the potential nodes, in [0, n); tests make it deterministic */
  randomInt?: (n: number) => number;
}

/** profile args merged over kube's defaults; throws a clear Error on invalid values (as kube's ValidateDefaultPreemptionArgs) */
export function resolveArgs(raw: unknown): DefaultPreemptionArgs & DefaultPreemptionExtras {
  const given = (raw ?? {}) as Partial<DefaultPreemptionArgs> & DefaultPreemptionExtras;
  if (typeof given !== 'object' || Array.isArray(given)) throw new Error(`DefaultPreemption: args must be an object, got ${typeof raw}`);
  const args = { ...DEFAULT_ARGS, ...given };
  const pct = args.minCandidateNodesPercentage;
  const abs = args.minCandidateNodesAbsolute;
  if (!Number.isInteger(pct) || pct < 0 || pct > 100)
    throw new Error(`DefaultPreemption: minCandidateNodesPercentage: Invalid value: ${String(pct)}: not in valid range [0, 100]`);
  if (!Number.isInteger(abs) || abs < 0)
    throw new Error(`DefaultPreemption: minCandidateNodesAbsolute: Invalid value: ${String(abs)}: not in valid range [0, inf)`);
  if (pct === 0 && abs === 0) throw new Error('DefaultPreemption: both minCandidateNodesPercentage and minCandidateNodesAbsolute cannot be zero');
  if (args.events !== undefined && typeof args.events?.event !== 'function') throw new Error('DefaultPreemption: events must be an event recorder');
  if (args.randomInt !== undefined && typeof args.randomInt !== 'function') throw new Error('DefaultPreemption: randomInt must be a function');
  return args;
}

/** kube's calculateNumCandidates: max(numNodes * pct / 100, abs), never more than numNodes */
export function numCandidates(args: DefaultPreemptionArgs, numNodes: number): number {
  const n = Math.max(Math.floor((numNodes * args.minCandidateNodesPercentage) / 100), args.minCandidateNodesAbsolute);
  return Math.min(n, numNodes);
}

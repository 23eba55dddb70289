/**
 * The last decision per pod, bounded (oldest pods forgotten first), so a long-running
 * scheduler's memory does not grow with every pod it ever saw.
 */
import type { Decision } from './decision.js';

export const DEFAULT_DECISIONS_KEPT = 5000;
/** the newest this many keep their per-node table (it holds every feasible node's scores) */
export const DEFAULT_TABLES_KEPT = 500;

export class DecisionLog {
  private readonly byPod = new Map<string, Decision>();
  /** pods whose decision still has its table, oldest first */
  private readonly withTable: string[] = [];

  constructor(
    private readonly capacity = DEFAULT_DECISIONS_KEPT,
    private readonly tables = DEFAULT_TABLES_KEPT,
  ) {}

  record(d: Decision): void {
    this.byPod.delete(d.pod); // re-insert: Map order is the recency order
    this.byPod.set(d.pod, d);
    while (this.byPod.size > this.capacity) {
      const oldest = this.byPod.keys().next().value as string;
      this.byPod.delete(oldest);
    }
    if (d.table) {
      this.withTable.push(d.pod);
      while (this.withTable.length > this.tables) {
        const old = this.byPod.get(this.withTable.shift()!);
        if (old && old !== d && this.withTable.indexOf(old.pod) < 0) delete old.table;
      }
    }
  }

  get(namespace: string, name: string): Decision | undefined {
    return this.byPod.get(`${namespace}/${name}`);
  }

  /** the newest first, at most `limit` */
  recent(limit = 100): Decision[] {
    const all = [...this.byPod.values()];
    return all.slice(Math.max(0, all.length - limit)).reverse();
  }

  forget(namespace: string, name: string): void {
    this.byPod.delete(`${namespace}/${name}`);
  }
}

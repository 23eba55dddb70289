/**
 * Per-pod created → bound latency from a pod watch. "Created" is when the create's 201
 * arrived; "bound" is when the first watch event showing spec.nodeName set arrived (the
 * binding's MODIFIED). Either can come first — a fast scheduler's event may beat the 201
 * back to us — so the latency is recorded by whichever arrives second (never below 0).
 */
import { Latencies } from '../store/measure.js';

interface WatchEvent {
  type?: string;
  object?: { metadata?: { name?: string }; spec?: { nodeName?: string } };
}

export class BindTracker {
  readonly latencies: Latencies;
  /** performance.now() of the last bind seen */
  lastBoundAt = 0;
  private readonly createdAt = new Map<string, number>();
  private readonly boundAt = new Map<string, number>();
  private resolveAll!: () => void;
  /** resolves once `expected` distinct pods have been seen bound */
  readonly allBound: Promise<void>;

  constructor(private readonly expected: number) {
    this.latencies = new Latencies(expected);
    this.allBound = new Promise((resolve) => (this.resolveAll = resolve));
    if (expected === 0) this.resolveAll();
  }

  get bound(): number {
    return this.boundAt.size;
  }

  get created(): number {
    return this.createdAt.size;
  }

  /** one watch line (a JSON watch event) that arrived at `at` */
  onWatchLine(line: string, at: number): void {
    const event = JSON.parse(line) as WatchEvent;
    if (event.type !== 'ADDED' && event.type !== 'MODIFIED') return;
    const name = event.object?.metadata?.name;
    if (!name || !event.object?.spec?.nodeName || this.boundAt.has(name)) return;
    this.boundAt.set(name, at);
    this.lastBoundAt = Math.max(this.lastBoundAt, at);
    const created = this.createdAt.get(name);
    if (created !== undefined) this.latencies.add(at - created);
    if (this.boundAt.size === this.expected) this.resolveAll();
  }

  /** the create of `name` returned 201 at `at` */
  onCreated(name: string, at: number): void {
    this.createdAt.set(name, at);
    const bound = this.boundAt.get(name);
    if (bound !== undefined) this.latencies.add(Math.max(0, bound - at));
  }
}

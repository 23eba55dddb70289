/**
 * The pod lifecycle event generator, kube's relist: every plegRelistIntervalMs one
 * listPodSandbox and one listContainers for the whole node; a pod whose sandboxes or
 * containers changed (appeared, changed state, disappeared) since the last relist gets
 * re-synced. This is how the kubelet notices a container exiting on its own.
 * The next relist is scheduled only after this one finished, so relists never pile up.
 */
import type { Logger } from 'pino';
import type { Clock } from '../../client/clock.js';
import type { RuntimeService } from '../cri/api.js';
import { POD_UID_LABEL } from '../cri/labels.js';
import { errorMessage } from './api-error-code.js';

export interface PlegOptions {
  runtime: Pick<RuntimeService, 'listContainers' | 'listPodSandbox'>;
  clock: Clock;
  intervalMs: number;
  onPodChanged(podUid: string): void;
  logger: Logger;
}

export class Pleg {
  /** pod uid → a fingerprint of its sandboxes' and containers' states */
  private last = new Map<string, string>();
  private cancelTimer: (() => void) | undefined;
  private inFlight: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly opts: PlegOptions) {}

  start(): void {
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelTimer?.();
    await this.inFlight;
  }

  get busy(): boolean {
    return this.inFlight !== undefined;
  }

  /** resolves when no relist is running */
  async idle(): Promise<void> {
    while (this.inFlight) await this.inFlight;
  }

  /** one relist now (exported for tests and for the first sync after a restart) */
  async relist(): Promise<void> {
    const [{ items }, { containers }] = await Promise.all([this.opts.runtime.listPodSandbox({}), this.opts.runtime.listContainers({})]);
    const states = new Map<string, string[]>();
    const add = (uid: string | undefined, entry: string) => {
      if (!uid) return;
      let list = states.get(uid);
      if (!list) states.set(uid, (list = []));
      list.push(entry);
    };
    for (const s of items) add(s.labels[POD_UID_LABEL], `s:${s.id}:${s.state}`);
    for (const c of containers) add(c.labels[POD_UID_LABEL], `c:${c.id}:${c.state}`);
    const current = new Map<string, string>();
    for (const [uid, list] of states) current.set(uid, list.sort().join(','));
    const changed = new Set<string>();
    for (const [uid, fingerprint] of current) if (this.last.get(uid) !== fingerprint) changed.add(uid);
    for (const uid of this.last.keys()) if (!current.has(uid)) changed.add(uid);
    this.last = current;
    for (const uid of changed) this.opts.onPodChanged(uid);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.cancelTimer = this.opts.clock.setTimer(this.opts.intervalMs, () => {
      this.cancelTimer = undefined;
      this.inFlight = this.relist()
        .catch((err) => this.opts.logger.warn({ err: errorMessage(err) }, 'PLEG relist failed'))
        .finally(() => {
          this.inFlight = undefined;
          this.schedule();
        });
    });
  }
}

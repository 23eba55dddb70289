/**
 * The Reflector (client-go's tools/cache/reflector.go): keeps a sink in step with the
 * server by list-then-watch, and owns every decision about resourceVersions and retries.
 *
 *   list (selectors of the informer)  → sink.replace(items); rv = list's resourceVersion
 *   watch from rv, with bookmarks     → ADDED/MODIFIED/DELETED go to the sink, and each
 *                                       event's resourceVersion becomes rv; a BOOKMARK
 *                                       only moves rv (nothing changed, history went on)
 *   watch ends normally, or the
 *   network drops                     → wait the backoff, watch again from rv (resume:
 *                                       nothing is missed, nothing is listed again)
 *   410 Gone / Expired (thrown, or an
 *   ERROR event carrying that Status) → rv is no longer in the server's history: list
 *                                       again at once (the sink's replace works out what
 *                                       changed in between)
 *   any other API error               → wait the backoff, then list again
 *
 * Backoff: 800 ms doubling to 30 s (settings). It goes back to the start after a list
 * succeeds or after a watch that was healthy (delivered an event, or lasted maxMs), so a
 * server that closes quiet watches now and then costs one short pause each time.
 */
import type { Logger } from 'pino';
import { ApiError, asStatus, isGone } from '../api-error.js';
import type { Clock } from '../clock.js';
import { realClock } from '../clock.js';
import type { KubeObject, ListOptions, ResourceClient, WatchEvent } from '../types.js';
import { silentLogger } from '../workqueue/silent-logger.js';

/** what a reflector reads from: a ResourceClient, or a fake of its list and watch */
export type ListWatch<T extends KubeObject> = Pick<ResourceClient<T>, 'list' | 'watch'>;

/** what a reflector writes to: the shared informer's cache and its handlers */
export interface ReflectorSink<T extends KubeObject> {
  /** a (re)list: exactly these objects exist, as of resourceVersion */
  replace(items: T[], resourceVersion: string): void;
  added(obj: T): void;
  modified(obj: T): void;
  deleted(obj: T): void;
}

/** which objects to reflect */
export type ReflectorSelection = Pick<ListOptions, 'namespace' | 'labelSelector' | 'fieldSelector'>;

export interface ReflectorBackoff {
  /** first pause (default 800 ms) */
  initialMs?: number;
  /** longest pause (default 30 s) */
  maxMs?: number;
}

export interface ReflectorOptions<T extends KubeObject> {
  source: ListWatch<T>;
  sink: ReflectorSink<T>;
  selection?: ReflectorSelection;
  clock?: Clock;
  backoff?: ReflectorBackoff;
  /** list in pages of this many (limit/continue); default: one request */
  pageSize?: number;
  logger?: Logger;
  /** for log lines, e.g. "v1/Pod" */
  description?: string;
}

type WatchOutcome = 'stopped' | 'ended' | 'network' | 'gone' | 'failed';

export class Reflector<T extends KubeObject> {
  private readonly source: ListWatch<T>;
  private readonly sink: ReflectorSink<T>;
  private readonly selection: ReflectorSelection;
  private readonly clock: Clock;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly pageSize: number | undefined;
  private readonly logger: Logger;
  private lastResourceVersion = '';
  private nextDelay: number;

  constructor(opts: ReflectorOptions<T>) {
    this.source = opts.source;
    this.sink = opts.sink;
    this.selection = { ...opts.selection };
    this.clock = opts.clock ?? realClock;
    this.initialMs = opts.backoff?.initialMs ?? 800;
    this.maxMs = opts.backoff?.maxMs ?? 30_000;
    this.pageSize = opts.pageSize;
    this.nextDelay = this.initialMs;
    this.logger = (opts.logger ?? silentLogger).child({ reflector: opts.description ?? 'reflector' });
  }

  /** the resourceVersion the cache is at: the last list's or the last event's */
  get resourceVersion(): string {
    return this.lastResourceVersion;
  }

  /** list and watch until the signal aborts; never rejects */
  async run(signal: AbortSignal): Promise<void> {
    let needList = true;
    let pause = 0;
    while (!signal.aborted) {
      if (pause > 0 && !(await this.sleep(pause, signal))) return;
      pause = 0;
      if (needList) {
        if (!(await this.list(signal))) {
          pause = this.backoff();
          continue;
        }
        needList = false;
      }
      const outcome = await this.watch(signal);
      switch (outcome) {
        case 'stopped':
          return;
        case 'gone':
          this.logger.info({ resourceVersion: this.lastResourceVersion }, 'resourceVersion expired; listing again');
          needList = true;
          break;
        case 'failed':
          needList = true;
          pause = this.backoff();
          break;
        case 'ended':
        case 'network':
          pause = this.backoff();
          break;
      }
    }
  }

  private async list(signal: AbortSignal): Promise<boolean> {
    try {
      const items: T[] = [];
      let resourceVersion: string | undefined;
      let cont: string | undefined;
      do {
        const page = await this.source.list({
          ...this.selection,
          ...(this.pageSize ? { limit: this.pageSize } : {}),
          ...(cont ? { continue: cont } : {}),
          signal,
        });
        // a loop, not push(...items): spreading a list of 100k objects overflows the stack
        for (const item of page.items) items.push(item);
        resourceVersion ??= page.metadata?.resourceVersion;
        cont = page.metadata?.continue || undefined;
      } while (cont && this.pageSize);
      if (signal.aborted) return false;
      this.sink.replace(items, resourceVersion ?? '');
      this.lastResourceVersion = resourceVersion ?? '';
      this.nextDelay = this.initialMs;
      return true;
    } catch (err) {
      if (!signal.aborted) this.logger.warn({ err }, 'list failed; will retry');
      return false;
    }
  }

  private async watch(signal: AbortSignal): Promise<WatchOutcome> {
    const started = this.clock.now();
    let healthy = false;
    try {
      const events = this.source.watch({
        ...this.selection,
        ...(this.lastResourceVersion ? { resourceVersion: this.lastResourceVersion } : {}),
        allowWatchBookmarks: true,
        signal,
      });
      for await (const event of events) {
        if (signal.aborted) return 'stopped';
        if (event.type === 'ERROR') return this.watchError(event);
        healthy = true;
        this.apply(event);
      }
      if (signal.aborted) return 'stopped';
      this.logger.debug({ resourceVersion: this.lastResourceVersion }, 'watch ended; resuming');
      return 'ended';
    } catch (err) {
      if (signal.aborted) return 'stopped';
      if (isGone(err)) return 'gone';
      if (err instanceof ApiError) {
        this.logger.warn({ err }, 'watch refused; will list again');
        return 'failed';
      }
      this.logger.warn({ err, resourceVersion: this.lastResourceVersion }, 'watch connection lost; resuming');
      return 'network';
    } finally {
      if (healthy || this.clock.now() - started >= this.maxMs) this.nextDelay = this.initialMs;
    }
  }

  private watchError(event: WatchEvent<T>): WatchOutcome {
    const status = asStatus(event.object) ?? {};
    if (status.code === 410 || status.reason === 'Expired' || status.reason === 'Gone') return 'gone';
    this.logger.warn({ status }, 'watch sent an error; will list again');
    return 'failed';
  }

  private apply(event: WatchEvent<T>): void {
    const rv = event.object?.metadata?.resourceVersion;
    try {
      switch (event.type) {
        case 'ADDED':
          this.sink.added(event.object);
          break;
        case 'MODIFIED':
          this.sink.modified(event.object);
          break;
        case 'DELETED':
          this.sink.deleted(event.object);
          break;
        case 'BOOKMARK':
          break;
        default:
          this.logger.warn({ type: (event as { type?: unknown }).type }, 'watch event of unknown type ignored');
      }
    } catch (err) {
      // A malformed object (no name) must not stop the watch: skip it, keep going.
      this.logger.error({ err, type: event.type }, 'could not apply a watch event');
    }
    if (rv) this.lastResourceVersion = rv;
  }

  /** the pause before the next attempt; doubles each time, up to maxMs */
  private backoff(): number {
    const pause = this.nextDelay;
    this.nextDelay = Math.min(this.nextDelay * 2, this.maxMs);
    return pause;
  }

  private async sleep(ms: number, signal: AbortSignal): Promise<boolean> {
    try {
      await this.clock.sleep(ms, signal);
      return true;
    } catch {
      return false;
    }
  }
}

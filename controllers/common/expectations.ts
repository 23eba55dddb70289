/**
 * client-go's ControllerExpectations (pkg/controller/controller_utils.go): a controller
 * that just asked for N creations must not act on its cache until it has SEEN them, or a
 * lagging cache makes it create N more. expectCreations/expectDeletions record what is
 * in flight; the informer's handlers lower the counts as the objects show up or go;
 * satisfied(key) says whether the cache can be trusted for that owner again. Expectations
 * older than the TTL (5 minutes) count as satisfied, so a lost watch event cannot wedge a
 * controller forever.
 *
 * UIDTrackingExpectations also remembers WHICH objects it expects to see deleted, because
 * a delete can be observed twice (graceful deletion sets deletionTimestamp, then the
 * DELETED event) and must be counted once.
 */
import type { Clock } from '../../client/clock.js';

export const EXPECTATIONS_TTL_MS = 5 * 60 * 1000;

interface Expectation {
  add: number;
  del: number;
  at: number;
}

export class ControllerExpectations {
  private readonly byKey = new Map<string, Expectation>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = EXPECTATIONS_TTL_MS,
  ) {}

  /** true when nothing is pending for `key` (or what is pending has expired) */
  satisfied(key: string): boolean {
    const e = this.byKey.get(key);
    if (!e) return true;
    if (e.add <= 0 && e.del <= 0) return true;
    return this.clock.now() - e.at > this.ttlMs;
  }

  expectCreations(key: string, adds: number): void {
    this.byKey.set(key, { add: adds, del: 0, at: this.clock.now() });
  }

  expectDeletions(key: string, dels: number): void {
    this.byKey.set(key, { add: 0, del: dels, at: this.clock.now() });
  }

  /** add to what is pending (kube's RaiseExpectations) */
  raise(key: string, adds: number, dels: number): void {
    const e = this.byKey.get(key);
    if (e) {
      e.add += adds;
      e.del += dels;
    } else this.byKey.set(key, { add: adds, del: dels, at: this.clock.now() });
  }

  /** one expected creation was seen (or will never happen: the create failed) */
  creationObserved(key: string): void {
    this.lower(key, 1, 0);
  }

  deletionObserved(key: string): void {
    this.lower(key, 0, 1);
  }

  deleteExpectations(key: string): void {
    this.byKey.delete(key);
  }

  /** what is pending, for tests and debugging */
  pending(key: string): { add: number; del: number } | undefined {
    const e = this.byKey.get(key);
    return e ? { add: e.add, del: e.del } : undefined;
  }

  private lower(key: string, adds: number, dels: number): void {
    const e = this.byKey.get(key);
    if (!e) return;
    e.add -= adds;
    e.del -= dels;
  }
}

export class UIDTrackingExpectations extends ControllerExpectations {
  private readonly deleting = new Map<string, Set<string>>();

  /** expect these objects (by cache key or uid) to be deleted */
  expectDeletionsOf(key: string, objectKeys: string[]): void {
    this.deleting.set(key, new Set(objectKeys));
    this.expectDeletions(key, objectKeys.length);
  }

  /** `objectKey` was seen deleted (or will not be: the delete failed); counted once */
  deletionObservedOf(key: string, objectKey: string): void {
    const set = this.deleting.get(key);
    if (!set?.delete(objectKey)) return;
    this.deletionObserved(key);
  }

  override deleteExpectations(key: string): void {
    super.deleteExpectations(key);
    this.deleting.delete(key);
  }
}

/**
 * The scheduling queue (kube-scheduler's PriorityQueue): every pending pod waits in
 * exactly one of three places until the scheduler pops it.
 *
 *   activeQ            heap by QueueSort (priority, then time): pods to try now
 *   backoffQ           heap by backoff expiry: pods that failed recently, moved to
 *                      activeQ by a flush once their backoff (1 s, 2 s, … 10 s) is over
 *   unschedulablePods  map: pods a plugin rejected, waiting for a cluster event that one of
 *                      those plugins registered (and whose hint says Queue), or for the
 *                      5-minute timeout
 *
 * A popped pod is "in flight" until done(key). An attempt that fails comes back through
 * addUnschedulableIfNotPresent(qpi, cycle). The moveRequestCycle rule: if any event of
 * interest arrived since the pod's cycle began, the pod may have missed the very event
 * that would help it, so it goes to backoffQ instead of waiting in unschedulablePods.
 *
 * Beyond kube, events about the in-flight pod itself are remembered and applied when it
 * comes back: a delete drops it, an update replaces the pod (and, if meaningful, sends it
 * to backoffQ), an activate() sends it to activeQ. kube leaves those cases to the
 * scheduler's own checks.
 *
 * Every operation is O(log n) except the scans that are inherently O(n) in
 * unschedulablePods (an event of interest, the timeout flush), exactly as in kube.
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { realClock, type Clock } from '../../client/clock.js';
import { newPodInfo, podKey, type PodInfo } from '../framework/node-info.js';
import type { ClusterEvent, NominatedPods, QueuedPodInfo } from '../framework/types.js';
import { prioritySortLess } from '../plugins/priority-sort/index.js';
import { backoffExpiry, isBackingOff, type BackoffSettings } from './backoff.js';
import { KeyedHeap } from './heap.js';
import { Nominator } from './nominator.js';
import { isPodUpdated } from './pod-updated.js';
import { PopWaiters } from './pop-waiters.js';
import { eventKey, eventsOfInterest, podWorthRequeuing, type QueueingHintMap } from './queueing-hints.js';
import {
  DEFAULT_BACKOFF_FLUSH_INTERVAL_MS,
  DEFAULT_INITIAL_BACKOFF_MS,
  DEFAULT_MAX_BACKOFF_MS,
  DEFAULT_MAX_IN_UNSCHEDULABLE_MS,
  DEFAULT_UNSCHEDULABLE_FLUSH_INTERVAL_MS,
  type PriorityQueueOptions,
} from './settings.js';
import { UnschedulablePods } from './unschedulable-pods.js';

export type SubQueue = 'active' | 'backoff' | 'unschedulable';

/** where addUnschedulableIfNotPresent put the pod; 'dropped' when it was deleted in flight */
export type RequeueResult = SubQueue | 'dropped';

export interface PendingPod {
  pod: V1Pod;
  queue: SubQueue;
  attempts: number;
  unschedulablePlugins: string[];
  /** parked by a PreEnqueue check (scheduling gates) */
  gated: boolean;
}

/** a pod handed out by pop() and not yet done(), with what happened to it meanwhile */
interface InFlight {
  qpi: QueuedPodInfo;
  latestPod?: V1Pod;
  updated: boolean;
  deleted: boolean;
  activate: boolean;
}

export class QueueClosedError extends Error {
  constructor() {
    super('scheduling queue is closed');
    this.name = 'QueueClosedError';
  }
}

const ASSIGNED_POD_ADD: ClusterEvent = { resource: 'AssignedPod', action: 'Add' };
const ASSIGNED_POD_UPDATE: ClusterEvent = { resource: 'AssignedPod', action: 'Update' };
const ASSIGNED_POD_DELETE: ClusterEvent = { resource: 'AssignedPod', action: 'Delete' };

export class PriorityQueue implements NominatedPods {
  readonly nominator = new Nominator();
  private readonly clock: Clock;
  private readonly logger: Logger | undefined;
  private readonly backoff: BackoffSettings;
  private readonly maxInUnschedulableMs: number;
  private readonly backoffFlushIntervalMs: number;
  private readonly unschedulableFlushIntervalMs: number;
  private readonly hints: QueueingHintMap;
  private readonly interesting: Set<string>;
  private readonly preEnqueue: PriorityQueueOptions['preEnqueue'];

  private readonly activeQ: KeyedHeap<QueuedPodInfo>;
  private readonly backoffQ: KeyedHeap<QueuedPodInfo>;
  private readonly unschedulable = new UnschedulablePods();
  private readonly inFlight = new Map<string, InFlight>();
  private readonly waiters = new PopWaiters<QueuedPodInfo>();

  /** incremented by every pop */
  private cycle = 0;
  /** the cycle during which the last event of interest arrived */
  private moveRequestCycle = -1;
  private closed = false;
  private serveScheduled = false;
  private stopTimers: (() => void)[] = [];

  constructor(opts: PriorityQueueOptions = {}) {
    this.clock = opts.clock ?? realClock;
    this.logger = opts.logger;
    this.backoff = {
      initialBackoffMs: Math.max(0, opts.initialBackoffMs ?? DEFAULT_INITIAL_BACKOFF_MS),
      maxBackoffMs: Math.max(0, opts.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS),
    };
    this.maxInUnschedulableMs = opts.maxInUnschedulableMs ?? DEFAULT_MAX_IN_UNSCHEDULABLE_MS;
    this.backoffFlushIntervalMs = opts.backoffFlushIntervalMs ?? DEFAULT_BACKOFF_FLUSH_INTERVAL_MS;
    this.unschedulableFlushIntervalMs = opts.unschedulableFlushIntervalMs ?? DEFAULT_UNSCHEDULABLE_FLUSH_INTERVAL_MS;
    this.hints = opts.hints ?? new Map();
    this.interesting = eventsOfInterest(this.hints);
    this.preEnqueue = opts.preEnqueue;
    const key = (qpi: QueuedPodInfo) => qpi.podInfo.key;
    this.activeQ = new KeyedHeap(key, opts.less ?? prioritySortLess);
    this.backoffQ = new KeyedHeap(key, (a, b) => backoffExpiry(a, this.backoff) < backoffExpiry(b, this.backoff));
  }

  /** start the periodic flushes (backoffQ → activeQ, timed-out unschedulable pods) */
  run(): void {
    if (this.closed || this.stopTimers.length > 0) return;
    this.every(this.backoffFlushIntervalMs, () => this.flushBackoffQCompleted());
    this.every(this.unschedulableFlushIntervalMs, () => this.flushUnschedulablePodsLeftover());
  }

  /** stop the flushes and fail every pop() waiting, now and later */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const stop of this.stopTimers.splice(0)) stop();
    this.waiters.rejectAll(new QueueClosedError());
  }

  // ---- pods arriving from the informer ----

  /** a new pending pod; one the queue already holds is treated as an update */
  add(pod: V1Pod): void {
    const existing = this.findPod(podKey(pod));
    if (existing) return this.update(existing, pod);
    const qpi = this.newQueuedPodInfo(pod);
    this.nominator.addNominatedPod(qpi.podInfo);
    this.toActive(qpi);
  }

  update(oldPod: V1Pod | undefined, newPod: V1Pod): void {
    const key = podKey(newPod);
    for (const heap of [this.activeQ, this.backoffQ]) {
      const qpi = heap.get(key);
      if (!qpi) continue;
      qpi.podInfo = newPodInfo(newPod);
      this.nominator.updateNominatedPod(oldPod, qpi.podInfo);
      heap.addOrUpdate(qpi); // priority may have changed
      return;
    }

    const entry = this.unschedulable.get(key);
    if (entry) {
      const before = oldPod ?? entry.qpi.podInfo.pod;
      entry.qpi.podInfo = newPodInfo(newPod);
      this.nominator.updateNominatedPod(oldPod, entry.qpi.podInfo);
      // a gate can only be lifted by an update, so re-check any update of a gated pod
      if (entry.gated || isPodUpdated(before, newPod)) {
        this.unschedulable.delete(key);
        this.requeue(entry.qpi);
      }
      return;
    }

    const flight = this.inFlight.get(key);
    if (flight && !flight.deleted) {
      const before = oldPod ?? flight.latestPod ?? flight.qpi.podInfo.pod;
      flight.updated ||= isPodUpdated(before, newPod);
      flight.latestPod = newPod;
      this.nominator.updateNominatedPod(oldPod, newPodInfo(newPod));
      return;
    }

    const qpi = this.newQueuedPodInfo(newPod);
    this.nominator.addNominatedPod(qpi.podInfo);
    this.toActive(qpi);
  }

  delete(pod: V1Pod): void {
    const key = podKey(pod);
    this.nominator.deleteNominatedPodIfExists(pod);
    this.activeQ.delete(key);
    this.backoffQ.delete(key);
    this.unschedulable.delete(key);
    const flight = this.inFlight.get(key);
    if (flight) flight.deleted = true;
  }

  // ---- the scheduling loop ----

  /**
   * The next pod to schedule, waiting until there is one. Rejects with the signal's reason
   * when it aborts, and with QueueClosedError once the queue is closed.
   */
  pop(signal?: AbortSignal): Promise<QueuedPodInfo> {
    if (this.closed) return Promise.reject(new QueueClosedError());
    if (signal?.aborted) return Promise.reject(signal.reason);
    // waiters first, so a caller arriving between an add and the wake-up cannot jump them
    if (this.activeQ.size > 0 && this.waiters.length === 0) return Promise.resolve(this.takeNext()!);
    const waiting = this.waiters.wait(signal);
    this.scheduleServe();
    return waiting;
  }

  /** the cycle of the pod popped last; pass it back to addUnschedulableIfNotPresent */
  schedulingCycle(): number {
    return this.cycle;
  }

  /** the attempt of this pod is over (bound, or put back) */
  done(key: string): void {
    this.inFlight.delete(key);
  }

  /**
   * Put back a pod whose attempt failed (qpi.unschedulablePlugins says which plugins
   * rejected it). To backoffQ when an event of interest arrived since its cycle began,
   * when no plugin rejected it (an error, not a verdict), or when it was updated in
   * flight; to activeQ when activate() asked for it in flight; else to unschedulablePods.
   */
  addUnschedulableIfNotPresent(qpi: QueuedPodInfo, podSchedulingCycle: number): RequeueResult {
    const key = qpi.podInfo.key;
    if (this.activeQ.has(key)) return this.alreadyQueued(key, 'active');
    if (this.backoffQ.has(key)) return this.alreadyQueued(key, 'backoff');

    const flight = this.inFlight.get(key);
    if (flight?.deleted) return 'dropped';
    if (flight?.latestPod) qpi.podInfo = newPodInfo(flight.latestPod);
    qpi.timestamp = this.clock.now();
    this.nominator.addNominatedPod(qpi.podInfo);

    if (flight?.activate) {
      this.unschedulable.delete(key);
      return this.toActive(qpi);
    }
    if (this.moveRequestCycle >= podSchedulingCycle || qpi.unschedulablePlugins.size === 0 || flight?.updated) {
      this.unschedulable.delete(key);
      return this.requeue(qpi);
    }
    this.unschedulable.set(qpi);
    return 'unschedulable';
  }

  // ---- moving pods back ----

  /** move these pods to activeQ now, if they wait in backoffQ or unschedulablePods */
  activate(pods: Iterable<V1Pod>): void {
    for (const pod of pods) {
      const key = podKey(pod);
      const entry = this.unschedulable.get(key);
      const qpi = entry?.qpi ?? this.backoffQ.get(key);
      if (qpi) {
        this.unschedulable.delete(key);
        this.backoffQ.delete(key);
        this.toActive(qpi);
        continue;
      }
      const flight = this.inFlight.get(key);
      if (flight) flight.activate = true;
    }
  }

  /**
   * A cluster event happened: move every unschedulable pod it might help (see
   * queueing-hints.ts) to backoffQ if it is still backing off, else to activeQ. preCheck,
   * when given, narrows the pods considered. Events no plugin registered cost nothing.
   */
  moveAllToActiveOrBackoffQueue(event: ClusterEvent, oldObj: unknown, newObj: unknown, preCheck?: (pod: V1Pod) => boolean): void {
    if (!this.interesting.has(eventKey(event))) return;
    for (const { qpi, gated } of this.unschedulable.list()) {
      if (gated || (preCheck && !preCheck(qpi.podInfo.pod))) continue;
      const decision = podWorthRequeuing(qpi, event, oldObj, newObj, this.hints, (plugin, err) =>
        this.logger?.warn({ plugin, pod: qpi.podInfo.key, err }, 'queueing hint failed; requeueing the pod'),
      );
      if (decision === 'Skip') continue;
      this.unschedulable.delete(qpi.podInfo.key);
      this.requeue(qpi);
    }
    this.moveRequestCycle = this.cycle;
  }

  /** a pod was bound (or appeared bound): it may be the partner an affinity term waits for */
  assignedPodAdded(pod: V1Pod): void {
    this.moveAllToActiveOrBackoffQueue(ASSIGNED_POD_ADD, undefined, pod);
  }

  assignedPodUpdated(oldPod: V1Pod, newPod: V1Pod): void {
    this.moveAllToActiveOrBackoffQueue(ASSIGNED_POD_UPDATE, oldPod, newPod);
  }

  /** a bound pod went away: its resources, ports and anti-affinity are free */
  assignedPodDeleted(pod: V1Pod): void {
    this.moveAllToActiveOrBackoffQueue(ASSIGNED_POD_DELETE, pod, undefined);
  }

  /** move pods whose backoff is over to activeQ (run() calls it every second) */
  flushBackoffQCompleted(): void {
    const now = this.clock.now();
    for (let head = this.backoffQ.peek(); head && backoffExpiry(head, this.backoff) <= now; head = this.backoffQ.peek()) {
      this.backoffQ.pop();
      this.toActive(head);
    }
  }

  /** retry pods unschedulable for longer than maxInUnschedulableMs, whatever the events (run() calls it every 30 s) */
  flushUnschedulablePodsLeftover(): void {
    const now = this.clock.now();
    let moved = false;
    for (const { qpi, gated } of this.unschedulable.list()) {
      if (gated || now - qpi.timestamp <= this.maxInUnschedulableMs) continue;
      this.unschedulable.delete(qpi.podInfo.key);
      this.requeue(qpi);
      moved = true;
    }
    if (moved) this.moveRequestCycle = this.cycle;
  }

  // ---- nominated pods ----

  addNominatedPod(podInfo: PodInfo, nodeName?: string): void {
    this.nominator.addNominatedPod(podInfo, nodeName);
  }

  deleteNominatedPodIfExists(pod: V1Pod): void {
    this.nominator.deleteNominatedPodIfExists(pod);
  }

  nominatedPodsForNode(nodeName: string): readonly PodInfo[] {
    return this.nominator.nominatedPodsForNode(nodeName);
  }

  // ---- debugging ----

  /** every waiting pod and the sub-queue it waits in (in-flight pods are not listed) */
  pendingPods(): PendingPod[] {
    const describe = (qpi: QueuedPodInfo, queue: SubQueue, gated = false): PendingPod => ({
      pod: qpi.podInfo.pod,
      queue,
      attempts: qpi.attempts,
      unschedulablePlugins: [...qpi.unschedulablePlugins],
      gated,
    });
    return [
      ...this.activeQ.list().map((q) => describe(q, 'active')),
      ...this.backoffQ.list().map((q) => describe(q, 'backoff')),
      ...this.unschedulable.list().map((e) => describe(e.qpi, 'unschedulable', e.gated)),
    ];
  }

  /** sizes, for logs and metrics (kube's "activeQ:%d; backoffQ:%d; unschedulablePods:%d") */
  lengths(): { active: number; backoff: number; unschedulable: number; inFlight: number } {
    return { active: this.activeQ.size, backoff: this.backoffQ.size, unschedulable: this.unschedulable.size, inFlight: this.inFlight.size };
  }

  // ---- internals ----

  private newQueuedPodInfo(pod: V1Pod): QueuedPodInfo {
    const now = this.clock.now();
    return { podInfo: newPodInfo(pod), initialAttemptTimestamp: now, timestamp: now, attempts: 0, unschedulablePlugins: new Set() };
  }

  /** the stored object of a pod anywhere in the queue, in flight included */
  private findPod(key: string): V1Pod | undefined {
    const qpi = this.activeQ.get(key) ?? this.backoffQ.get(key) ?? this.unschedulable.get(key)?.qpi;
    if (qpi) return qpi.podInfo.pod;
    const flight = this.inFlight.get(key);
    return flight && !flight.deleted ? (flight.latestPod ?? flight.qpi.podInfo.pod) : undefined;
  }

  /** to backoffQ while backing off, else to activeQ */
  private requeue(qpi: QueuedPodInfo): SubQueue {
    if (isBackingOff(qpi, this.clock.now(), this.backoff)) {
      this.backoffQ.addOrUpdate(qpi);
      return 'backoff';
    }
    return this.toActive(qpi);
  }

  /** into activeQ unless a PreEnqueue check gates it; wakes a waiting pop() */
  private toActive(qpi: QueuedPodInfo): SubQueue {
    const gate = this.preEnqueue?.(qpi.podInfo.pod);
    if (gate && gate.code !== 'Success') {
      qpi.unschedulablePlugins = new Set([gate.plugin ?? 'PreEnqueue']);
      this.unschedulable.set(qpi, true);
      return 'unschedulable';
    }
    this.activeQ.addOrUpdate(qpi);
    this.scheduleServe();
    return 'active';
  }

  private takeNext(): QueuedPodInfo | undefined {
    const qpi = this.activeQ.pop();
    if (!qpi) return undefined;
    this.cycle++;
    qpi.attempts++;
    // the next failure says afresh which plugins rejected it
    qpi.unschedulablePlugins.clear();
    this.inFlight.set(qpi.podInfo.key, { qpi, updated: false, deleted: false, activate: false });
    return qpi;
  }

  /**
   * Wake waiting pop()s on a microtask rather than at once, so that pods added together
   * (one informer batch) are all in activeQ before the head is chosen, as kube's
   * cond.Broadcast lets them be.
   */
  private scheduleServe(): void {
    if (this.serveScheduled || this.waiters.length === 0) return;
    this.serveScheduled = true;
    queueMicrotask(() => {
      this.serveScheduled = false;
      if (!this.closed) this.waiters.serve(() => this.takeNext());
    });
  }

  private alreadyQueued(key: string, queue: SubQueue): SubQueue {
    this.logger?.warn({ pod: key, queue }, 'pod put back while already queued; keeping the queued copy');
    return queue;
  }

  private every(ms: number, fn: () => void): void {
    let cancel: () => void = () => {};
    const tick = () => {
      try {
        fn();
      } catch (err) {
        this.logger?.error({ err }, 'scheduling queue flush failed');
      }
      if (!this.closed) cancel = this.clock.setTimer(ms, tick);
    };
    cancel = this.clock.setTimer(ms, tick);
    this.stopTimers.push(() => cancel());
  }
}

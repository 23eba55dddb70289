/**
 * Leader election over a coordination.k8s.io/v1 Lease, as client-go's leaderelection
 * package does it, so several copies of a component can run and only one acts:
 *
 *   acquire: every retryPeriod, read the Lease; take it when it is absent, free, expired
 *            (renewTime + leaseDurationSeconds < now, by the Clock) or already ours.
 *   lead:    onStartedLeading(signal) runs; every retryPeriod the holder renews renewTime.
 *            A failed renewal is retried each retryPeriod; when none has succeeded for
 *            renewDeadline the holder gives up (the signal aborts, onStoppedLeading runs)
 *            before anyone else may take over (leaseDuration > renewDeadline), so two
 *            leaders never act at once as long as clocks roughly agree.
 *   stop:    the caller's signal aborts; with releaseOnCancel the Lease is handed back
 *            (holder cleared) so a successor need not wait out the duration.
 *
 * Writes use the Lease's resourceVersion: of two candidates racing for one Lease, the
 * second write gets 409 Conflict and that attempt simply fails (tried again next period).
 * runLeaderElection resolves once it has stopped (signal aborted or leadership lost); it
 * never rejects for API failures, which are logged and retried.
 */
import type { Logger } from 'pino';
import { isAlreadyExists, isConflict, isNotFound } from '../api-error.js';
import type { Clock } from '../clock.js';
import type { KubeClient, ResourceClient } from '../types.js';
import { formatMicroTime } from './kube-time.js';
import { LEASE_API_VERSION, LEASE_KIND, leaseExpired, type LeaseObject } from './lease-object.js';

export type LeaderElectionLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;

export interface LeaderElectionOptions {
  client: KubeClient;
  lease: { namespace: string; name: string };
  /** unique per candidate, e.g. `${hostname}_${uuid}` */
  identity: string;
  clock: Clock;
  /** how long a non-leader waits after the last renewal before taking over (client-go: 15 s) */
  leaseDurationMs?: number;
  /** how long the leader keeps retrying a failed renewal before it gives up (client-go: 10 s) */
  renewDeadlineMs?: number;
  /** the pause between attempts, acquiring or renewing (client-go: 2 s) */
  retryPeriodMs?: number;
  /** runs once leadership is won; `signal` aborts when it is lost or the election stops */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  /** runs once when leadership ends (only if it was won) */
  onStoppedLeading?(): void;
  /** runs when another (or this) candidate is seen holding the Lease for the first time */
  onNewLeader?(identity: string): void;
  /** on abort, clear the holder so a successor can take over at once */
  releaseOnCancel?: boolean;
  signal: AbortSignal;
  logger?: LeaderElectionLogger;
}

export const LEADER_ELECTION_DEFAULTS = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 } as const;

const silent: LeaderElectionLogger = { debug() {}, info() {}, warn() {}, error() {} } as unknown as LeaderElectionLogger;

/** client-go's checks: a leader must give up (renewDeadline) before others may take over (leaseDuration) */
export function validateLeaderElectionTimings(t: { leaseDurationMs: number; renewDeadlineMs: number; retryPeriodMs: number }): string | undefined {
  for (const [name, value] of Object.entries(t)) if (!Number.isFinite(value) || value <= 0) return `leader election: ${name} must be a positive number of milliseconds, got ${value}`;
  if (t.leaseDurationMs <= t.renewDeadlineMs) return `leader election: leaseDurationMs (${t.leaseDurationMs}) must be greater than renewDeadlineMs (${t.renewDeadlineMs})`;
  if (t.renewDeadlineMs <= t.retryPeriodMs) return `leader election: renewDeadlineMs (${t.renewDeadlineMs}) must be greater than retryPeriodMs (${t.retryPeriodMs})`;
  return undefined;
}

export async function runLeaderElection(opts: LeaderElectionOptions): Promise<void> {
  const timings = {
    leaseDurationMs: opts.leaseDurationMs ?? LEADER_ELECTION_DEFAULTS.leaseDurationMs,
    renewDeadlineMs: opts.renewDeadlineMs ?? LEADER_ELECTION_DEFAULTS.renewDeadlineMs,
    retryPeriodMs: opts.retryPeriodMs ?? LEADER_ELECTION_DEFAULTS.retryPeriodMs,
  };
  const problem = validateLeaderElectionTimings(timings);
  if (problem) throw new Error(problem);
  if (!opts.identity) throw new Error('leader election: identity must not be empty');
  if (!opts.lease?.name || !opts.lease?.namespace) throw new Error('leader election: lease needs a namespace and a name');
  await new LeaderElector(opts, timings).run();
}

class LeaderElector {
  private readonly leases: ResourceClient<LeaseObject>;
  private readonly log: LeaderElectionLogger;
  private readonly clock: Clock;
  private lastSeenLeader = '';

  constructor(
    private readonly opts: LeaderElectionOptions,
    private readonly t: { leaseDurationMs: number; renewDeadlineMs: number; retryPeriodMs: number },
  ) {
    this.leases = opts.client.resource<LeaseObject>(LEASE_API_VERSION, LEASE_KIND);
    this.log = opts.logger ?? silent;
    this.clock = opts.clock;
  }

  async run(): Promise<void> {
    const { signal } = this.opts;
    if (!(await this.acquire())) return;

    const leading = new AbortController();
    this.log.info({ lease: this.leaseName, identity: this.opts.identity }, 'became leader');
    void Promise.resolve()
      .then(() => this.opts.onStartedLeading(leading.signal))
      .catch((err: unknown) => this.log.error({ err, lease: this.leaseName }, 'onStartedLeading failed'));

    await this.renewUntilLostOrStopped();
    leading.abort(new Error('leadership ended'));
    if (signal.aborted && this.opts.releaseOnCancel) await this.release();
    try {
      this.opts.onStoppedLeading?.();
    } catch (err) {
      this.log.error({ err, lease: this.leaseName }, 'onStoppedLeading failed');
    }
  }

  private get leaseName(): string {
    return `${this.opts.lease.namespace}/${this.opts.lease.name}`;
  }

  /** true once the Lease is ours; false if the signal aborted first */
  private async acquire(): Promise<boolean> {
    const { signal } = this.opts;
    while (!signal.aborted) {
      if (await this.tryAcquireOrRenew(this.t.leaseDurationMs)) return true;
      if (!(await this.pause())) return false;
    }
    return false;
  }

  private async renewUntilLostOrStopped(): Promise<void> {
    let lastRenewed = this.clock.now();
    while (await this.pause()) {
      const left = lastRenewed + this.t.renewDeadlineMs - this.clock.now();
      if (await this.tryAcquireOrRenew(Math.max(1, left))) {
        lastRenewed = this.clock.now();
      } else if (this.clock.now() - lastRenewed >= this.t.renewDeadlineMs) {
        this.log.warn({ lease: this.leaseName, identity: this.opts.identity }, 'failed to renew the lease within the renew deadline; leadership lost');
        return;
      }
    }
  }

  /** wait one retry period; false when the signal aborted meanwhile */
  private async pause(): Promise<boolean> {
    try {
      await this.clock.sleep(this.t.retryPeriodMs, this.opts.signal);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * One attempt: read the Lease, then create it, take it over or renew it. Any failure
   * (another holder, a lost race, a network error, `timeoutMs` passing) is false.
   */
  private async tryAcquireOrRenew(timeoutMs: number): Promise<boolean> {
    const timeout = new AbortController();
    const cancelTimer = this.clock.setTimer(timeoutMs, () => timeout.abort(new Error(`lease request timed out after ${timeoutMs} ms`)));
    const signal = AbortSignal.any([this.opts.signal, timeout.signal]);
    try {
      return await this.writeLease(signal);
    } catch (err) {
      if (!this.opts.signal.aborted) this.log.warn({ err, lease: this.leaseName }, 'lease request failed; retrying');
      return false;
    } finally {
      cancelTimer();
    }
  }

  private async writeLease(signal: AbortSignal): Promise<boolean> {
    const { namespace, name } = this.opts.lease;
    const { identity } = this.opts;
    const now = formatMicroTime(this.clock.now());
    const leaseDurationSeconds = Math.ceil(this.t.leaseDurationMs / 1000);

    let current: LeaseObject | undefined;
    try {
      current = await this.leases.get(name, { namespace, signal });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }

    if (!current) {
      try {
        await this.leases.create(
          { apiVersion: LEASE_API_VERSION, kind: LEASE_KIND, metadata: { name, namespace }, spec: { holderIdentity: identity, leaseDurationSeconds, acquireTime: now, renewTime: now, leaseTransitions: 0 } },
          { signal },
        );
      } catch (err) {
        if (isAlreadyExists(err)) return false; // another candidate created it first
        throw err;
      }
      this.observeLeader(identity);
      return true;
    }

    const spec = current.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    if (holder) this.observeLeader(holder);
    if (holder && holder !== identity && !leaseExpired(spec, this.clock.now())) return false;

    const takingOver = holder !== identity;
    const next: LeaseObject = {
      ...current,
      spec: {
        ...spec,
        holderIdentity: identity,
        leaseDurationSeconds,
        acquireTime: takingOver ? now : (spec.acquireTime ?? now),
        renewTime: now,
        leaseTransitions: (spec.leaseTransitions ?? 0) + (takingOver ? 1 : 0),
      },
    };
    try {
      await this.leases.update(next, { signal });
    } catch (err) {
      if (isConflict(err)) return false; // someone wrote in between; read again next period
      throw err;
    }
    if (takingOver) this.observeLeader(identity);
    return true;
  }

  private observeLeader(identity: string): void {
    if (identity === this.lastSeenLeader) return;
    this.lastSeenLeader = identity;
    try {
      this.opts.onNewLeader?.(identity);
    } catch (err) {
      this.log.error({ err, lease: this.leaseName }, 'onNewLeader failed');
    }
  }

  /** hand the Lease back: keep the record, clear the holder, expire it at once */
  private async release(): Promise<void> {
    const { namespace, name } = this.opts.lease;
    try {
      const current = await this.leases.get(name, { namespace });
      if (current.spec?.holderIdentity !== this.opts.identity) return;
      const now = formatMicroTime(this.clock.now());
      await this.leases.update({ ...current, spec: { ...current.spec, holderIdentity: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now } });
      this.log.info({ lease: this.leaseName }, 'released the lease');
    } catch (err) {
      this.log.warn({ err, lease: this.leaseName }, 'could not release the lease');
    }
  }
}

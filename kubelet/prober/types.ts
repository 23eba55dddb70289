/**
 * The prober: one worker per (container, probe kind) that runs liveness, readiness and
 * startup probes through the runtime (RuntimeService.probeContainer) on the probe's
 * schedule — initialDelaySeconds, periodSeconds, timeoutSeconds, successThreshold,
 * failureThreshold — and keeps the latest result. Liveness and readiness probes wait
 * until the startup probe (if any) has succeeded. A failing probe records an Unhealthy
 * event ("Liveness probe failed: <message>"). Any change of a result calls onChange(podUid)
 * so the pod worker re-syncs: it restarts containers whose liveness failed and
 * recomputes Ready.
 */
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Clock } from '../../client/clock.js';
import type { EventRecorder } from '../../client/events/types.js';
import type { RuntimeService } from '../cri/api.js';

export type ProbeKind = 'liveness' | 'readiness' | 'startup';

export interface ProberManager {
  /**
   * Start the probe workers of a container that is running (idempotent per containerId;
   * a new containerId for the same container replaces the old workers).
   * `startedAtMs` is when the container started (initialDelaySeconds counts from it).
   */
  addContainer(pod: V1Pod, container: V1Container, containerId: string, startedAtMs: number): void;
  /** stop the workers of one container instance (it exited or was killed) */
  removeContainer(containerId: string): void;
  /** stop every worker of a pod */
  removePod(podUid: string): void;
  /** true when the container has no readiness probe, or its last readiness result passed */
  isReady(containerId: string): boolean;
  /** true when the container has no startup probe, or it has succeeded */
  isStarted(containerId: string): boolean;
  /** true when the liveness probe has failed failureThreshold times in a row (the container must be restarted) */
  livenessFailed(containerId: string): boolean;
  /** stop every worker */
  stop(): void;
}

export interface ProberOptions {
  runtime: Pick<RuntimeService, 'probeContainer'>;
  recorder: EventRecorder;
  clock: Clock;
  /** a result changed (readiness flipped, liveness failed, startup succeeded) */
  onChange(podUid: string): void;
  logger: Logger;
}

/** implemented in ./prober-manager.ts */
export type CreateProberManager = (opts: ProberOptions) => ProberManager;

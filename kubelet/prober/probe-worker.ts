/**
 * One probe of one container instance, run on the Clock: the first run at `firstRunAtMs`,
 * then one every periodSeconds (measured from the start of the previous run, never two
 * at once), each given timeoutSeconds before it counts as failed with 'timeout'.
 *
 * Thresholds as kube's worker applies them: a result is reported (onResult) only once it
 * has come successThreshold (success) or failureThreshold (failure) times in a row; every
 * single failure is reported to onFailure (for the Unhealthy event) regardless.
 *
 * The worker knows nothing about what results mean (readiness, liveness, startup); the
 * prober manager decides, and stops the worker when it has nothing left to learn.
 */
import type { V1Probe } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Clock } from '../../client/clock.js';
import type { ProbeAction, RuntimeService } from '../cri/api.js';

/** kube's defaults for the probe fields */
export const DEFAULT_PERIOD_SECONDS = 10;
export const DEFAULT_TIMEOUT_SECONDS = 1;
export const DEFAULT_SUCCESS_THRESHOLD = 1;
export const DEFAULT_FAILURE_THRESHOLD = 3;

export interface ProbeWorkerOptions {
  containerId: string;
  probe: V1Probe;
  /** the action to run, or why none can be built (each run then fails with that message) */
  action: ProbeAction | Error;
  firstRunAtMs: number;
  runtime: Pick<RuntimeService, 'probeContainer'>;
  clock: Clock;
  logger: Logger;
  onFailure(message: string): void;
  onResult(success: boolean): void;
}

export interface ProbeWorker {
  stop(): void;
}

/** a positive whole number from the probe, or the default (the API server validates; this guards) */
const positive = (value: number | undefined, fallback: number): number =>
  value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;

export function startProbeWorker(opts: ProbeWorkerOptions): ProbeWorker {
  const { clock, probe } = opts;
  const periodMs = positive(probe.periodSeconds, DEFAULT_PERIOD_SECONDS) * 1000;
  const timeoutSeconds = positive(probe.timeoutSeconds, DEFAULT_TIMEOUT_SECONDS);
  const successThreshold = positive(probe.successThreshold, DEFAULT_SUCCESS_THRESHOLD);
  const failureThreshold = positive(probe.failureThreshold, DEFAULT_FAILURE_THRESHOLD);

  let stopped = false;
  let cancelNextRun = (): void => {};
  let cancelTimeout = (): void => {};
  let lastResult: boolean | undefined;
  let resultRun = 0;

  const schedule = (delayMs: number): void => {
    cancelNextRun = clock.setTimer(Math.max(0, delayMs), runOnce);
  };

  function runOnce(): void {
    if (stopped) return;
    const startedAt = clock.now();
    let settled = false;
    const finish = (success: boolean, message: string): void => {
      // a late answer after a timeout, or any answer after stop(), is dropped
      if (settled || stopped) return;
      settled = true;
      cancelTimeout();
      record(success, message);
      if (!stopped) schedule(startedAt + periodMs - clock.now());
    };
    cancelTimeout = clock.setTimer(timeoutSeconds * 1000, () => finish(false, 'timeout'));
    call(opts.action, timeoutSeconds).then(
      (response) => finish(response.result === 'SUCCESS', response.message),
      (err: unknown) => finish(false, err instanceof Error ? err.message : String(err)),
    );
  }

  /** the runtime call as a promise that never throws synchronously */
  async function call(action: ProbeAction | Error, timeout: number) {
    if (action instanceof Error) throw action;
    return opts.runtime.probeContainer({ containerId: opts.containerId, probe: action, timeoutSeconds: timeout });
  }

  function record(success: boolean, message: string): void {
    if (!success) {
      opts.logger.debug({ containerId: opts.containerId, message }, 'probe failed');
      opts.onFailure(message);
      if (stopped) return;
    }
    if (lastResult === success) resultRun++;
    else {
      lastResult = success;
      resultRun = 1;
    }
    if (resultRun < (success ? successThreshold : failureThreshold)) return;
    opts.onResult(success);
  }

  schedule(opts.firstRunAtMs - clock.now());
  return {
    stop() {
      stopped = true;
      cancelNextRun();
      cancelTimeout();
    },
  };
}

/**
 * One simulated container and its state machine, driven by the clock alone:
 *
 *   CREATED ──start()──▶ (start-ms) ──▶ RUNNING ──(run-ms)──▶ EXITED exit-code
 *                                          │
 *                                     stop(timeout) ── SIGTERM: exits 143 after termination-ms,
 *                                                      or SIGKILL at the timeout: 137
 *
 * A container costs no timer while it simply runs: timers exist only for a transition
 * that is due (starting, a finite run, a grace period), and every transition that is due
 * "now" happens synchronously instead of through a zero-length timer. Disk output (log
 * records, the termination message) is queued in order on one promise chain per
 * container; start() and stop() resolve once the output of their transition is written,
 * so a caller that reads the log right after sees it.
 */
import type { Logger } from 'pino';
import type { Clock } from '../../../client/clock.js';
import type { ContainerConfig, ContainerState, ContainerStatus, LinuxContainerResources, ProbeAction, ProbeContainerResponse } from '../../cri/api.js';
import { CriError } from '../../cri/errors.js';
import type { LogStream } from '../../logs/cri-log-format.js';
import { appendLog, formatLogRecords, terminationMessageHostPath, writeTerminationMessage } from './container-output.js';
import { answerProbe } from './probe-answer.js';
import type { ContainerLifecycle } from './sim-annotations.js';

/** what every container of one runtime shares */
export interface ContainerEnvironment {
  clock: Clock;
  logger: Logger | undefined;
}

/** the sandbox facts a container needs */
export interface ContainerSandboxView {
  readonly id: string;
  isReady(): boolean;
  podIp(): string;
}

const EXIT_SIGTERM = 143;
const EXIT_SIGKILL = 137;
const IDLE: Promise<void> = Promise.resolve();

interface Waiter {
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class SimulatedContainer {
  state: ContainerState = 'CONTAINER_CREATED';
  readonly createdAtMs: number;
  startedAtMs = 0;
  finishedAtMs = 0;
  exitCode = 0;
  reason = '';
  resources: LinuxContainerResources | undefined;

  /** pending start (start-ms > 0) */
  private starting: (Waiter & { cancel: () => void }) | undefined;
  /** the container's own exit (finite run-ms) */
  private cancelRun: (() => void) | undefined;
  private cancelTick: (() => void) | undefined;
  /** SIGTERM sent: when it exits by itself, and when it gets killed */
  private stopping: { exitAt: number; killAt: number; cancel: () => void } | undefined;
  private exitWaiters: Waiter[] | undefined;
  /** disk output, in order */
  private output: Promise<void> = IDLE;

  constructor(
    readonly id: string,
    readonly sandbox: ContainerSandboxView,
    readonly config: ContainerConfig,
    readonly imageRef: string,
    /** absolute, '' when the kubelet gave no log path */
    readonly logPath: string,
    readonly lifecycle: ContainerLifecycle,
    private readonly env: ContainerEnvironment,
  ) {
    this.createdAtMs = env.clock.now();
    this.resources = config.linux?.resources;
  }

  /** resolves once RUNNING (after start-ms) and the start-up log lines are written */
  async start(): Promise<void> {
    if (this.state !== 'CONTAINER_CREATED' || this.starting) {
      throw new CriError('FailedPrecondition', `container ${this.id} is ${this.starting ? 'already starting' : describeState(this.state)}; only a created container can be started`);
    }
    if (!this.sandbox.isReady()) throw new CriError('FailedPrecondition', `sandbox ${this.sandbox.id} of container ${this.id} is not ready`);
    if (this.lifecycle.startMs > 0) {
      await new Promise<void>((resolve, reject) => {
        const cancel = this.env.clock.setTimer(this.lifecycle.startMs, () => {
          this.starting = undefined;
          resolve();
        });
        this.starting = { resolve, reject, cancel };
      });
    }
    this.becomeRunning();
    await this.output;
  }

  /**
   * SIGTERM, then SIGKILL after `timeoutSeconds` (0: SIGKILL at once, as containerd does);
   * resolves when the container has exited and its exit output is written. A second stop
   * can only bring the SIGKILL closer, as with the real kubelet's shortened grace period.
   */
  stop(timeoutSeconds: number): Promise<void> {
    if (this.starting) {
      // Stopped before its process came up: nothing to signal, it is simply gone.
      const starting = this.starting;
      this.starting = undefined;
      starting.cancel();
      starting.reject(new CriError('Unknown', `container ${this.id} was stopped before it started`));
      this.exit(EXIT_SIGKILL, 'Error');
      return this.output;
    }
    if (this.state !== 'CONTAINER_RUNNING') return this.output; // created or exited: nothing runs
    const now = this.env.clock.now();
    const killAt = timeoutSeconds > 0 ? now + timeoutSeconds * 1000 : now;
    if (this.stopping) {
      this.stopping.cancel();
      this.stopping.killAt = Math.min(this.stopping.killAt, killAt);
    } else {
      const exitAt = timeoutSeconds > 0 ? now + this.lifecycle.terminationMs : Number.POSITIVE_INFINITY;
      this.stopping = { exitAt, killAt, cancel: noop };
    }
    const { exitAt } = this.stopping;
    const at = Math.min(exitAt, this.stopping.killAt);
    const code = exitAt <= this.stopping.killAt ? EXIT_SIGTERM : EXIT_SIGKILL;
    const exited = this.whenExited();
    if (at <= now) this.exit(code, 'Error');
    else this.stopping.cancel = this.env.clock.setTimer(at - now, () => this.exit(code, 'Error'));
    return exited;
  }

  probe(action: ProbeAction): ProbeContainerResponse {
    if (this.state !== 'CONTAINER_RUNNING') throw new CriError('FailedPrecondition', `container ${this.id} is ${describeState(this.state)}, not running`);
    return answerProbe(this.lifecycle.probe, this.ranMs(), action, this.sandbox.podIp());
  }

  /** how long it has run: until now, or until it exited */
  ranMs(): number {
    if (this.startedAtMs === 0) return 0;
    return (this.state === 'CONTAINER_EXITED' ? this.finishedAtMs : this.env.clock.now()) - this.startedAtMs;
  }

  status(): ContainerStatus {
    const c = this.config;
    return {
      id: this.id,
      metadata: { ...c.metadata },
      state: this.state,
      createdAt: this.createdAtMs * 1e6,
      startedAt: this.startedAtMs * 1e6,
      finishedAt: this.finishedAtMs * 1e6,
      exitCode: this.exitCode,
      image: { ...c.image },
      imageRef: this.imageRef,
      reason: this.reason,
      message: '',
      labels: { ...c.labels },
      annotations: { ...c.annotations },
      mounts: c.mounts.map((m) => ({ ...m })),
      logPath: this.logPath,
    };
  }

  /** the runtime is closing: cancel every timer and fail whoever still waits */
  abandon(err: CriError): void {
    this.cancelRun?.();
    this.cancelTick?.();
    this.stopping?.cancel();
    if (this.starting) {
      this.starting.cancel();
      this.starting.reject(err);
      this.starting = undefined;
    }
    for (const waiter of this.exitWaiters ?? []) waiter.reject(err);
    this.exitWaiters = undefined;
  }

  private becomeRunning(): void {
    const now = this.env.clock.now();
    this.state = 'CONTAINER_RUNNING';
    this.startedAtMs = now;
    this.writeLog(now, 'stdout', this.lifecycle.logLines);
    if (this.lifecycle.logEveryMs !== undefined) this.tick(this.lifecycle.logEveryMs, 1);
    const runMs = this.lifecycle.runMs;
    if (runMs === 0) this.exit(this.lifecycle.exitCode, exitReason(this.lifecycle.exitCode));
    else if (runMs !== undefined) this.cancelRun = this.env.clock.setTimer(runMs, () => this.exit(this.lifecycle.exitCode, exitReason(this.lifecycle.exitCode)));
  }

  private exit(code: number, reason: string): void {
    if (this.state === 'CONTAINER_EXITED') return;
    const now = this.env.clock.now();
    this.cancelRun?.();
    this.cancelTick?.();
    this.stopping?.cancel();
    this.cancelRun = undefined;
    this.cancelTick = undefined;
    this.stopping = undefined;
    this.state = 'CONTAINER_EXITED';
    this.finishedAtMs = now;
    this.exitCode = code;
    this.reason = reason;
    this.env.logger?.debug({ containerId: this.id, container: this.config.metadata.name, exitCode: code }, 'simulated container exited');

    const { logsOnExit, terminationMessage } = this.lifecycle;
    this.writeLog(now, code === 0 ? 'stdout' : 'stderr', logsOnExit);
    if (terminationMessage !== undefined) {
      const hostPath = terminationMessageHostPath(this.config.mounts, this.config.annotations);
      if (hostPath) this.queueOutput(() => writeTerminationMessage(hostPath, terminationMessage), hostPath);
    }
    const waiters = this.exitWaiters;
    this.exitWaiters = undefined;
    if (waiters) void this.output.then(() => waiters.forEach((w) => w.resolve()));
  }

  /** recreate the log file after the kubelet rotated it away (queued behind pending writes) */
  reopenLog(): Promise<void> {
    if (this.logPath) this.queueOutput(() => appendLog(this.logPath, ''), this.logPath);
    return this.output;
  }

  /** sim.k8ts.io/log-every-ms: one `tick <n>` line per period until the container exits */
  private tick(everyMs: number, n: number): void {
    this.cancelTick = this.env.clock.setTimer(everyMs, () => {
      if (this.state !== 'CONTAINER_RUNNING') return;
      this.writeLog(this.env.clock.now(), 'stdout', [`tick ${n}`]);
      this.tick(everyMs, n + 1);
    });
  }

  /** resolves after the exit and its output */
  private whenExited(): Promise<void> {
    if (this.state === 'CONTAINER_EXITED') return this.output;
    return new Promise((resolve, reject) => (this.exitWaiters ??= []).push({ resolve, reject }));
  }

  private writeLog(ms: number, stream: LogStream, lines: readonly string[]): void {
    if (!this.logPath || lines.length === 0) return;
    const text = formatLogRecords(ms, stream, lines);
    this.queueOutput(() => appendLog(this.logPath, text), this.logPath);
  }

  /** a failed write is logged, never thrown: the container's state does not depend on the disk */
  private queueOutput(write: () => Promise<void>, path: string): void {
    this.output = this.output.then(write).catch((err: unknown) => {
      this.env.logger?.warn({ err, path, containerId: this.id }, 'simulated container could not write its output');
    });
  }
}

const noop = (): void => {};

const exitReason = (code: number): string => (code === 0 ? 'Completed' : 'Error');

const describeState = (state: ContainerState): string => state.replace('CONTAINER_', '').toLowerCase();

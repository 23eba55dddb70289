/**
 * One sync of a pod that should be running (no deletionTimestamp): kube's
 * computePodActions + SyncPod, level-based — read what the runtime has, make it match the
 * spec, report the status.
 *
 *   0. the volumes are set up (and configMap/secret/token contents refreshed); until every
 *      volume was mounted once nothing else runs (FailedMount, containers ContainerCreating)
 *   1. a ready sandbox (adopted by pod uid label, else created; a dead one is replaced
 *      with attempt + 1 and its containers stopped)
 *   2. prober bookkeeping; containers whose liveness (or startup) probe failed are killed
 *      and then go through the restart rules like any exited container
 *   3. init containers in order: each must exit 0 before the next; a sidecar (restartPolicy
 *      Always) must be running and started, and is restarted whenever it exits
 *   4. regular containers: started once init is done; exited ones restart per restartPolicy,
 *      behind CrashLoopBackOff
 *   5. when no regular container will run again, sidecars are stopped and the pod is terminal
 *   6. old exited instances are removed (the newest exited one of each container is kept for
 *      lastState and `kubectl logs --previous`)
 *   7. the status is computed and written when it changed
 * A terminal pod (Succeeded/Failed) only gets its remaining containers stopped.
 */
import type { V1Container } from '@kubernetes/client-node';
import { rm } from 'node:fs/promises';
import type { ContainerStatus, PodSandbox } from '../cri/api.js';
import { CONTAINER_HASH_ANNOTATION, type ContainerType } from '../cri/labels.js';
import type { WaitingReason } from '../status/types.js';
import { VolumeSetUpError } from '../volumes/types.js';
import { errorMessage } from './api-error-code.js';
import { containerHash, terminationLogPath } from './container-config.js';
import { formatGoDuration } from './go-duration.js';
import { DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS, killContainerInstance } from './kill-container.js';
import { containerFieldPath, formatPod, podReference } from './pod-events.js';
import { computePodStatus, sandboxView, writePodStatus } from './pod-status-writer.js';
import { containerSpec, containerTypeOf, isSidecar, podRestartPolicy, shouldRestart } from './restart-policy.js';
import { containerName, instancesOf, latestInstance, nanosToMs, readRuntimePod, type RuntimePod } from './runtime-pod.js';
import { buildSandboxConfig } from './sandbox-config.js';
import { startContainerInstance, type RunningSandbox, type StartOutcome } from './start-container.js';
import type { PodRecord, SyncDeps, SyncResult } from './sync-context.js';
import { SyncResultBuilder } from './sync-result.js';

const TERMINAL_PHASES = new Set(['Succeeded', 'Failed']);

export async function syncLivePod(deps: SyncDeps, record: PodRecord): Promise<SyncResult> {
  const sync = new LivePodSync(deps, record);
  return sync.run();
}

class LivePodSync {
  private readonly result = new SyncResultBuilder();
  private readonly waiting: Record<string, WaitingReason> = {};
  private runtimePod: RuntimePod = { sandboxes: [], containers: [] };
  private changed = false;

  constructor(
    private readonly deps: SyncDeps,
    private readonly record: PodRecord,
  ) {}

  private get pod() {
    return this.record.pod;
  }

  private get gracePeriodSeconds(): number {
    return this.pod.spec?.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS;
  }

  async run(): Promise<SyncResult> {
    this.runtimePod = await readRuntimePod(this.deps.runtime, this.record.uid);
    if (!this.record.terminal && TERMINAL_PHASES.has(this.pod.status?.phase ?? '')) this.record.terminal = true;
    if (this.record.terminal) return this.syncTerminal();
    if (!(await this.mountVolumes())) {
      // kube: the containers wait in ContainerCreating until every volume is mounted
      await this.reportStatus();
      return this.result.build();
    }

    const sandbox = await this.ensureSandbox();
    if (sandbox) {
      await this.handleProbes();
      const { initDone, initFailed } = await this.syncInitContainers(sandbox);
      if (initDone) await this.syncRegularContainers(sandbox);
      else if (!initFailed) for (const c of this.pod.spec?.containers ?? []) this.waiting[c.name] ??= { reason: 'PodInitializing' };
      if (initFailed || (initDone && this.noRegularContainerWillRun())) {
        // kube: once the main containers are done for good, sidecars are stopped and the pod is terminal
        this.record.terminal = true;
        await this.stopRunningContainers();
        await this.stopSandboxes();
      }
      await this.pruneExitedInstances();
    }
    await this.reportStatus();
    return this.result.build();
  }

  // ---- terminal pods ----------------------------------------------------------------------

  private async syncTerminal(): Promise<SyncResult> {
    await this.stopRunningContainers();
    await this.stopSandboxes();
    await this.reportStatus();
    return this.result.build();
  }

  private async stopRunningContainers(): Promise<void> {
    await this.refresh();
    const running = this.runtimePod.containers.filter((c) => c.state === 'CONTAINER_RUNNING');
    if (running.length === 0) return;
    const order = (c: ContainerStatus) => (containerTypeOf(this.pod, containerName(c)) === 'sidecar' ? 1 : 0);
    // regular and init containers first, sidecars afterwards in reverse start order
    const first = running.filter((c) => order(c) === 0);
    const sidecars = running.filter((c) => order(c) === 1).reverse();
    await Promise.all(first.map((c) => this.kill(c, `Stopping container ${containerName(c)}`)));
    for (const c of sidecars) await this.kill(c, `Stopping container ${containerName(c)}`);
  }

  private async stopSandboxes(): Promise<void> {
    await this.refresh();
    for (const s of this.runtimePod.sandboxes) {
      if (s.state !== 'SANDBOX_READY') continue;
      await this.deps.runtime.stopPodSandbox({ podSandboxId: s.id });
      this.changed = true;
    }
  }

  private async kill(instance: ContainerStatus, message: string): Promise<void> {
    await killContainerInstance(this.deps, this.record, instance, containerSpec(this.pod, containerName(instance)), {
      message,
      gracePeriodSeconds: this.gracePeriodSeconds,
      ...(this.record.podIP ? { podIP: this.record.podIP } : {}),
    });
    this.changed = true;
  }

  private async refresh(): Promise<void> {
    if (!this.changed) return;
    this.runtimePod = await readRuntimePod(this.deps.runtime, this.record.uid);
    this.changed = false;
  }

  // ---- 0. volumes --------------------------------------------------------------------------

  /**
   * Set up (and refresh) the pod's volumes before anything runs. A failure is a FailedMount
   * event per volume and a retry soon; it holds the pod back only until every volume was
   * mounted once.
   */
  private async mountVolumes(): Promise<boolean> {
    const { volumes } = this.deps;
    if (!volumes) return true;
    try {
      await volumes.setUp(this.pod);
      this.record.volumesMounted = true;
      return true;
    } catch (err) {
      const messages = err instanceof VolumeSetUpError ? err.messages : [errorMessage(err)];
      for (const message of messages) this.deps.recorder.event(podReference(this.pod), 'Warning', 'FailedMount', message);
      this.deps.logger.warn({ pod: formatPod(this.pod), err: errorMessage(err) }, 'volume set-up failed');
      this.result.retry();
      return this.record.volumesMounted === true;
    }
  }

  // ---- 1. sandbox -------------------------------------------------------------------------

  private async ensureSandbox(): Promise<RunningSandbox | undefined> {
    let sandbox: PodSandbox | undefined = this.runtimePod.sandboxes.find((s) => s.state === 'SANDBOX_READY');
    if (!sandbox) {
      const previous = this.runtimePod.sandboxes[0];
      if (previous) {
        this.deps.recorder.event(podReference(this.pod), 'Normal', 'SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.');
        for (const c of this.runtimePod.containers) {
          if (c.state === 'CONTAINER_RUNNING') await killContainerInstance(this.deps, this.record, c, undefined, { gracePeriodSeconds: 0, gracePeriodOverride: 0 });
        }
      }
      const config = buildSandboxConfig(this.pod, this.deps.logRoot, previous ? previous.metadata.attempt + 1 : 0);
      try {
        await this.deps.runtime.runPodSandbox({ config, runtimeHandler: '' });
      } catch (err) {
        this.deps.recorder.event(podReference(this.pod), 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${errorMessage(err)}`);
        this.result.retry();
        return undefined;
      }
      this.changed = true;
      await this.refresh();
      sandbox = this.runtimePod.sandboxes.find((s) => s.state === 'SANDBOX_READY');
      if (!sandbox) {
        this.result.retry();
        return undefined;
      }
    }
    const view = await sandboxView(this.deps, this.record, this.runtimePod);
    return { id: sandbox.id, config: buildSandboxConfig(this.pod, this.deps.logRoot, sandbox.metadata.attempt), ...(view?.ip ? { ip: view.ip } : {}) };
  }

  // ---- 2. probes --------------------------------------------------------------------------

  private async handleProbes(): Promise<void> {
    const { prober } = this.deps;
    for (const c of this.runtimePod.containers) {
      const name = containerName(c);
      const spec = containerSpec(this.pod, name);
      if (c.state !== 'CONTAINER_RUNNING' || !spec || latestInstance(this.runtimePod, name) !== c) {
        if (this.record.probed.delete(c.id)) prober.removeContainer(c.id);
        continue;
      }
      if (!this.record.probed.has(c.id)) {
        // a container we adopted, or one that started since: watch it
        prober.addContainer(this.pod, spec, c.id, c.startedAt ? nanosToMs(c.startedAt) : this.deps.clock.now());
        this.record.probed.add(c.id);
        continue;
      }
      const hash = c.annotations[CONTAINER_HASH_ANNOTATION];
      if (hash !== undefined && hash !== containerHash(spec) && containerTypeOf(this.pod, name) !== 'init') {
        // kube restarts a changed container whatever the restart policy
        this.record.forceRestart.add(name);
        await this.kill(c, `Container ${name} definition changed, will be restarted`);
        continue;
      }
      if (prober.livenessFailed(c.id)) {
        const probe = spec.startupProbe && !prober.isStarted(c.id) ? 'startup' : 'liveness';
        const restarts = podRestartPolicy(this.pod) !== 'Never' || containerTypeOf(this.pod, name) === 'sidecar';
        await this.kill(c, `Container ${name} failed ${probe} probe${restarts ? ', will be restarted' : ''}`);
      }
    }
    await this.refresh();
  }

  // ---- 3. init containers -----------------------------------------------------------------

  private async syncInitContainers(sandbox: RunningSandbox): Promise<{ initDone: boolean; initFailed: boolean }> {
    const restartPolicy = podRestartPolicy(this.pod);
    // after a kubelet restart, finished init containers may have been cleaned up: regular
    // containers that exist prove init completed once, and kube never re-runs it then
    const regularStarted = (this.pod.spec?.containers ?? []).some((c) => latestInstance(this.runtimePod, c.name));
    for (const c of this.pod.spec?.initContainers ?? []) {
      const latest = latestInstance(this.runtimePod, c.name);
      if (isSidecar(c)) {
        if (latest?.state === 'CONTAINER_RUNNING' || latest?.state === 'CONTAINER_UNKNOWN') {
          if (this.sidecarStarted(c, latest)) continue;
          return { initDone: false, initFailed: false };
        }
        const outcome = await this.startOrBackOff(c, 'sidecar', sandbox, latest);
        if (outcome?.started && this.sidecarStarted(c, outcome.status)) continue;
        return { initDone: false, initFailed: false };
      }
      if (latest?.state === 'CONTAINER_EXITED' && latest.exitCode === 0) continue;
      if (!latest && regularStarted) continue;
      if (latest && latest.state !== 'CONTAINER_EXITED' && latest.state !== 'CONTAINER_CREATED') return { initDone: false, initFailed: false };
      if (latest?.state === 'CONTAINER_EXITED' && restartPolicy === 'Never') return { initDone: false, initFailed: true };
      const outcome = await this.startOrBackOff(c, 'init', sandbox, latest);
      if (outcome?.started && outcome.status.state === 'CONTAINER_EXITED' && outcome.status.exitCode === 0) continue;
      return { initDone: false, initFailed: false };
    }
    return { initDone: true, initFailed: false };
  }

  private sidecarStarted(spec: V1Container, status: ContainerStatus): boolean {
    if (status.state !== 'CONTAINER_RUNNING' && status.state !== 'CONTAINER_UNKNOWN') return false;
    return !spec.startupProbe || this.deps.prober.isStarted(status.id);
  }

  // ---- 4. regular containers --------------------------------------------------------------

  private async syncRegularContainers(sandbox: RunningSandbox): Promise<void> {
    const restartPolicy = podRestartPolicy(this.pod);
    for (const c of this.pod.spec?.containers ?? []) {
      const latest = latestInstance(this.runtimePod, c.name);
      if (latest?.state === 'CONTAINER_RUNNING' || latest?.state === 'CONTAINER_UNKNOWN') continue;
      const forced = this.record.forceRestart.has(c.name);
      if (latest?.state === 'CONTAINER_EXITED' && !forced && !shouldRestart(restartPolicy, 'regular', latest.exitCode)) continue;
      const outcome = await this.startOrBackOff(c, 'regular', sandbox, latest, forced);
      if (outcome?.started) this.record.forceRestart.delete(c.name);
    }
  }

  /** true when every regular container has exited and none will be restarted */
  private noRegularContainerWillRun(): boolean {
    const restartPolicy = podRestartPolicy(this.pod);
    if (restartPolicy === 'Always') return false;
    const containers = this.pod.spec?.containers ?? [];
    return (
      containers.length > 0 &&
      containers.every((c) => {
        const latest = latestInstance(this.runtimePod, c.name);
        return latest?.state === 'CONTAINER_EXITED' && !this.record.forceRestart.has(c.name) && !shouldRestart(restartPolicy, 'regular', latest.exitCode);
      })
    );
  }

  /**
   * Start the next instance of a container, unless its last exit is still inside its
   * CrashLoopBackOff window (kube's doBackOff: the window counts from the exit).
   */
  private async startOrBackOff(container: V1Container, type: ContainerType, sandbox: RunningSandbox, latest: ContainerStatus | undefined, forced = false): Promise<StartOutcome | undefined> {
    const { crashBackoff, clock, recorder } = this.deps;
    if (latest?.state === 'CONTAINER_EXITED' && !forced) {
      const key = `${this.record.uid}/${container.name}`;
      const finishedAt = latest.finishedAt ? nanosToMs(latest.finishedAt) : clock.now();
      if (crashBackoff.inBackoffSince(key, finishedAt)) {
        const pod = formatPod(this.pod);
        this.waiting[container.name] = {
          reason: 'CrashLoopBackOff',
          message: `back-off ${formatGoDuration(crashBackoff.delay(key))} restarting failed container=${container.name} pod=${pod}`,
        };
        recorder.event(podReference(this.pod), 'Warning', 'BackOff', `Back-off restarting failed container ${container.name} in pod ${pod}`, {
          fieldPath: containerFieldPath(this.pod, container.name),
        });
        this.result.resyncAt(crashBackoff.expiresAt(key, finishedAt));
        return undefined;
      }
      crashBackoff.next(key, finishedAt);
    }
    if (latest?.state === 'CONTAINER_CREATED') {
      // created but never started (the start failed): replace it
      await this.deps.runtime.removeContainer({ containerId: latest.id });
      this.changed = true;
    }
    const attempt = latest ? latest.metadata.attempt + 1 : 0;
    const outcome = await startContainerInstance(this.deps, this.record, container, type, attempt, sandbox);
    this.changed = true;
    if (outcome.started) {
      const replaced = latest?.state === 'CONTAINER_CREATED' ? latest.id : undefined;
      this.runtimePod.containers = [outcome.status, ...this.runtimePod.containers.filter((c) => c.id !== outcome.status.id && c.id !== replaced)];
      return outcome;
    }
    this.waiting[container.name] = outcome.waiting;
    if (outcome.retryAtMs !== undefined) this.result.resyncAt(outcome.retryAtMs);
    if (outcome.retrySoon) this.result.retry();
    return outcome;
  }

  // ---- 6. garbage ---------------------------------------------------------------------------

  private async pruneExitedInstances(): Promise<void> {
    await this.refresh();
    const names = new Set(this.runtimePod.containers.map(containerName));
    for (const name of names) {
      const exited = instancesOf(this.runtimePod, name).filter((c) => c.state === 'CONTAINER_EXITED');
      for (const old of exited.slice(1)) {
        await this.deps.runtime.removeContainer({ containerId: old.id });
        this.record.terminationMessages.delete(old.id);
        await rm(terminationLogPath(this.deps.logRoot, this.record.uid, name, old.metadata.attempt), { force: true });
        this.changed = true;
      }
    }
  }

  // ---- 7. status --------------------------------------------------------------------------

  private async reportStatus(): Promise<void> {
    await this.refresh();
    let status = await computePodStatus(this.deps, this.record, this.runtimePod, this.waiting, false);
    if (!this.record.terminal && TERMINAL_PHASES.has(status.phase ?? '')) {
      // e.g. an init container failed under restartPolicy Never: nothing will run again
      this.record.terminal = true;
      await this.stopRunningContainers();
      await this.stopSandboxes();
      await this.refresh();
      status = await computePodStatus(this.deps, this.record, this.runtimePod, this.waiting, false);
    }
    await writePodStatus(this.deps, this.record, status);
  }
}

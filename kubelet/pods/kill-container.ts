/**
 * Stopping one running container instance, kube's killContainer: a Normal Killing event
 * with the reason, the preStop hook (exec through execSync, httpGet through
 * probeContainer) within the grace period, then stopContainer with what is left of it —
 * never less than 2 s after a hook, so the process gets a chance to shut down — unless
 * an override (0 for a pod already gone from the API) says otherwise.
 */
import type { V1Container } from '@kubernetes/client-node';
import type { ContainerStatus } from '../cri/api.js';
import { errorMessage } from './api-error-code.js';
import { containerFieldPath, podReference } from './pod-events.js';
import { containerName } from './runtime-pod.js';
import type { PodRecord, SyncDeps } from './sync-context.js';

export const MINIMUM_GRACE_PERIOD_SECONDS = 2;
export const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;

export interface KillOptions {
  /** the Killing event's message; none for a silent kill */
  message?: string;
  gracePeriodSeconds: number;
  /** used as the stop timeout regardless of hooks (0: kill at once, no preStop) */
  gracePeriodOverride?: number;
  podIP?: string;
}

export async function killContainerInstance(deps: SyncDeps, record: PodRecord, instance: ContainerStatus, spec: V1Container | undefined, opts: KillOptions): Promise<void> {
  const pod = record.pod;
  const name = containerName(instance);
  if (opts.message) deps.recorder.event(podReference(pod), 'Normal', 'Killing', opts.message, { fieldPath: containerFieldPath(pod, name) });
  deps.prober.removeContainer(instance.id);
  record.probed.delete(instance.id);

  let grace = opts.gracePeriodSeconds;
  const preStop = spec?.lifecycle?.preStop;
  if (spec && preStop && grace > 0 && opts.gracePeriodOverride === undefined) {
    const started = deps.clock.now();
    await runPreStop(deps, instance.id, spec, grace, opts.podIP).catch((err) => {
      deps.recorder.event(podReference(pod), 'Warning', 'FailedPreStopHook', `PreStopHook failed: ${errorMessage(err)}`, { fieldPath: containerFieldPath(pod, name) });
    });
    grace -= Math.floor((deps.clock.now() - started) / 1000);
  }
  if (grace < MINIMUM_GRACE_PERIOD_SECONDS) grace = MINIMUM_GRACE_PERIOD_SECONDS;
  if (opts.gracePeriodOverride !== undefined) grace = opts.gracePeriodOverride;
  await deps.runtime.stopContainer({ containerId: instance.id, timeout: grace });
}

async function runPreStop(deps: SyncDeps, containerId: string, spec: V1Container, graceSeconds: number, podIP: string | undefined): Promise<void> {
  const hook = spec.lifecycle?.preStop;
  if (!hook) return;
  if (hook.exec?.command) {
    const result = await deps.runtime.execSync({ containerId, cmd: hook.exec.command, timeout: graceSeconds });
    if (result.exitCode !== 0) throw new Error(`command '${hook.exec.command.join(' ')}' exited with ${result.exitCode}: ${Buffer.from(result.stderr).toString('utf8')}`);
    return;
  }
  if (hook.httpGet) {
    const port = resolvePort(spec, hook.httpGet.port);
    const result = await deps.runtime.probeContainer({
      containerId,
      probe: {
        httpGet: {
          host: hook.httpGet.host ?? podIP ?? '',
          port,
          path: hook.httpGet.path ?? '/',
          scheme: hook.httpGet.scheme === 'HTTPS' ? 'HTTPS' : 'HTTP',
          httpHeaders: (hook.httpGet.httpHeaders ?? []).map((h) => ({ name: h.name, value: h.value })),
        },
      },
      timeoutSeconds: graceSeconds,
    });
    if (result.result !== 'SUCCESS') throw new Error(result.message || 'HTTP lifecycle hook failed');
    return;
  }
  if (hook.sleep?.seconds) {
    await deps.clock.sleep(Math.min(hook.sleep.seconds, graceSeconds) * 1000);
  }
}

/** a hook's port: a number, a numeric string, or the name of one of the container's ports */
function resolvePort(spec: V1Container, port: number | string): number {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  const named = spec.ports?.find((p) => p.name === port);
  if (!named) throw new Error(`port "${port}" is not a port of container ${spec.name}`);
  return named.containerPort;
}

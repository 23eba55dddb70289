/**
 * Graceful termination of a pod the API marked for deletion (deletionTimestamp set), in
 * kube's order: Killing "Stopping container <name>" for every running container, preStop
 * hooks and stops within the grace period (deletionGracePeriodSeconds, else the spec's
 * terminationGracePeriodSeconds, else 30 s) — regular and init containers together,
 * sidecars afterwards in reverse order with what is left of the grace period — then the
 * sandbox stops, the final status (every container terminated) is written, the pod is
 * deleted through the API with gracePeriodSeconds 0 and a uid precondition (404 or a
 * failed precondition mean it is already gone), and the sandbox is removed.
 *
 * removePod is the hard path for a pod already gone from the API: everything is killed at
 * once, the sandbox removed, the volumes torn down (tmpfs unmounted) and the pod's files
 * (termination logs, container logs) deleted.
 */
import { rm } from 'node:fs/promises';
import type { ContainerStatus } from '../cri/api.js';
import { apiErrorCode } from './api-error-code.js';
import { podLogDirectory } from '../logs/log-paths.js';
import { podDataDirectory } from './container-config.js';
import { DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS, killContainerInstance } from './kill-container.js';
import { computePodStatus, writePodStatus } from './pod-status-writer.js';
import { containerSpec, containerTypeOf } from './restart-policy.js';
import { containerName, readRuntimePod } from './runtime-pod.js';
import { podIdentity } from './sandbox-config.js';
import type { PodRecord, SyncDeps, SyncResult } from './sync-context.js';

export async function terminatePod(deps: SyncDeps, record: PodRecord): Promise<SyncResult> {
  const pod = record.pod;
  const grace = pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS;
  const deadline = deps.clock.now() + grace * 1000;
  let runtimePod = await readRuntimePod(deps.runtime, record.uid);

  const running = runtimePod.containers.filter((c) => c.state === 'CONTAINER_RUNNING');
  const isSidecar = (c: ContainerStatus) => containerTypeOf(pod, containerName(c)) === 'sidecar';
  const kill = (c: ContainerStatus) =>
    killContainerInstance(deps, record, c, containerSpec(pod, containerName(c)), {
      message: `Stopping container ${containerName(c)}`,
      gracePeriodSeconds: Math.max(0, Math.ceil((deadline - deps.clock.now()) / 1000)),
      ...(record.podIP ? { podIP: record.podIP } : {}),
    });
  await Promise.all(running.filter((c) => !isSidecar(c)).map(kill));
  for (const c of running.filter(isSidecar).reverse()) await kill(c);
  for (const s of runtimePod.sandboxes) await deps.runtime.stopPodSandbox({ podSandboxId: s.id });
  deps.prober.removePod(record.uid);
  record.probed.clear();

  runtimePod = await readRuntimePod(deps.runtime, record.uid);
  const status = await computePodStatus(deps, record, runtimePod, {}, true);
  const written = await writePodStatus(deps, record, status);
  if (written !== 'gone') {
    try {
      await deps.client.resource('v1', 'Pod').delete(pod.metadata?.name ?? '', {
        namespace: pod.metadata?.namespace ?? 'default',
        gracePeriodSeconds: 0,
        preconditions: { uid: record.uid },
      });
    } catch (err) {
      const code = apiErrorCode(err);
      // 404: already gone; 409: the name now belongs to another pod (uid precondition)
      if (code !== 404 && code !== 409) throw err;
    }
  }
  for (const s of runtimePod.sandboxes) await deps.runtime.removePodSandbox({ podSandboxId: s.id });
  record.terminated = true;
  return {};
}

export async function removePod(deps: SyncDeps, record: PodRecord): Promise<SyncResult> {
  const runtimePod = await readRuntimePod(deps.runtime, record.uid);
  deps.prober.removePod(record.uid);
  record.probed.clear();
  await Promise.all(
    runtimePod.containers
      .filter((c) => c.state === 'CONTAINER_RUNNING')
      .map((c) => killContainerInstance(deps, record, c, undefined, { gracePeriodSeconds: 0, gracePeriodOverride: 0 })),
  );
  for (const s of runtimePod.sandboxes) {
    await deps.runtime.stopPodSandbox({ podSandboxId: s.id });
    await deps.runtime.removePodSandbox({ podSandboxId: s.id });
  }
  // after the sandbox: no container holds a volume mount any more
  await deps.volumes?.tearDown(record.uid);
  deps.crashBackoff.resetPrefix(`${record.uid}/`);
  deps.imageBackoff.resetPrefix(`${record.uid}/`);
  await rm(podDataDirectory(deps.logRoot, record.uid), { recursive: true, force: true });
  // the logs go with the pod, as the real kubelet removes a deleted pod's log directory
  await rm(podLogDirectory(deps.logRoot, podIdentity(record.pod)), { recursive: true, force: true });
  return { done: true };
}

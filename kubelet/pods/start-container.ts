/**
 * Starting one container instance, kube's startContainer: make the image present,
 * create the termination-log file, createContainer (Created event), startContainer
 * (Started event), then hand the running instance to the prober. A failure becomes the
 * waiting reason the status shows (ErrImagePull, CreateContainerError, RunContainerError,
 * …) and a Warning event, never an exception.
 */
import type { V1Container } from '@kubernetes/client-node';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ContainerStatus, PodSandboxConfig } from '../cri/api.js';
import type { ContainerType } from '../cri/labels.js';
import type { WaitingReason } from '../status/types.js';
import { errorMessage } from './api-error-code.js';
import { buildContainerConfig, terminationLogPath } from './container-config.js';
import { ensureImage } from './image-puller.js';
import { containerFieldPath, podReference } from './pod-events.js';
import { nanosToMs } from './runtime-pod.js';
import type { PodRecord, SyncDeps } from './sync-context.js';

export interface RunningSandbox {
  id: string;
  config: PodSandboxConfig;
  ip?: string;
}

export type StartOutcome =
  | { started: true; status: ContainerStatus }
  | { started: false; waiting: WaitingReason; retryAtMs?: number; retrySoon?: boolean };

export async function startContainerInstance(
  deps: SyncDeps,
  record: PodRecord,
  container: V1Container,
  type: ContainerType,
  attempt: number,
  sandbox: RunningSandbox,
): Promise<StartOutcome> {
  const pod = record.pod;
  const ref = podReference(pod);
  const fieldPath = containerFieldPath(pod, container.name);
  const fail = (reason: string, err: unknown): StartOutcome => {
    const message = errorMessage(err);
    deps.recorder.event(ref, 'Warning', 'Failed', `Error: ${message}`, { fieldPath });
    deps.logger.warn({ pod: `${pod.metadata?.namespace}/${pod.metadata?.name}`, container: container.name, err: message }, `container start failed: ${reason}`);
    return { started: false, waiting: { reason, message }, retrySoon: true };
  };

  const image = await ensureImage({ images: deps.runtime, recorder: deps.recorder, clock: deps.clock, backoff: deps.imageBackoff }, pod, container, sandbox.config);
  if (!image.ok) {
    return { started: false, waiting: image.waiting, ...(image.retryAtMs !== undefined ? { retryAtMs: image.retryAtMs } : { retrySoon: true }) };
  }

  let containerId: string;
  try {
    const hostPath = terminationLogPath(deps.logRoot, record.uid, container.name, attempt);
    await mkdir(dirname(hostPath), { recursive: true });
    await writeFile(hostPath, '');
    const config = buildContainerConfig({ pod, container, type, attempt, terminationLogHostPath: hostPath, ...(sandbox.ip ? { podIP: sandbox.ip } : {}), hostIP: deps.hostIP });
    ({ containerId } = await deps.runtime.createContainer({ podSandboxId: sandbox.id, config, sandboxConfig: sandbox.config }));
  } catch (err) {
    return fail('CreateContainerError', err);
  }
  deps.recorder.event(ref, 'Normal', 'Created', `Created container: ${container.name}`, { fieldPath });

  try {
    await deps.runtime.startContainer({ containerId });
  } catch (err) {
    return fail('RunContainerError', err);
  }
  deps.recorder.event(ref, 'Normal', 'Started', `Started container ${container.name}`, { fieldPath });

  const { status } = await deps.runtime.containerStatus({ containerId, verbose: false });
  if (status.state === 'CONTAINER_RUNNING') {
    deps.prober.addContainer(pod, container, containerId, status.startedAt ? nanosToMs(status.startedAt) : deps.clock.now());
    record.probed.add(containerId);
  }
  return { started: true, status };
}

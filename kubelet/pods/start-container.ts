/**
 * Starting one container instance, kube's startContainer: make the image present (with
 * the pod's imagePullSecrets), build the container's config — env from its sources,
 * the image's user checked against runAsNonRoot, the security context, volume mounts —
 * create the termination-log file, createContainer (Created event), startContainer
 * (Started event), then hand the running instance to the prober. A failure becomes the
 * waiting reason the status shows (ErrImagePull, CreateContainerConfigError for a config
 * that cannot be built, CreateContainerError, RunContainerError, …) and a Warning event,
 * never an exception.
 */
import type { V1Container } from '@kubernetes/client-node';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import type { ContainerStatus, KeyValue, LinuxContainerSecurityContext, Mount, PodSandboxConfig } from '../cri/api.js';
import type { ContainerType } from '../cri/labels.js';
import type { WaitingReason } from '../status/types.js';
import { errorMessage } from './api-error-code.js';
import { buildContainerConfig, terminationLogPath } from './container-config.js';
import { makeEnvironmentVariables } from './container-env.js';
import { envSourcesFor } from './env-sources.js';
import { ensureImage } from './image-puller.js';
import { containerFieldPath, podReference } from './pod-events.js';
import { missingPullSecretsMessage, pullCredentialsFor } from './pull-secrets.js';
import { containerSecurityContext, imageUser, verifyRunAsNonRoot } from './security-context.js';
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

  const sources = envSourcesFor(deps.client, deps.clock);
  const pullCredentials = (p: V1Pod, image: string) =>
    pullCredentialsFor(p, image, sources, (missing) => deps.recorder.event(ref, 'Warning', 'FailedToRetrieveImagePullSecret', missingPullSecretsMessage(missing)));
  const image = await ensureImage({ images: deps.runtime, recorder: deps.recorder, clock: deps.clock, backoff: deps.imageBackoff, pullCredentials }, pod, container, sandbox.config);
  if (!image.ok) {
    return { started: false, waiting: image.waiting, ...(image.retryAtMs !== undefined ? { retryAtMs: image.retryAtMs } : { retrySoon: true }) };
  }

  // kube's generateContainerConfig: anything wrong here is CreateContainerConfigError
  let envs: KeyValue[];
  let securityContext: LinuxContainerSecurityContext;
  let mounts: Mount[];
  try {
    envs = await makeEnvironmentVariables(pod, container, {
      podIPs: sandbox.ip ? [sandbox.ip] : [],
      hostIPs: [deps.hostIP],
      // the kubelet's node allocatable is not at hand here: unset limits fall back to requests (downward-api.ts)
      warn: (reason, message) => deps.recorder.event(ref, 'Warning', reason, message),
    }, sources);
    const user = imageUser((await deps.runtime.imageStatus({ image: { image: container.image ?? '' }, verbose: false })).image);
    const refusal = verifyRunAsNonRoot(pod, container, user);
    if (refusal) throw new Error(refusal);
    securityContext = containerSecurityContext(pod, container, user);
    mounts = deps.volumes?.mountsFor(pod, container) ?? [];
  } catch (err) {
    return fail('CreateContainerConfigError', err);
  }

  let containerId: string;
  try {
    const hostPath = terminationLogPath(deps.logRoot, record.uid, container.name, attempt);
    await mkdir(dirname(hostPath), { recursive: true });
    await writeFile(hostPath, '');
    const config = buildContainerConfig({ pod, container, type, attempt, terminationLogHostPath: hostPath, envs, mounts, securityContext });
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

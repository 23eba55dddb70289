/**
 * The ContainerConfig for one container instance: command/args ($(VAR) expanded against the
 * container's env, computed beforehand by container-env.ts) and workingDir from the spec, the
 * volume mounts and the security context (security-context.ts) handed in, the kubelet's labels and annotations (restart count, termination message path and
 * policy, container type), the CRI log path <name>/<attempt>.log, the termination-log
 * file mounted at terminationMessagePath, and Linux resources from the limits (CPU quota
 * over a 100 ms period, shares from the request, memory limit).
 */
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { ContainerConfig, KeyValue, LinuxContainerResources, LinuxContainerSecurityContext, Mount } from '../cri/api.js';
import {
  CONTAINER_HASH_ANNOTATION,
  CONTAINER_RESTART_COUNT_ANNOTATION,
  CONTAINER_TERMINATION_MESSAGE_PATH_ANNOTATION,
  CONTAINER_TERMINATION_MESSAGE_POLICY_ANNOTATION,
  CONTAINER_TYPE_ANNOTATION,
  POD_TERMINATION_GRACE_PERIOD_ANNOTATION,
  containerLabels,
  type ContainerType,
} from '../cri/labels.js';
import { containerLogPath } from '../logs/log-paths.js';
import { parseQuantity } from '../../client/quantity.js';
import { expandCommandAndArgs } from './container-env.js';
import { podIdentity } from './sandbox-config.js';

export const DEFAULT_TERMINATION_MESSAGE_PATH = '/dev/termination-log';
const CPU_PERIOD_MICROS = 100_000;
const MIN_CPU_SHARES = 2;

/**
 * Where the kubelet keeps a pod's own files (termination-log files), apart from the log
 * directory so `kubectl logs` never sees them: <root>/pod-data/<uid>.
 */
export const podDataDirectory = (root: string, podUid: string): string => join(root, 'pod-data', podUid);

/** the host file mounted at a container instance's terminationMessagePath */
export const terminationLogPath = (root: string, podUid: string, container: string, attempt: number): string =>
  join(podDataDirectory(root, podUid), 'containers', container, `${attempt}.termination-log`);

export interface ContainerConfigInput {
  pod: V1Pod;
  container: V1Container;
  type: ContainerType;
  attempt: number;
  /** the host path of the termination-log file (already created) */
  terminationLogHostPath: string;
  /** the container's environment (makeEnvironmentVariables) */
  envs: KeyValue[];
  /** volume mounts, after the termination-log mount */
  mounts?: Mount[];
  securityContext?: LinuxContainerSecurityContext;
}

export function buildContainerConfig(input: ContainerConfigInput): ContainerConfig {
  const { pod, container, type, attempt } = input;
  const id = podIdentity(pod);
  const terminationMessagePath = container.terminationMessagePath ?? DEFAULT_TERMINATION_MESSAGE_PATH;
  const annotations: Record<string, string> = {
    [CONTAINER_HASH_ANNOTATION]: containerHash(container),
    [CONTAINER_RESTART_COUNT_ANNOTATION]: String(attempt),
    [CONTAINER_TERMINATION_MESSAGE_PATH_ANNOTATION]: terminationMessagePath,
    [CONTAINER_TERMINATION_MESSAGE_POLICY_ANNOTATION]: container.terminationMessagePolicy ?? 'File',
    [CONTAINER_TYPE_ANNOTATION]: type,
  };
  const grace = pod.spec?.terminationGracePeriodSeconds;
  if (grace !== undefined) annotations[POD_TERMINATION_GRACE_PERIOD_ANNOTATION] = String(grace);
  const resources = linuxResources(container);
  const { command, args } = expandCommandAndArgs(container, input.envs);
  const linux = {
    ...(resources ? { resources } : {}),
    ...(input.securityContext ? { securityContext: input.securityContext } : {}),
  };
  return {
    metadata: { name: container.name, attempt },
    image: { image: container.image ?? '' },
    command,
    args,
    workingDir: container.workingDir ?? '',
    envs: input.envs,
    mounts: [{ containerPath: terminationMessagePath, hostPath: input.terminationLogHostPath, readonly: false }, ...(input.mounts ?? [])],
    labels: containerLabels(id, container.name),
    annotations,
    logPath: containerLogPath(container.name, attempt),
    stdin: container.stdin ?? false,
    stdinOnce: container.stdinOnce ?? false,
    tty: container.tty ?? false,
    ...(Object.keys(linux).length > 0 ? { linux } : {}),
  };
}

/**
 * kube's container hash: a fingerprint of the container spec, kept on the instance, so a
 * changed spec (the image is the one field a pod may change) is noticed and the container
 * restarted with the new one. Hashing the whole spec would do too; the image is enough here
 * and stays stable when the API server adds defaults.
 */
export const containerHash = (container: V1Container): string => createHash('sha256').update(container.image ?? '').digest('hex').slice(0, 8);

function linuxResources(container: V1Container): LinuxContainerResources | undefined {
  const limits = container.resources?.limits ?? {};
  const requests = container.resources?.requests ?? {};
  const cpuLimit = parseQuantity(limits['cpu']);
  const cpuRequest = parseQuantity(requests['cpu']) ?? cpuLimit;
  const memoryLimit = parseQuantity(limits['memory']);
  if (cpuLimit === undefined && cpuRequest === undefined && memoryLimit === undefined) return undefined;
  return {
    cpuPeriod: cpuLimit !== undefined ? CPU_PERIOD_MICROS : 0,
    cpuQuota: cpuLimit !== undefined ? Math.max(1000, Math.round(cpuLimit * CPU_PERIOD_MICROS)) : 0,
    cpuShares: cpuRequest !== undefined ? Math.max(MIN_CPU_SHARES, Math.round(cpuRequest * 1024)) : 0,
    memoryLimitInBytes: memoryLimit !== undefined ? Math.round(memoryLimit) : 0,
    oomScoreAdj: 0,
    cpusetCpus: '',
    cpusetMems: '',
  };
}

/**
 * One V1ContainerStatus per container of the spec, built from every instance the runtime
 * still has of it — kubelet's convertToAPIContainerStatuses in k8ts' terms:
 *
 * - the newest instance is the current one: its state is the container's state, its
 *   attempt the restartCount, its image ref the imageID;
 * - the instance before it, when it exited, is lastState;
 * - an exited container the kubelet will start again (restart policy, not terminating) and
 *   for which the pod worker gave a waiting reason (CrashLoopBackOff, …) shows waiting,
 *   with the exit moved to lastState — that is what `kubectl get pods` shows while backing off;
 * - a container with no instance waits with the worker's reason, else a default.
 */
import type { V1Container, V1ContainerState, V1ContainerStateTerminated, V1ContainerStatus } from '@kubernetes/client-node';
import type { ContainerStatus } from '../cri/api.js';
import type { PodStatusInput } from './types.js';
import { apiTime, nanosToRfc3339 } from './rfc3339.js';

/** init: runs to completion before the others; sidecar: init container with restartPolicy Always */
export type ContainerRole = 'init' | 'sidecar' | 'regular';

export const roleOf = (container: V1Container, isInit: boolean): ContainerRole =>
  !isInit ? 'regular' : container.restartPolicy === 'Always' ? 'sidecar' : 'init';

/** newest first: by creation time, then attempt, then id (so equal inputs give equal output) */
export const newestFirst = (a: ContainerStatus, b: ContainerStatus): number =>
  b.createdAt - a.createdAt || b.metadata.attempt - a.metadata.attempt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** kube's ShouldContainerBeRestarted, for a container whose current instance exited */
export function willRestart(role: ContainerRole, restartPolicy: string | undefined, exitCode: number): boolean {
  if (role === 'sidecar') return true;
  const policy = restartPolicy ?? 'Always';
  // a regular init container that succeeded is done, whatever the pod's policy
  if (role === 'init') return policy !== 'Never' && exitCode !== 0;
  if (policy === 'Always') return true;
  if (policy === 'OnFailure') return exitCode !== 0;
  return false;
}

export interface ContainerStatusContext {
  input: PodStatusInput;
  /** the default waiting reason of a container that has no instance yet */
  defaultWaitingReason: string;
}

export function buildContainerStatus(container: V1Container, role: ContainerRole, ctx: ContainerStatusContext): V1ContainerStatus {
  const { input } = ctx;
  const instances = input.containers.filter((c) => c.metadata.name === container.name).sort(newestFirst);
  const current = instances[0];
  const previous = instances[1];
  const waiting = input.waiting[container.name];
  const waitingState = (): V1ContainerState => ({
    waiting: withoutEmpty({ reason: waiting?.reason ?? ctx.defaultWaitingReason, message: waiting?.message }),
  });

  let state: V1ContainerState;
  let lastState: V1ContainerState = previous?.state === 'CONTAINER_EXITED' ? { terminated: terminatedState(previous, input) } : {};
  switch (current?.state) {
    case undefined:
      state = waitingState();
      break;
    case 'CONTAINER_RUNNING':
      state = { running: withoutEmpty({ startedAt: time(current.startedAt) }) };
      break;
    case 'CONTAINER_EXITED':
      if (!input.terminating && waiting && willRestart(role, input.pod.spec?.restartPolicy, current.exitCode)) {
        state = waitingState();
        lastState = { terminated: terminatedState(current, input) };
      } else {
        state = { terminated: terminatedState(current, input) };
      }
      break;
    default:
      // created but not started, or a state the runtime cannot tell: waiting to run
      state = waitingState();
  }

  const running = current?.state === 'CONTAINER_RUNNING';
  const started = running && input.isStarted(current.id);
  // a regular init container is "ready" once it completed (kube's prober manager says so)
  const ready =
    role === 'init' ? state.terminated?.exitCode === 0 : running && started && input.isReady(current.id);

  const status: V1ContainerStatus = {
    name: container.name,
    state,
    lastState,
    ready,
    restartCount: current ? Math.max(current.metadata.attempt, instances.length - 1) : 0,
    image: container.image ?? '',
    imageID: current?.imageRef ?? '',
    started,
  };
  if (current) status.containerID = containerId(input, current);
  return status;
}

const containerId = (input: PodStatusInput, c: ContainerStatus): string => `${input.runtimeName}://${c.id}`;

function terminatedState(c: ContainerStatus, input: PodStatusInput): V1ContainerStateTerminated {
  return withoutEmpty({
    exitCode: c.exitCode,
    reason: c.reason || (c.exitCode === 0 ? 'Completed' : 'Error'),
    message: input.terminationMessages[c.id] ?? c.message,
    startedAt: time(c.startedAt),
    finishedAt: time(c.finishedAt),
    containerID: containerId(input, c),
  });
}

function time(nanos: number): Date | undefined {
  const text = nanosToRfc3339(nanos);
  return text === undefined ? undefined : apiTime(text);
}

/** drop undefined and '' fields, as the API's omitempty does */
function withoutEmpty<T extends object>(obj: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) if (value !== undefined && value !== '') out[key] = value;
  return out as T;
}

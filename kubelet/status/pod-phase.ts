/**
 * The pod phase from the container statuses — kubelet's getPhase, rule for rule:
 *
 * - Failed at once when a regular init container failed and the pod never restarts.
 * - Pending while a regular init container has not completed, while a sidecar has not
 *   started (unless a regular container already ran — then the sidecar is restarting,
 *   not initializing), or while a regular container waits without ever having run.
 * - Running once every regular container was created and one runs (a sidecar running
 *   counts too).
 * - Everything stopped: with restartPolicy Always it is all restarting (Running);
 *   otherwise Succeeded when every exit was 0, Failed under Never, and Running under
 *   OnFailure (the failures restart). A pod the kubelet is terminating does not restart
 *   anything, so once stopped it is Succeeded or Failed whatever its policy.
 * - A terminal phase already reported never goes back.
 */
import type { V1Container, V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { roleOf } from './container-statuses.js';

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

export interface PhaseInput {
  pod: V1Pod;
  initContainerStatuses: V1ContainerStatus[];
  containerStatuses: V1ContainerStatus[];
  terminating: boolean;
}

export function podPhase({ pod, initContainerStatuses, containerStatuses, terminating }: PhaseInput): PodPhase {
  const previous = pod.status?.phase;
  if (previous === 'Succeeded' || previous === 'Failed') return previous;

  const spec = pod.spec;
  const restartPolicy = spec?.restartPolicy ?? 'Always';
  const initContainers = spec?.initContainers ?? [];
  const byName = (statuses: V1ContainerStatus[], c: V1Container) => statuses.find((s) => s.name === c.name);

  let pendingInit = 0;
  let failedInit = 0;
  let pendingSidecars = 0;
  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;

  for (const container of initContainers) {
    const status = byName(initContainerStatuses, container);
    const { running: isRunning, terminated, waiting: isWaiting } = status?.state ?? {};
    const lastExit = status?.lastState?.terminated;
    if (roleOf(container, true) === 'sidecar') {
      if (!status) unknown++;
      else if (isRunning) {
        if (!status.started) pendingSidecars++;
        running++;
      } else if (terminated || lastExit) {
        // a stopped sidecar is restarting; it neither holds the pod back nor keeps it running
      } else if (isWaiting) {
        pendingSidecars++;
        waiting++;
      } else {
        pendingSidecars++;
        unknown++;
      }
      continue;
    }
    if (!status || isRunning) pendingInit++;
    else if (terminated) {
      if (terminated.exitCode !== 0) failedInit++;
    } else if (lastExit) {
      // waiting to run again after an exit: a failure when that exit was one
      if (lastExit.exitCode !== 0) failedInit++;
    } else pendingInit++;
  }

  let anyRegularStarted = false;
  for (const container of spec?.containers ?? []) {
    const status = byName(containerStatuses, container);
    if (!status) {
      unknown++;
      continue;
    }
    const { running: isRunning, terminated } = status.state ?? {};
    const lastExit = status.lastState?.terminated;
    if (isRunning || terminated || lastExit) anyRegularStarted = true;
    if (isRunning) running++;
    else if (terminated) {
      stopped++;
      if (terminated.exitCode === 0) succeeded++;
    } else if (lastExit) stopped++;
    else waiting++;
  }

  if (failedInit > 0 && restartPolicy === 'Never') return 'Failed';
  if (pendingInit > 0 || (pendingSidecars > 0 && !anyRegularStarted)) return 'Pending';
  if (waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (terminating) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (restartPolicy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (restartPolicy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

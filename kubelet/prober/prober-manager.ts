/**
 * The prober manager (./types.ts has the contract): the probe workers of every running
 * container instance, and the three answers the pod worker asks for — isReady, isStarted,
 * livenessFailed — kept per container id.
 *
 * Lifecycle of one container instance's probes, as kube's prober runs them:
 *
 *   startup probe?  ── yes → startup worker ─ succeeded → started; liveness + readiness workers start
 *         │                                 └ failed ×failureThreshold → livenessFailed (restart it)
 *         └ no → started at once; liveness + readiness workers start
 *   readiness: not ready until successThreshold successes; flips back after failureThreshold failures
 *   liveness:  failureThreshold failures → livenessFailed, and the liveness worker stops
 *              (the pod worker kills the container; its replacement gets a new id and new workers)
 *
 * Liveness and readiness workers that start after the startup probe succeeded run at once
 * when their initialDelaySeconds (counted from the container's start) has already passed,
 * rather than waiting a period as kube's ticker may: readiness is known sooner.
 *
 * Every failed probe records a Warning Unhealthy event on the pod; any change of the three
 * answers calls onChange(podUid).
 */
import type { V1Container, V1Pod, V1Probe } from '@kubernetes/client-node';
import type { KubeObject } from '../../client/types.js';
import type { ProbeAction } from '../cri/api.js';
import { probeActionOf } from './probe-action.js';
import { startProbeWorker, type ProbeWorker } from './probe-worker.js';
import type { CreateProberManager, ProbeKind, ProberManager, ProberOptions } from './types.js';

interface ContainerProbes {
  podUid: string;
  /** `<podUid>/<container name>`: a new instance of the same container replaces this one */
  containerKey: string;
  containerId: string;
  pod: V1Pod;
  container: V1Container;
  startedAtMs: number;
  ready: boolean;
  started: boolean;
  livenessFailed: boolean;
  workers: Map<ProbeKind, ProbeWorker>;
}

const PROBE_FIELD = { liveness: 'livenessProbe', readiness: 'readinessProbe', startup: 'startupProbe' } as const;
const EVENT_PREFIX = { liveness: 'Liveness', readiness: 'Readiness', startup: 'Startup' } as const;

export const createProberManager: CreateProberManager = (opts: ProberOptions): ProberManager => {
  const byId = new Map<string, ContainerProbes>();
  const byContainer = new Map<string, string>();
  let stopped = false;

  const probeOf = (entry: ContainerProbes, kind: ProbeKind): V1Probe | undefined => entry.container[PROBE_FIELD[kind]];
  const isCurrent = (entry: ContainerProbes): boolean => byId.get(entry.containerId) === entry;

  function startWorker(entry: ContainerProbes, kind: ProbeKind): void {
    const probe = probeOf(entry, kind);
    if (!probe) return;
    let action: ProbeAction | Error;
    try {
      action = probeActionOf(probe, entry.pod, entry.container);
    } catch (err) {
      action = err as Error;
    }
    const worker = startProbeWorker({
      containerId: entry.containerId,
      probe,
      action,
      firstRunAtMs: entry.startedAtMs + (probe.initialDelaySeconds ?? 0) * 1000,
      runtime: opts.runtime,
      clock: opts.clock,
      logger: opts.logger,
      onFailure: (message) => recordUnhealthy(entry, kind, message),
      onResult: (success) => onResult(entry, kind, success),
    });
    entry.workers.set(kind, worker);
  }

  function stopWorker(entry: ContainerProbes, kind: ProbeKind): void {
    entry.workers.get(kind)?.stop();
    entry.workers.delete(kind);
  }

  /** liveness and readiness run once the container counts as started */
  function startMainWorkers(entry: ContainerProbes): void {
    startWorker(entry, 'liveness');
    startWorker(entry, 'readiness');
  }

  function onResult(entry: ContainerProbes, kind: ProbeKind, success: boolean): void {
    if (!isCurrent(entry)) return;
    const before = answers(entry);
    if (kind === 'readiness') entry.ready = success;
    else if (kind === 'liveness') {
      if (!success) {
        entry.livenessFailed = true;
        stopWorker(entry, 'liveness');
      }
    } else if (success) {
      entry.started = true;
      stopWorker(entry, 'startup');
      startMainWorkers(entry);
    } else {
      // a container that never starts is restarted, as one whose liveness failed
      entry.livenessFailed = true;
      stopWorker(entry, 'startup');
    }
    if (answers(entry) !== before) notify(entry.podUid);
  }

  function recordUnhealthy(entry: ContainerProbes, kind: ProbeKind, message: string): void {
    if (!isCurrent(entry)) return;
    const { pod, container } = entry;
    const isInit = pod.spec?.initContainers?.some((c) => c.name === container.name) ?? false;
    const regarding = { ...(pod as unknown as KubeObject), apiVersion: pod.apiVersion ?? 'v1', kind: pod.kind ?? 'Pod' };
    const fieldPath = `spec.${isInit ? 'initContainers' : 'containers'}{${container.name}}`;
    try {
      opts.recorder.event(regarding, 'Warning', 'Unhealthy', `${EVENT_PREFIX[kind]} probe failed: ${message}`, { fieldPath });
    } catch (err) {
      opts.logger.warn({ err }, 'recording an Unhealthy event failed');
    }
  }

  function notify(podUid: string): void {
    try {
      opts.onChange(podUid);
    } catch (err) {
      opts.logger.error({ err, podUid }, 'prober onChange callback threw');
    }
  }

  function removeContainer(containerId: string): void {
    const entry = byId.get(containerId);
    if (!entry) return;
    for (const worker of entry.workers.values()) worker.stop();
    entry.workers.clear();
    byId.delete(containerId);
    if (byContainer.get(entry.containerKey) === containerId) byContainer.delete(entry.containerKey);
  }

  return {
    addContainer(pod, container, containerId, startedAtMs) {
      if (stopped || byId.has(containerId)) return;
      const podUid = pod.metadata?.uid ?? '';
      const containerKey = `${podUid}/${container.name}`;
      const replaced = byContainer.get(containerKey);
      if (replaced !== undefined) removeContainer(replaced);
      const entry: ContainerProbes = {
        podUid,
        containerKey,
        containerId,
        pod,
        container,
        startedAtMs,
        ready: !container.readinessProbe,
        started: !container.startupProbe,
        livenessFailed: false,
        workers: new Map(),
      };
      byId.set(containerId, entry);
      byContainer.set(containerKey, containerId);
      if (container.startupProbe) startWorker(entry, 'startup');
      else startMainWorkers(entry);
    },
    removeContainer,
    removePod(podUid) {
      for (const entry of [...byId.values()]) if (entry.podUid === podUid) removeContainer(entry.containerId);
    },
    isReady: (containerId) => byId.get(containerId)?.ready ?? true,
    isStarted: (containerId) => byId.get(containerId)?.started ?? true,
    livenessFailed: (containerId) => byId.get(containerId)?.livenessFailed ?? false,
    stop() {
      stopped = true;
      for (const id of [...byId.keys()]) removeContainer(id);
    },
  };
};

/** the three answers as one comparable value */
const answers = (entry: ContainerProbes): string => `${entry.ready}/${entry.started}/${entry.livenessFailed}`;

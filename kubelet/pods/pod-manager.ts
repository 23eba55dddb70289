/**
 * The kubelet's pod manager: the informer (pods with spec.nodeName = this node) calls
 * podUpdated/podDeleted; each pod UID gets a PodWorker that serializes its syncs. A sync
 * is one of
 *   - removePod      the object is gone from the API: kill everything at once, remove the sandbox
 *   - terminatePod   deletionTimestamp set: graceful stop, final status, delete through the API
 *   - syncLivePod    otherwise: make the runtime match the spec, report the status
 * Syncs are triggered by informer events, prober changes, the PLEG (containers that
 * changed state in the runtime), backoff expiries, and a periodic resync of every pod.
 * stop() cancels timers and probers but leaves containers running: a restarted kubelet
 * adopts them through the pod uid label.
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Clock } from '../../client/clock.js';
import type { EventRecorder } from '../../client/events/types.js';
import type { KubeClient } from '../../client/types.js';
import type { ContainerStatus, Runtime } from '../cri/api.js';
import { isCriError } from '../cri/errors.js';
import { CONTAINER_NAME_LABEL, POD_NAME_LABEL, POD_NAMESPACE_LABEL, POD_UID_LABEL } from '../cri/labels.js';
import type { CreateProberManager } from '../prober/types.js';
import type { KubeletSettings } from '../settings.js';
import type { ComputePodStatus } from '../status/types.js';
import { createPodVolumes } from '../volumes/pod-volumes.js';
import type { TokenRefreshSettings } from '../volumes/service-account-token.js';
import { Backoff } from './crash-backoff.js';
import { Pleg } from './pleg.js';
import { PodWorker } from './pod-worker.js';
import { errorRetryDelayMs, type PodRecord, type SyncDeps, type SyncResult } from './sync-context.js';
import { syncLivePod } from './sync-live-pod.js';
import { removePod, terminatePod } from './terminate-pod.js';

export interface PodManagerOptions {
  nodeName: string;
  client: KubeClient;
  runtime: Runtime;
  /** 'sim' or 'runc': containerID is `<runtimeName>://<id>` */
  runtimeName: string;
  recorder: EventRecorder;
  clock: Clock;
  settings: KubeletSettings;
  /** the kubelet's data dir; pod logs live in podLogDirectory(logRoot, pod) */
  logRoot: string;
  hostIP: string;
  createProber: CreateProberManager;
  computeStatus: ComputePodStatus;
  logger: Logger;
  /**
   * <kubelet data dir>/pods: when given, the pods' volumes are set up on the host there
   * (runtimes with real containers); without it volumes are not materialized (simulated)
   */
  volumeRoot?: string;
  /** bound service account token refresh timing (kube's defaults otherwise) */
  volumeTokenRefresh?: Partial<TokenRefreshSettings>;
}

export interface FoundContainer {
  containerId: string;
  logPath: string;
  running: boolean;
}

export interface PodManager {
  podUpdated(pod: V1Pod): void;
  podDeleted(pod: V1Pod): void;
  stop(): Promise<void>;
  /** for the log server: the current (or, with `previous`, the last exited) instance of a container */
  findContainer(namespace: string, podName: string, containerName: string, previous: boolean): Promise<FoundContainer | undefined>;
}

/** PodManager plus what tests need to wait for quiet */
export interface PodManagerWithInternals extends PodManager {
  /** resolves when no sync and no relist is running */
  whenIdle(): Promise<void>;
  /** run a PLEG relist now */
  relist(): Promise<void>;
}

interface PodEntry {
  record: PodRecord;
  worker: PodWorker;
}

export function createPodManager(opts: PodManagerOptions): PodManagerWithInternals {
  const { clock, settings, logger } = opts;
  const entries = new Map<string, PodEntry>();
  let stopped = false;

  const requestSync = (uid: string) => entries.get(uid)?.worker.requestSync();
  const prober = opts.createProber({ runtime: opts.runtime, recorder: opts.recorder, clock, onChange: requestSync, logger: logger.child({ component: 'prober' }) });
  const deps: SyncDeps = {
    nodeName: opts.nodeName,
    client: opts.client,
    runtime: opts.runtime,
    runtimeName: opts.runtimeName,
    recorder: opts.recorder,
    clock,
    settings,
    logRoot: opts.logRoot,
    hostIP: opts.hostIP,
    prober,
    computeStatus: opts.computeStatus,
    crashBackoff: new Backoff(clock, settings.crashLoopBackoffInitialMs, settings.crashLoopBackoffMaxMs, settings.crashLoopBackoffResetMs),
    imageBackoff: new Backoff(clock, settings.crashLoopBackoffInitialMs, settings.crashLoopBackoffMaxMs, settings.crashLoopBackoffResetMs),
    logger,
  };
  if (opts.volumeRoot !== undefined) {
    deps.volumes = createPodVolumes({
      rootDir: opts.volumeRoot,
      client: opts.client,
      clock,
      nodeName: opts.nodeName,
      logger: logger.child({ component: 'volumes' }),
      ...(opts.volumeTokenRefresh ? { tokenRefresh: opts.volumeTokenRefresh } : {}),
    });
  }

  const syncPod = (record: PodRecord): Promise<SyncResult> => {
    if (record.deleted) return removePod(deps, record);
    if (record.terminated) return Promise.resolve({});
    if (record.pod.metadata?.deletionTimestamp) return terminatePod(deps, record);
    return syncLivePod(deps, record);
  };

  const entryFor = (pod: V1Pod): PodEntry | undefined => {
    const uid = pod.metadata?.uid;
    if (!uid) {
      logger.warn({ pod: pod.metadata?.name }, 'ignoring a pod without metadata.uid');
      return undefined;
    }
    let entry = entries.get(uid);
    if (!entry) {
      const record: PodRecord = { uid, pod, terminationMessages: new Map(), probed: new Set(), forceRestart: new Set(), terminal: false, terminated: false, deleted: false };
      const podLogger = logger.child({ pod: `${pod.metadata?.namespace}/${pod.metadata?.name}`, uid });
      const worker = new PodWorker({
        sync: () => syncPod(record),
        clock,
        errorRetryDelayMs: errorRetryDelayMs(settings),
        logger: podLogger,
        onDone: () => {
          if (entries.get(uid)?.record === record) entries.delete(uid);
        },
      });
      entry = { record, worker };
      entries.set(uid, entry);
    }
    return entry;
  };

  const pleg = new Pleg({ runtime: opts.runtime, clock, intervalMs: settings.plegRelistIntervalMs, onPodChanged: requestSync, logger });
  pleg.start();

  let cancelResync: (() => void) | undefined;
  const scheduleResync = () => {
    cancelResync = clock.setTimer(settings.podResyncIntervalMs, () => {
      for (const entry of entries.values()) entry.worker.requestSync();
      scheduleResync();
    });
  };
  scheduleResync();

  return {
    podUpdated(pod) {
      if (stopped) return;
      const entry = entryFor(pod);
      if (!entry || entry.record.deleted) return;
      // after the graceful termination the old object only awaits its DELETED event
      if (!entry.record.terminated) entry.record.pod = pod;
      entry.worker.requestSync();
    },

    podDeleted(pod) {
      if (stopped) return;
      // also for pods never seen: whatever the runtime still has of them must go
      const entry = entryFor(pod);
      if (!entry) return;
      entry.record.deleted = true;
      entry.worker.requestSync();
    },

    async stop() {
      if (stopped) return;
      stopped = true;
      cancelResync?.();
      await pleg.stop();
      await Promise.all([...entries.values()].map((e) => e.worker.stop()));
      prober.stop();
      // timers only: volumes stay mounted for the pods a restarted kubelet adopts
      await deps.volumes?.close();
    },

    async findContainer(namespace, podName, containerName, previous) {
      const known = [...entries.values()].find((e) => e.record.pod.metadata?.namespace === namespace && e.record.pod.metadata?.name === podName && !e.record.deleted);
      const labelSelector: Record<string, string> = known
        ? { [POD_UID_LABEL]: known.record.uid, [CONTAINER_NAME_LABEL]: containerName }
        : { [POD_NAMESPACE_LABEL]: namespace, [POD_NAME_LABEL]: podName, [CONTAINER_NAME_LABEL]: containerName };
      const { containers } = await opts.runtime.listContainers({ filter: { labelSelector } });
      const statuses = (
        await Promise.all(
          containers.map((c) =>
            opts.runtime.containerStatus({ containerId: c.id, verbose: false }).then(
              (r) => r.status,
              (err) => {
                if (isCriError(err, 'NotFound')) return undefined;
                throw err;
              },
            ),
          ),
        )
      )
        .filter((s): s is ContainerStatus => s !== undefined)
        .sort((a, b) => b.metadata.attempt - a.metadata.attempt || b.createdAt - a.createdAt);
      const newest = statuses[0];
      if (!newest) return undefined;
      // --previous: the last instance that exited — the newest itself while it waits to restart
      // --previous: the last instance that exited; while the newest waits to restart, that is the newest itself
      const chosen = previous ? (statuses.slice(1).find((s) => s.state === 'CONTAINER_EXITED') ?? (newest.state === 'CONTAINER_EXITED' ? newest : undefined)) : newest;
      if (!chosen) return undefined;
      return { containerId: chosen.id, logPath: chosen.logPath, running: chosen.state === 'CONTAINER_RUNNING' };
    },

    async whenIdle() {
      // a finishing sync may trigger another (coalesced requests, PLEG): wait until all is quiet
      do {
        await pleg.idle();
        await Promise.all([...entries.values()].map((e) => e.worker.idle()));
        await new Promise((resolve) => setImmediate(resolve));
      } while (pleg.busy || [...entries.values()].some((e) => e.worker.busy));
    },

    relist: () => pleg.relist(),
  };
}

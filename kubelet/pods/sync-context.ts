/**
 * What every part of a pod sync shares: the manager's dependencies (runtime, client,
 * recorder, prober, clock, settings, backoffs) and the per-pod record the worker keeps
 * between syncs. The record holds only what the runtime and the API cannot tell us again
 * (when we first saw the pod, the last status we wrote, which containers the prober
 * watches); everything else is re-read from the runtime on each sync.
 */
import type { V1Pod, V1PodStatus } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Clock } from '../../client/clock.js';
import type { EventRecorder } from '../../client/events/types.js';
import type { KubeClient } from '../../client/types.js';
import type { Runtime } from '../cri/api.js';
import type { ProberManager } from '../prober/types.js';
import type { KubeletSettings } from '../settings.js';
import type { ComputePodStatus } from '../status/types.js';
import type { PodVolumes } from '../volumes/types.js';
import type { Backoff } from './crash-backoff.js';

export interface SyncDeps {
  nodeName: string;
  client: KubeClient;
  runtime: Runtime;
  runtimeName: string;
  recorder: EventRecorder;
  clock: Clock;
  settings: KubeletSettings;
  logRoot: string;
  hostIP: string;
  prober: ProberManager;
  computeStatus: ComputePodStatus;
  /** CrashLoopBackOff, keyed `<pod uid>/<container name>` */
  crashBackoff: Backoff;
  /** ImagePullBackOff, keyed `<pod uid>/<image>` */
  imageBackoff: Backoff;
  logger: Logger;
  /** the pods' volumes on the host; absent for runtimes without a filesystem (simulated) */
  volumes?: PodVolumes;
}

export interface PodRecord {
  uid: string;
  /** the latest pod the informer gave us */
  pod: V1Pod;
  /** RFC3339: the first time this kubelet synced the pod (or the status' startTime) */
  startTime?: string;
  /** the last status we wrote (or found already written) */
  lastStatus?: V1PodStatus;
  lastStatusJson?: string;
  /** the pod IP, kept for the status after the sandbox stopped */
  podIP?: string;
  /** termination messages already read, by container id */
  terminationMessages: Map<string, string>;
  /** container ids handed to the prober */
  probed: Set<string>;
  /** containers killed because their spec changed: restarted whatever the restart policy, without backoff */
  forceRestart: Set<string>;
  /** the pod reached Succeeded/Failed: nothing restarts any more */
  terminal: boolean;
  /** the graceful termination finished and the pod was deleted through the API */
  terminated: boolean;
  /** the pod object is gone from the API (podDeleted) */
  deleted: boolean;
  /**
   * every volume was set up once: later refresh failures (a configMap deleted under a
   * running pod) are reported but no longer hold the containers back, as in kube, whose
   * volume manager waits only for volumes not mounted yet
   */
  volumesMounted?: boolean;
}

/** what one sync asks of the worker afterwards */
export interface SyncResult {
  /** re-sync at this clock time (a backoff ends) */
  resyncAtMs?: number;
  /** something failed: re-sync after the short error delay */
  retrySoon?: boolean;
  /** the pod is gone for good: drop its worker */
  done?: boolean;
}

/** the short delay before a sync that failed is retried (kube retries failed syncs within seconds) */
export const errorRetryDelayMs = (settings: KubeletSettings): number => Math.max(1, Math.min(5_000, Math.floor(settings.crashLoopBackoffInitialMs / 2)));

/**
 * The controller manager's settings: kube-controller-manager's flags that are timings or
 * sizes, each optional with kube's default. Tests shorten them; production never needs to.
 * One field per controller, typed in that controller's folder.
 */
import type { DaemonSetSettings } from './daemonset/index.js';
import type { DisruptionSettings } from './disruption/index.js';
import type { JobSettings, TtlAfterFinishedSettings } from './job/index.js';
import type { CronJobSettings } from './cronjob/index.js';
import type { EndpointSettings } from './endpoints/index.js';
import type { EndpointSliceSettings } from './endpointslice/index.js';
import type { ReplicaSetSettings } from './replicaset/index.js';
import type { StatefulSetSettings } from './statefulset/index.js';
import type { DeploymentSettings } from './deployment/index.js';

import type { NamespaceSettings } from './namespace/index.js';
import type { PodGCSettings } from './podgc/index.js';
import type { ResourceQuotaSettings } from './resourcequota/index.js';
import type { GarbageCollectorSettings } from './garbagecollector/index.js';
import type { NodeLifecycleSettings } from './nodelifecycle/index.js';

export interface ControllerManagerSettings {
  /** re-deliver every cached object to the controllers this often; 0 = never (default) */
  resyncPeriodMs?: number;
  /** leader election on the Lease kube-system/kube-controller-manager; false = run without it */
  leaderElection?: LeaderElectionSettings | false;
  /** only these controllers (kube's --controllers, names from the registry); default all */
  only?: string[];
  garbageCollector?: GarbageCollectorSettings;
  namespace?: NamespaceSettings;
  podGC?: PodGCSettings;
  resourceQuota?: ResourceQuotaSettings;
  disruption?: DisruptionSettings;
  job?: JobSettings;
  ttlAfterFinished?: TtlAfterFinishedSettings;
  cronJob?: CronJobSettings;
  deployment?: DeploymentSettings;
  endpoint?: EndpointSettings;
  endpointSlice?: EndpointSliceSettings;
  statefulSet?: StatefulSetSettings;
  daemonSet?: DaemonSetSettings;
  replicaSet?: ReplicaSetSettings;
  nodeLifecycle?: NodeLifecycleSettings;
}

export interface LeaderElectionSettings {
  /** kube's --leader-elect-lease-duration (default 15 s) */
  leaseDurationMs?: number;
  /** --leader-elect-renew-deadline (default 10 s) */
  renewDeadlineMs?: number;
  /** --leader-elect-retry-period (default 2 s) */
  retryPeriodMs?: number;
}

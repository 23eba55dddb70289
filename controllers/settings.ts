/**
 * The controller manager's settings: kube-controller-manager's flags that are timings or
 * sizes, each optional with kube's default. Tests shorten them; production never needs to.
 * One field per controller, typed in that controller's folder.
 */
import type { DisruptionSettings } from './disruption/index.js';

export interface ControllerManagerSettings {
  /** re-deliver every cached object to the controllers this often; 0 = never (default) */
  resyncPeriodMs?: number;
  /** leader election on the Lease kube-system/kube-controller-manager; false = run without it */
  leaderElection?: LeaderElectionSettings | false;
  /** only these controllers (kube's --controllers, names from the registry); default all */
  only?: string[];
  disruption?: DisruptionSettings;
}

export interface LeaderElectionSettings {
  /** kube's --leader-elect-lease-duration (default 15 s) */
  leaseDurationMs?: number;
  /** --leader-elect-renew-deadline (default 10 s) */
  renewDeadlineMs?: number;
  /** --leader-elect-retry-period (default 2 s) */
  retryPeriodMs?: number;
}

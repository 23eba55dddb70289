/**
 * The runc runtime's timings and limits, each a setting so tests can shorten them.
 */
export interface RuncRuntimeSettings {
  /** how often a stop polls for the container's exit (conmon's exit file) */
  exitPollMs: number;
  /** after SIGKILL, how long to wait for the exit file before giving up with an error */
  killWaitMs: number;
  /**
   * pids.max for every container (kubelet's podPidsLimit). kube's default is unlimited (-1);
   * k8ts caps it so a fork bomb in a lab pod cannot exhaust the host's pids. -1 = no limit.
   */
  pidsLimit: number;
  /** probes without their own timeout */
  defaultProbeTimeoutMs: number;
}

export const DEFAULT_RUNC_RUNTIME_SETTINGS: RuncRuntimeSettings = {
  exitPollMs: 25,
  killWaitMs: 10_000,
  pidsLimit: 4096,
  defaultProbeTimeoutMs: 1_000,
};

/**
 * Timings of the runc runtime's streaming sessions (exec, attach, port-forward), each a
 * setting so tests can shorten them and an operator can lengthen them.
 */
export interface RuncStreamingSettings {
  /** after close(), how long to wait for runc's pid file (a slow exec start) before killing runc itself */
  execKillWaitMs: number;
  /** after the exec'd process was killed, how long runc may take to exit before it is SIGKILLed too */
  runcExitWaitMs: number;
  /**
   * after runc exited, how long to wait for its stdout/stderr pipes to close: a background
   * child of the exec'd command may hold them open forever, and the session must still end
   */
  ioDrainMs: number;
  /** after an attach socket closed, how long to wait for conmon's exit file (the container's exit code) */
  attachExitWaitMs: number;
  /** how often to look for that exit file */
  attachExitPollMs: number;
  /** attach output waiting for a slow reader beyond this is dropped, as conmon drops it (bounds memory) */
  attachMaxBufferedBytes: number;
  /** a port-forward connect that takes longer fails (kube's dial timeout is the OS's; ours is bounded) */
  portForwardConnectTimeoutMs: number;
}

export const DEFAULT_RUNC_STREAMING_SETTINGS: RuncStreamingSettings = {
  execKillWaitMs: 2_000,
  runcExitWaitMs: 5_000,
  ioDrainMs: 1_000,
  attachExitWaitMs: 2_000,
  attachExitPollMs: 25,
  attachMaxBufferedBytes: 1 << 20,
  portForwardConnectTimeoutMs: 10_000,
};

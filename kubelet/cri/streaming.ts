/**
 * The streaming half of the runtime interface: CRI's Exec, Attach and PortForward.
 *
 * kube's CRI answers these with a URL to the runtime's own streaming server, which the
 * kubelet then proxies. k8ts runs its runtimes in the kubelet's process (or behind the
 * CRI-style socket, where streaming is not offered), so the runtime hands back live
 * streams instead, and the kubelet's server speaks the wire protocols (SPDY/3.1 and the
 * WebSocket channel protocols) over them. A runtime without streaming leaves
 * `Runtime.streaming` undefined; the kubelet then answers with a clear error.
 */
import type { Duplex, Readable, Writable } from 'node:stream';

export interface TerminalSize {
  width: number;
  height: number;
}

export interface ExecRequest {
  containerId: string;
  cmd: string[];
  /** run the command on a pseudo-terminal: stdout carries the terminal, there is no stderr */
  tty: boolean;
  /** give the command a stdin (else it reads /dev/null) */
  stdin: boolean;
  /** the terminal's first size, when tty */
  size?: TerminalSize;
}

export interface AttachRequest {
  containerId: string;
  tty: boolean;
  stdin: boolean;
}

/** One exec or attach session, live. */
export interface StreamSession {
  /** the process's stdin; present only when asked for. end() = EOF for the process */
  stdin?: Writable;
  /** stdout, or the terminal's output with tty; ends when the process (or attach) ends */
  stdout: Readable;
  /** stderr; absent with tty */
  stderr?: Readable;
  /** the terminal's new size (ignored without tty) */
  resize(size: TerminalSize): void;
  /**
   * Settles when the session is over, with the process's exit code for exec (128+signal
   * when killed by a signal); for attach, with the container's exit code if it exited,
   * else undefined (the client detached).
   */
  done: Promise<{ exitCode?: number }>;
  /** ends the session now: exec kills its process; attach detaches. Idempotent. */
  close(): void;
}

export interface StreamingRuntime {
  /** runs a command in a running container, in its namespaces and cgroup */
  exec(req: ExecRequest): Promise<StreamSession>;
  /** connects to a running container's main process stdio */
  attach(req: AttachRequest): Promise<StreamSession>;
  /**
   * A connection to `port` inside the sandbox's network namespace. Rejects with the
   * system's message (e.g. "connect ECONNREFUSED 10.244.0.5:80") when nothing listens.
   */
  portForward(req: { podSandboxId: string; port: number }): Promise<Duplex>;
}

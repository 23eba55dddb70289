/**
 * The runc runtime's StreamingRuntime (kubelet/cri/streaming.ts): exec (pipe-exec.ts,
 * pty-exec.ts), attach (attach-session.ts) and port-forward (port-forward.ts).
 *
 * The runtime (runc-runtime.ts) owns the records; it hands this class a narrow view
 * (RuncStreamingHost) that answers "is this container running, and how was it created"
 * and "where does this sandbox listen", with the runtime's own NotFound/FailedPrecondition
 * errors. This class keeps every live session and connection so closeAll() — called by
 * the runtime's close() — ends them: no exec'd process, pty, socket or fd outlives it.
 */
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import type { Clock } from '../../../../client/clock.js';
import { CriError } from '../../../cri/errors.js';
import type { AttachRequest, ExecRequest, StreamingRuntime, StreamSession } from '../../../cri/streaming.js';
import { startAttach } from './attach-session.js';
import { startPipeExec } from './pipe-exec.js';
import { dialPod } from './port-forward.js';
import { startPtyExec } from './pty-exec.js';
import { DEFAULT_RUNC_STREAMING_SETTINGS, type RuncStreamingSettings } from './streaming-settings.js';

export interface RunningContainerView {
  id: string;
  /** the bundle directory: per-exec pid and log files go there (removed with the container) */
  bundle: string;
  /** how the container was created (CRI ContainerConfig.stdin / tty) */
  stdin: boolean;
  tty: boolean;
}

export interface RuncStreamingHost {
  /** absolute path of runc */
  runcPath(): Promise<string>;
  runcRoot: string;
  /** conmon's socket directory (attach socket and ctl FIFO per container id) */
  socketsDir: string;
  /** the container, when it is running; NotFound / FailedPrecondition (CriError) otherwise */
  runningContainer(id: string): Promise<RunningContainerView>;
  /** the container's exit code once it exited (conmon's exit file), else undefined */
  exitCodeOf(id: string): Promise<number | undefined>;
  /** where the sandbox's pods listen: its pod IP, 127.0.0.1 with host network; NotFound / FailedPrecondition otherwise */
  sandboxAddress(id: string): Promise<string>;
  clock: Clock;
}

export class RuncStreaming implements StreamingRuntime {
  private readonly sessions = new Set<StreamSession>();
  private readonly connections = new Set<Socket>();
  private readonly settings: RuncStreamingSettings;
  private closed = false;

  constructor(
    private readonly host: RuncStreamingHost,
    settings: Partial<RuncStreamingSettings> = {},
  ) {
    this.settings = { ...DEFAULT_RUNC_STREAMING_SETTINGS, ...settings };
  }

  async exec(req: ExecRequest): Promise<StreamSession> {
    this.assertOpen();
    if (!req.cmd?.length) throw new CriError('InvalidArgument', 'cmd must not be empty');
    const c = await this.host.runningContainer(req.containerId);
    const tag = `exec-${randomBytes(6).toString('hex')}`;
    const files = { logPath: join(c.bundle, `${tag}.log`), pidFile: join(c.bundle, `${tag}.pid`) };
    const common = {
      runcPath: await this.host.runcPath(),
      runcRoot: this.host.runcRoot,
      containerId: c.id,
      cmd: [...req.cmd],
      stdin: req.stdin,
      files,
      settings: this.settings,
      clock: this.host.clock,
    };
    this.assertOpen();
    try {
      return this.track(req.tty ? startPtyExec({ ...common, ...(req.size ? { size: req.size } : {}) }) : startPipeExec(common));
    } catch (err) {
      // node-pty throws synchronously when it cannot fork or find runc
      throw new CriError('Unknown', `failed to exec in container ${c.id}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  async attach(req: AttachRequest): Promise<StreamSession> {
    this.assertOpen();
    const c = await this.host.runningContainer(req.containerId);
    if (req.stdin && !c.stdin) throw new CriError('InvalidArgument', `container ${c.id} was not created with stdin: cannot attach to its stdin`);
    const session = await startAttach({
      socketsDir: this.host.socketsDir,
      containerId: c.id,
      // the container's own terminal decides how its output comes (one stream or two),
      // whatever the request says — as containerd does; kubectl warns the user itself
      tty: c.tty,
      stdin: req.stdin,
      exitCode: () => this.host.exitCodeOf(c.id),
      settings: this.settings,
      clock: this.host.clock,
    });
    if (this.closed) {
      session.close();
      throw unavailable();
    }
    return this.track(session);
  }

  async portForward(req: { podSandboxId: string; port: number }): Promise<Duplex> {
    this.assertOpen();
    if (!Number.isInteger(req.port) || req.port < 1 || req.port > 65535) throw new CriError('InvalidArgument', `invalid port ${req.port}`);
    const host = await this.host.sandboxAddress(req.podSandboxId);
    const socket = (await dialPod({
      host,
      port: req.port,
      sandboxId: req.podSandboxId,
      connectTimeoutMs: this.settings.portForwardConnectTimeoutMs,
      clock: this.host.clock,
      onClose: (s) => this.connections.delete(s),
    })) as Socket;
    if (this.closed) {
      socket.destroy();
      throw unavailable();
    }
    if (!socket.destroyed) this.connections.add(socket);
    return socket;
  }

  /** ends every live session and connection; resolves when the sessions are over */
  async closeAll(): Promise<void> {
    this.closed = true;
    for (const socket of this.connections) socket.destroy();
    this.connections.clear();
    const sessions = [...this.sessions];
    for (const s of sessions) s.close();
    await Promise.all(sessions.map((s) => s.done.catch(() => undefined)));
  }

  /** live sessions and connections (for tests and leak checks) */
  get liveCount(): number {
    return this.sessions.size + this.connections.size;
  }

  private track(session: StreamSession): StreamSession {
    this.sessions.add(session);
    void session.done.finally(() => this.sessions.delete(session)).catch(() => undefined);
    return session;
  }

  private assertOpen(): void {
    if (this.closed) throw unavailable();
  }
}

const unavailable = (): CriError => new CriError('Unavailable', 'the runc runtime is closed');

/**
 * The kubelet's container log manager: keeps every running container's log within
 * containerLogMaxBytes × containerLogMaxFiles on disk, as kube's ContainerLogManager does.
 *
 * Every containerLogMonitorIntervalMs, for each running container whose live log has
 * reached containerLogMaxBytes:
 *   1. delete the oldest rotated parts, keeping containerLogMaxFiles - 2 (one more part is
 *      about to be made, and the live file counts too: at most containerLogMaxFiles remain);
 *   2. rename the live file to `<path>.<YYYYMMDD-HHMMSS>` (UTC, from the injected clock);
 *   3. ask the runtime to reopenContainerLog, so it writes to a fresh file at the old path.
 *      If that fails the rename is undone, so the runtime's open file keeps its name.
 * A live file that is missing (a reopen that failed before) is reopened. kube also gzips
 * older parts; k8ts keeps them plain so the reader stays simple.
 */
import { rename, stat, unlink } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { Clock } from '../../client/clock.js';
import type { RuntimeService } from '../cri/api.js';
import type { KubeletSettings } from '../settings.js';
import { listRotatedParts, rotatedPartPath } from './rotated-parts.js';

export interface ContainerLogManagerOptions {
  runtime: Pick<RuntimeService, 'listContainers' | 'containerStatus' | 'reopenContainerLog'>;
  clock: Clock;
  settings: Pick<KubeletSettings, 'containerLogMaxBytes' | 'containerLogMaxFiles' | 'containerLogMonitorIntervalMs'>;
  logger: Pick<Logger, 'warn' | 'debug'>;
}

export interface ContainerLogManager {
  start(): void;
  /** stops the timer and waits for a pass in progress */
  stop(): Promise<void>;
  /** one pass now (what the timer runs; tests call it directly too) */
  rotateOnce(): Promise<void>;
  /** resolves when no timer-started pass is running (tests: after advancing a FakeClock) */
  settled(): Promise<void>;
}

export function createContainerLogManager(opts: ContainerLogManagerOptions): ContainerLogManager {
  const { runtime, clock, settings, logger } = opts;
  // kube refuses fewer than 2 files: the live one and at least one rotated part
  const maxFiles = Math.max(2, settings.containerLogMaxFiles);
  let cancelTimer: (() => void) | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;

  const rotateContainer = async (containerId: string) => {
    const { status } = await runtime.containerStatus({ containerId, verbose: false });
    const logPath = status.logPath;
    if (!logPath) return;
    let size: number;
    try {
      size = (await stat(logPath)).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      await runtime.reopenContainerLog({ containerId });
      return;
    }
    if (size < settings.containerLogMaxBytes) return;

    const parts = await listRotatedParts(logPath);
    for (const old of parts.slice(0, Math.max(0, parts.length - (maxFiles - 2)))) await unlink(old).catch(ignoreMissing);
    const rotated = rotatedPartPath(logPath, clock.now());
    if (parts.includes(rotated)) {
      logger.debug({ containerId, logPath }, 'log rotated already this second; next pass');
      return;
    }
    await rename(logPath, rotated);
    try {
      await runtime.reopenContainerLog({ containerId });
    } catch (err) {
      await rename(rotated, logPath).catch(() => undefined);
      throw err;
    }
  };

  const rotateOnce = async () => {
    const { containers } = await runtime.listContainers({ filter: { state: { state: 'CONTAINER_RUNNING' } } });
    for (const container of containers) {
      if (container.state !== 'CONTAINER_RUNNING') continue;
      try {
        await rotateContainer(container.id);
      } catch (err) {
        logger.warn({ err, containerId: container.id }, 'failed to rotate container log');
      }
    }
  };

  const schedule = () => {
    cancelTimer = clock.setTimer(settings.containerLogMonitorIntervalMs, () => {
      running = rotateOnce()
        .catch((err: unknown) => logger.warn({ err }, 'container log rotation pass failed'))
        .finally(() => {
          running = undefined;
          if (!stopped) schedule();
        });
    });
  };

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      cancelTimer?.();
      await running;
    },
    rotateOnce,
    async settled() {
      while (running) await running;
    },
  };
}

function ignoreMissing(err: unknown): void {
  if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
}

/**
 * What a simulated container leaves on disk: its log records (CRI format, appended to
 * join(logDirectory, logPath)) and its termination message (written to the host side of
 * its termination-log mount). Files are opened per write and closed again — 30,000
 * simulated containers must not hold 30,000 descriptors — and a missing directory is
 * created only when the first write finds it missing, so the usual write costs one open.
 * Writes wait for a slot (./file-write-limiter.ts) so a burst cannot exhaust descriptors.
 */
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Mount } from '../../cri/api.js';
import { CONTAINER_TERMINATION_MESSAGE_PATH_ANNOTATION } from '../../cri/labels.js';
import { formatCriLogLine, type LogStream } from '../../logs/cri-log-format.js';
import { withFileWriteSlot } from './file-write-limiter.js';

/** runtimes split longer lines into partial (P) records; containerd's limit is 16 KiB */
const MAX_RECORD_CHARS = 16 * 1024;

export function formatLogRecords(ms: number, stream: LogStream, lines: readonly string[]): string {
  let text = '';
  for (const line of lines) {
    if (line.length <= MAX_RECORD_CHARS) {
      text += formatCriLogLine(ms, stream, line);
      continue;
    }
    for (let at = 0; at < line.length; at += MAX_RECORD_CHARS) {
      const partial = at + MAX_RECORD_CHARS < line.length;
      text += formatCriLogLine(ms, stream, line.slice(at, at + MAX_RECORD_CHARS), partial);
    }
  }
  return text;
}

function writeCreatingDirectory(path: string, text: string, write: typeof appendFile): Promise<void> {
  return withFileWriteSlot(async () => {
    try {
      await write(path, text);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      await mkdir(dirname(path), { recursive: true });
      await write(path, text);
    }
  });
}

export const appendLog = (path: string, text: string): Promise<void> => writeCreatingDirectory(path, text, appendFile);

/**
 * The host file behind the container's termination message path: the mount at the path
 * the kubelet named (io.kubernetes.container.terminationMessagePath), else any mount
 * whose container path ends in 'termination-log' (the Kubernetes default /dev/termination-log).
 */
export function terminationMessageHostPath(mounts: readonly Mount[], annotations: Record<string, string>): string | undefined {
  const wanted = annotations[CONTAINER_TERMINATION_MESSAGE_PATH_ANNOTATION];
  const mount = (wanted && mounts.find((m) => m.containerPath === wanted)) || mounts.find((m) => m.containerPath.endsWith('termination-log'));
  return mount?.hostPath;
}

export const writeTerminationMessage = (hostPath: string, message: string): Promise<void> => writeCreatingDirectory(hostPath, message, writeFile);

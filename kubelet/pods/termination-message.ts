/**
 * A finished container's termination message, as kube reads it: the file the container
 * wrote at terminationMessagePath (at most 4096 bytes); with terminationMessagePolicy
 * FallbackToLogsOnError and an empty file after a non-zero exit, the tail of its log
 * (the last 80 lines, at most 2048 bytes). Never throws: a missing file is no message.
 */
import { open, readFile } from 'node:fs/promises';
import type { ContainerStatus } from '../cri/api.js';
import { CONTAINER_TERMINATION_MESSAGE_POLICY_ANNOTATION } from '../cri/labels.js';
import { parseCriLogLine } from '../logs/cri-log-format.js';

export const MAX_TERMINATION_MESSAGE_BYTES = 4096;
export const FALLBACK_LOG_LINES = 80;
export const FALLBACK_LOG_BYTES = 2048;

export async function readTerminationMessage(status: ContainerStatus, terminationLogHostPath: string): Promise<string> {
  const fromFile = await readHead(terminationLogHostPath, MAX_TERMINATION_MESSAGE_BYTES);
  if (fromFile !== '') return fromFile;
  const policy = status.annotations[CONTAINER_TERMINATION_MESSAGE_POLICY_ANNOTATION];
  if (policy !== 'FallbackToLogsOnError' || status.exitCode === 0 || !status.logPath) return '';
  return logTail(status.logPath);
}

async function readHead(path: string, maxBytes: number): Promise<string> {
  let handle;
  try {
    handle = await open(path, 'r');
    const buffer = Buffer.alloc(maxBytes);
    const { bytesRead } = await handle.read(buffer, 0, maxBytes, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } catch {
    return '';
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** the container's own output (CRI records decoded, partial lines joined), last lines first cut to the byte cap */
async function logTail(logPath: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(logPath, 'utf8');
  } catch {
    return '';
  }
  const lines: string[] = [];
  let partial = '';
  for (const raw of text.split('\n')) {
    if (raw === '') continue;
    const record = parseCriLogLine(raw);
    if (!record) continue;
    partial += record.line;
    if (!record.partial) {
      lines.push(partial);
      partial = '';
    }
  }
  if (partial) lines.push(partial);
  const tail = lines.slice(-FALLBACK_LOG_LINES).join('\n');
  const bytes = Buffer.from(tail, 'utf8');
  return bytes.length <= FALLBACK_LOG_BYTES ? tail : bytes.subarray(bytes.length - FALLBACK_LOG_BYTES).toString('utf8');
}

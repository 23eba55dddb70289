/**
 * The rotated parts of a container log: when the kubelet rotates `<n>.log` it renames it
 * to `<n>.log.<YYYYMMDD-HHMMSS>` (UTC, kube's timestampFormat "20060102-150405") beside
 * the live file. The stamp sorts as text in time order, so "oldest first" is a plain sort.
 * Shared by the rotation manager (which makes and prunes parts) and the reader (which
 * reads them before the live file so a tail can span a rotation).
 */
import { readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const STAMP = /^\d{8}-\d{6}$/;

/** `<logPath>.<YYYYMMDD-HHMMSS>` for an epoch-milliseconds time */
export function rotatedPartPath(logPath: string, ms: number): string {
  const iso = new Date(ms).toISOString(); // 2026-11-24T12:00:00.000Z
  const stamp = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
  return `${logPath}.${stamp}`;
}

/** absolute paths of `logPath`'s rotated parts, oldest first; none when the directory is gone */
export async function listRotatedParts(logPath: string): Promise<string[]> {
  const prefix = `${basename(logPath)}.`;
  let names: string[];
  try {
    names = await readdir(dirname(logPath));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return names
    .filter((name) => name.startsWith(prefix) && STAMP.test(name.slice(prefix.length)))
    .sort()
    .map((name) => join(dirname(logPath), name));
}

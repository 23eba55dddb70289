/**
 * hostPath volumes: the host path itself is mounted; the volume's `type` is checked first
 * with kube's rules and messages (DirectoryOrCreate makes a 0755 dir, FileOrCreate an
 * empty 0644 file — parents are not created, as kube does not; the empty type checks
 * nothing). checkHostPathType is the pure decision over what stat saw, so the table tests
 * need no devices or sockets.
 */
import { chmod, mkdir, open, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';

export type HostPathFileType = 'missing' | 'directory' | 'file' | 'socket' | 'char' | 'block' | 'other';

export const fileTypeOf = (info: Stats | undefined): HostPathFileType =>
  !info
    ? 'missing'
    : info.isDirectory()
      ? 'directory'
      : info.isFile()
        ? 'file'
        : info.isSocket()
          ? 'socket'
          : info.isCharacterDevice()
            ? 'char'
            : info.isBlockDevice()
              ? 'block'
              : 'other';

/** what to do for a hostPath volume: create something, or fail with kube's message, or nothing */
export type HostPathDecision = { ok: true; create?: 'directory' | 'file' } | { ok: false; message: string };

export function checkHostPathType(path: string, type: string | undefined, found: HostPathFileType): HostPathDecision {
  const fail = (what: string): HostPathDecision => ({ ok: false, message: `hostPath type check failed: ${path} is not a ${what}` });
  switch (type ?? '') {
    case '':
      return { ok: true };
    case 'DirectoryOrCreate':
      if (found === 'missing') return { ok: true, create: 'directory' };
      return found === 'directory' ? { ok: true } : fail('directory');
    case 'Directory':
      return found === 'directory' ? { ok: true } : fail('directory');
    case 'FileOrCreate':
      if (found === 'missing') return { ok: true, create: 'file' };
      return found === 'file' ? { ok: true } : fail('file');
    case 'File':
      return found === 'file' ? { ok: true } : fail('file');
    case 'Socket':
      return found === 'socket' ? { ok: true } : fail('socket file');
    case 'CharDevice':
      return found === 'char' ? { ok: true } : fail('character device');
    case 'BlockDevice':
      return found === 'block' ? { ok: true } : fail('block device');
    default:
      return { ok: false, message: `${type} is an invalid volume type` };
  }
}

/** check (and create when the type says so) one hostPath; throws kube's message */
export async function setUpHostPath(path: string, type: string | undefined): Promise<void> {
  const found = fileTypeOf(await stat(path).catch(() => undefined));
  const decision = checkHostPathType(path, type, found);
  if (!decision.ok) throw new Error(decision.message);
  if (decision.create === 'directory') {
    await mkdir(path, { mode: 0o755 });
    await chmod(path, 0o755);
  } else if (decision.create === 'file') {
    const handle = await open(path, 'a', 0o644);
    await handle.close();
  }
}

/**
 * A process's peak resident set size, from /proc/PID/status's VmHWM (the kernel's high
 * water mark), so a short spike between samples is not missed. Linux only; undefined
 * elsewhere or once the process is gone.
 */
import { readFile } from 'node:fs/promises';

export async function peakRssMb(pid: number): Promise<number | undefined> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
  const kb = text === undefined ? undefined : /^VmHWM:\s+([0-9]+)\s+kB$/m.exec(text)?.[1];
  return kb === undefined ? undefined : Number(kb) / 1024;
}

/**
 * A process's exit as one number, the way kube reports it: the exit code, or 128 + the
 * signal's number when a signal ended it (runc itself reports an exec'd process that died
 * of a signal as 128+n, so this is only needed when runc itself was killed). Pure.
 */
import { constants } from 'node:os';

export function exitCodeOf(code: number | null, signal: NodeJS.Signals | number | null | undefined): number {
  if (code !== null && code !== undefined && !(code === 0 && signal)) return code;
  if (typeof signal === 'number' && signal > 0) return 128 + signal;
  if (typeof signal === 'string') {
    const n = (constants.signals as Record<string, number>)[signal];
    if (n !== undefined) return 128 + n;
  }
  return code ?? -1;
}

/**
 * The CNI bridge plugin turns on net.ipv4.ip_forward (isGateway needs it) and never turns
 * it off. ip_forward is one switch for the whole host, so the runtime puts back what it
 * found only when no k8ts bridge is left on the host: another cluster (or another node of
 * this one) still routing pods keeps it on, and the last one out restores the host.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const IP_FORWARD = '/proc/sys/net/ipv4/ip_forward';
const run = promisify(execFile);

export const readIpForward = (): Promise<string | undefined> => readFile(IP_FORWARD, 'utf8').then((v) => v.trim(), () => undefined);

/** bridge names of every k8ts runtime on the host ('k8ts' + 6 hex, see host-names.ts) */
export function k8tsBridges(links: ReadonlyArray<{ ifname?: string }>): string[] {
  return links.map((l) => l.ifname ?? '').filter((name) => /^k8ts[0-9a-f]{6}$/.test(name));
}

/** restore `before` ('0') once no k8ts bridge remains; a no-op when it was on already */
export async function restoreIpForward(before: string | undefined): Promise<void> {
  if (before !== '0') return;
  const links = JSON.parse((await run('ip', ['-j', 'link', 'show', 'type', 'bridge'])).stdout || '[]') as Array<{ ifname?: string }>;
  if (k8tsBridges(links).length > 0) return;
  if ((await readIpForward()) !== before) await writeFile(IP_FORWARD, before);
}

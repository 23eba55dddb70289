/**
 * The no-trace check every runc test ends with: a snapshot of the host resources that
 * carry ONE runtime's tag or live under ONE state dir — mounts, the bridge and its veths,
 * cgroup dirs, iptables rules, pinned netns files, runc state, live processes — and an
 * assertion that it is empty.
 *
 * Deliberately narrow: other k8ts runtimes (parallel test files, other clusters) share the
 * host, so anything not provably ours is ignored, including portmap's global chains.
 *
 * Parsers are pure and exported for table tests; `snapshotHostTrace` does the reading.
 */
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { HostNames } from '../host-names.js';
import { cidrContains, parsePodCIDR, type PodCidr } from '../network/cni-config.js';
import { mountsUnder, parseMountInfo, type MountInfoEntry } from '../network/mountinfo.js';
import { runTool } from '../network/run-tool.js';

export interface HostTrace {
  /** mount points at or under the state dir */
  mounts: string[];
  /** our bridge, and interfaces enslaved to it */
  links: string[];
  /** our cgroup parent, under each cgroup hierarchy */
  cgroups: string[];
  /** `table: rule` lines naming our bridge, network or pod CIDR (or an address in it) */
  iptables: string[];
  /** files left in the netns dir */
  netns: string[];
  /** container state dirs left in runc's --root */
  runcState: string[];
  /** `pid cmdline` of live processes whose command line names the state dir */
  processes: string[];
}

export interface HostTraceOptions {
  /** also report iptables rules naming this CIDR or an address inside it */
  podCIDR?: string;
}

/** interfaces named `bridge` or enslaved to it, from `ip -j link` */
export function bridgeLinks(ipLinkJson: string, bridge: string): string[] {
  let links: { ifname?: string; master?: string }[];
  try {
    links = JSON.parse(ipLinkJson) as typeof links;
  } catch {
    return [];
  }
  if (!Array.isArray(links)) return [];
  const out: string[] = [];
  for (const l of links) {
    if (l.ifname === bridge) out.push(`${l.ifname} (the bridge)`);
    else if (l.master === bridge) out.push(`${l.ifname} (enslaved to ${bridge})`);
  }
  return out;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** lines of an iptables-save output that name one of `words` (whole word) or an IPv4 address in `cidr` */
export function iptablesLinesMentioning(saveText: string, words: readonly string[], cidr?: PodCidr): string[] {
  const wordRes = words.filter(Boolean).map((w) => new RegExp(`(^|[^A-Za-z0-9_-])${escapeRegExp(w)}($|[^A-Za-z0-9_-])`));
  return saveText.split('\n').filter((line) => {
    if (!line.startsWith('-A ') && !line.startsWith(':')) return false;
    if (wordRes.some((re) => re.test(line))) return true;
    if (!cidr) return false;
    return (line.match(/\d+\.\d+\.\d+\.\d+/g) ?? []).some((ip) => cidrContains(cidr, ip));
  });
}

/** every cgroup hierarchy's mount point (v1 controllers, the hybrid unified dir, or the v2 root) */
export const cgroupMountPoints = (mounts: readonly MountInfoEntry[]): string[] =>
  [...new Set(mounts.filter((m) => m.fsType === 'cgroup' || m.fsType === 'cgroup2').map((m) => m.mountPoint))].sort();

/** pids of live processes whose NUL-separated command line contains `needle` */
async function processesMentioning(needle: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    const cmdline = await readFile(`/proc/${name}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(needle)) out.push(`${name} ${cmdline.split('\0').filter(Boolean).join(' ')}`);
  }
  return out;
}

const exists = (p: string): Promise<boolean> =>
  stat(p).then(
    () => true,
    () => false,
  );

const listDir = (dir: string): Promise<string[]> => readdir(dir).catch(() => [] as string[]);

export async function snapshotHostTrace(names: HostNames, stateDir: string, opts: HostTraceOptions = {}): Promise<HostTrace> {
  const canonicalState = await realpath(stateDir).catch(() => stateDir);
  const mountInfo = parseMountInfo(await readFile('/proc/self/mountinfo', 'utf8'));
  const mounts = mountsUnder(mountInfo, canonicalState).map((m) => `${m.mountPoint} (${m.fsType})`);

  const ipLink = await runTool('ip', ['-j', 'link'], { timeoutMs: 10_000 });
  const links = bridgeLinks(ipLink.stdout, names.bridge);

  const cgroups: string[] = [];
  for (const root of cgroupMountPoints(mountInfo)) {
    const dir = join(root, names.cgroupParent);
    if (await exists(dir)) cgroups.push(dir);
  }

  const cidr = opts.podCIDR ? parsePodCIDR(opts.podCIDR) : undefined;
  const iptables: string[] = [];
  for (const table of ['nat', 'filter']) {
    const save = await runTool('iptables-save', ['-t', table], { timeoutMs: 10_000 });
    for (const line of iptablesLinesMentioning(save.stdout, [names.bridge, names.cniNetwork, cidr?.subnet ?? ''], cidr)) iptables.push(`${table}: ${line}`);
  }

  const netns = (await listDir(names.netnsDir)).map((n) => join(names.netnsDir, n));
  const runcState = (await listDir(names.runcRoot)).map((n) => join(names.runcRoot, n));
  const processes = [...new Set([...(await processesMentioning(stateDir)), ...(canonicalState !== stateDir ? await processesMentioning(canonicalState) : [])])];

  return { mounts, links, cgroups, iptables, netns, runcState, processes };
}

/** one readable line per leftover, grouped by kind; empty when the host is clean */
export function describeTrace(trace: HostTrace): string[] {
  return (Object.keys(trace) as (keyof HostTrace)[]).flatMap((kind) => trace[kind].map((item) => `${kind}: ${item}`));
}

export const isTraceEmpty = (trace: HostTrace): boolean => describeTrace(trace).length === 0;

/** passes when nothing is left; otherwise fails listing every leftover */
export function assertNoTrace(t: { pass(message: string): unknown; fail(message: string): unknown }, trace: HostTrace, what = 'no host resources left behind'): boolean {
  const leftovers = describeTrace(trace);
  if (leftovers.length === 0) {
    t.pass(what);
    return true;
  }
  t.fail(`${what}: ${leftovers.length} left\n  ${leftovers.join('\n  ')}`);
  return false;
}

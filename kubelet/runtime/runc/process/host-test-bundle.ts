/**
 * Test fixture for host cases (root + runc + conmon): a busybox rootfs built from the host's
 * /usr/bin/busybox (Debian's busybox-static), overlay-mounted per container, and a
 * config.json derived from `runc spec`. Every name carries a random tag, and `cleanup`
 * removes everything the fixture made — containers, cgroups, mounts, conmon processes
 * (only ours, by pid), temp dirs — and reports any conmon it had to kill as a leak.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { detectCgroupDriver, type CgroupDriver } from '../cgroups/cgroup-mode.js';
import { mountOverlay, mountsUnder, unmount } from '../rootfs/overlay.js';
import { RuncCli } from './runc-cli.js';

const run = promisify(execFile);

export const BUSYBOX = '/usr/bin/busybox';
const APPLETS = ['sh', 'sleep', 'echo', 'cat', 'id', 'tail', 'true', 'ps', 'ls', 'yes', 'head'];

/** why host cases cannot run here, or undefined when they can */
export async function hostCasesUnavailable(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'needs root';
  for (const [bin, args] of [['runc', ['--version']], ['conmon', ['--version']], [BUSYBOX, ['true']]] as const) {
    try {
      await run(bin, [...args]);
    } catch {
      return `${bin} is not installed`;
    }
  }
  return undefined;
}

export interface TestContainer {
  id: string;
  bundle: string;
  rootfs: string;
  logPath: string;
  persistDir: string;
  cgroupsPath: string;
}

export interface HostFixture {
  base: string;
  tag: string;
  runcRoot: string;
  exitDir: string;
  socketDir: string;
  cgroupParent: string;
  runc: RuncCli;
  cgroups: CgroupDriver;
  /** a bundle with an overlay rootfs over the busybox tree, ready for conmon */
  bundle(name: string, args: string[], opts?: { memoryLimitBytes?: number; terminal?: boolean }): Promise<TestContainer>;
  /** remove everything; resolves to the pids of leftover conmon processes it had to kill */
  cleanup(): Promise<number[]>;
}

export async function createHostFixture(): Promise<HostFixture> {
  const tag = randomBytes(3).toString('hex');
  const base = await mkdtemp(join(tmpdir(), `k8ts-H3b-${tag}-`));
  const lower = join(base, 'lower');
  for (const dir of ['bin', 'proc', 'sys', 'dev', 'tmp', 'etc', 'root']) await mkdir(join(lower, dir), { recursive: true });
  await copyFile(BUSYBOX, join(lower, 'bin/busybox'));
  for (const applet of APPLETS) await symlink('busybox', join(lower, 'bin', applet));
  await writeFile(join(lower, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  await writeFile(join(lower, 'etc/group'), 'root:x:0:\n');
  const specDir = join(base, 'spec');
  await mkdir(specDir);
  await run('runc', ['spec'], { cwd: specDir });
  const spec = await readFile(join(specDir, 'config.json'), 'utf8');

  const runcRoot = join(base, 'runc');
  const exitDir = join(base, 'exits');
  const socketDir = join(base, 's');
  const cgroupParent = `/k8ts-test${tag}`;
  const cgroups = await detectCgroupDriver();
  const runc = new RuncCli({ root: runcRoot, logDir: base });
  const containers: TestContainer[] = [];

  return {
    base,
    tag,
    runcRoot,
    exitDir,
    socketDir,
    cgroupParent,
    runc,
    cgroups,
    async bundle(name, args, opts = {}) {
      const id = `${name}-${tag}`;
      const bundle = join(base, 'c', id);
      const rootfs = join(bundle, 'rootfs');
      for (const dir of ['upper', 'work', 'rootfs', 'persist']) await mkdir(join(bundle, dir), { recursive: true });
      await mkdir(join(base, 'logs'), { recursive: true });
      await mountOverlay({ lowerDirs: [lower], upperDir: join(bundle, 'upper'), workDir: join(bundle, 'work'), target: rootfs });
      const config = JSON.parse(spec);
      config.process.terminal = opts.terminal ?? false;
      config.process.args = args;
      config.process.env = ['PATH=/bin'];
      config.root = { path: 'rootfs', readonly: false };
      config.hostname = name;
      const cgroupsPath = `${cgroupParent}/${id}`;
      config.linux.cgroupsPath = cgroupsPath;
      if (opts.memoryLimitBytes) config.linux.resources.memory = { limit: opts.memoryLimitBytes, swap: opts.memoryLimitBytes };
      await writeFile(join(bundle, 'config.json'), JSON.stringify(config, null, 2));
      const container = { id, bundle, rootfs, logPath: join(base, 'logs', `${id}.log`), persistDir: join(bundle, 'persist'), cgroupsPath };
      containers.push(container);
      return container;
    },
    async cleanup() {
      for (const c of containers) {
        await runc.delete(c.id, true).catch(() => undefined);
        await cgroups.remove(c.cgroupsPath).catch(() => undefined);
      }
      const leftovers = await conmonsMentioning(base);
      for (const pid of leftovers) {
        try {
          process.kill(pid, 'SIGKILL'); // ours: its command line names our temp dir
        } catch {
          /* gone */
        }
      }
      for (const path of (await cgroups.listUnder(cgroupParent).catch((): string[] => [])).concat(cgroupParent)) await cgroups.remove(path).catch(() => undefined);
      for (const mount of await mountsUnder(base)) await unmount(mount).catch(() => undefined);
      await rm(base, { recursive: true, force: true });
      return leftovers;
    },
  };
}

/** pids of conmon processes whose command line mentions dir (i.e. ones this fixture started) */
export async function conmonsMentioning(dir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(join('/proc', entry, 'cmdline'), 'utf8').catch(() => '');
    const argv = cmdline.split('\0');
    if (argv[0]?.endsWith('conmon') && cmdline.includes(dir)) pids.push(Number(entry));
  }
  return pids;
}

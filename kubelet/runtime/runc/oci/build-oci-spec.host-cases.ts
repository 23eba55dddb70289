/**
 * buildOciSpec against the real runc: a busybox rootfs (Debian's busybox-static) with its
 * own /etc/passwd, a pinned network namespace of the test's own, and two containers run in
 * the foreground (`runc run`, stdio to files — never pipes, see runtime-recipe.md §4):
 * one as root with capabilities drop ALL + add CHOWN,NET_ADMIN, a read-only rootfs and
 * RuntimeDefault seccomp; one as the image's user "alice". Each checks what the kernel
 * reports inside the container (id, hostname, /proc/self/status).
 *
 * Cleanup (whatever happened): runc delete --force, the cgroup dirs runc leaves (exact
 * paths under this test's own parent name), the netns bind mount, the temp dir.
 * Skipped when not root or when runc, busybox or unshare is missing.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { openSync, closeSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import t from 'tap';
import type { ContainerConfig, LinuxContainerSecurityContext, PodSandboxConfig } from '../../../cri/api.js';
import { buildOciSpec } from './build-oci-spec.js';
import { containerNofileLimit } from './nofile-limit.js';
import { resolveUser } from './resolve-user.js';
import { seccompAvailable } from './seccomp-runtime-default.js';

const BUSYBOX = '/usr/bin/busybox';
const APPLETS = ['sh', 'id', 'hostname', 'cat', 'grep', 'touch'];

function run(cmd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

async function skipReason(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'needs root';
  if ((await run('runc', ['--version'])).code !== 0) return 'runc is not installed';
  if ((await run('unshare', ['--version'])).code !== 0) return 'unshare is not installed';
  try {
    await fs.access(BUSYBOX);
  } catch {
    return `${BUSYBOX} is missing (busybox-static)`;
  }
  return undefined;
}

/** `runc run` in the foreground with stdout/stderr going to files; resolves with the exit code. */
function runcRun(runcRoot: string, bundle: string, id: string): Promise<number> {
  const out = openSync(path.join(bundle, 'stdout.log'), 'w');
  const err = openSync(path.join(bundle, 'stderr.log'), 'w');
  return new Promise<number>((resolve) => {
    const child = spawn('runc', ['--root', runcRoot, 'run', '--bundle', bundle, id], { stdio: ['ignore', out, err] });
    child.on('error', () => resolve(-1));
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : -1)));
  }).finally(() => {
    closeSync(out);
    closeSync(err);
  });
}

const reason = await skipReason();
t.test('busybox containers under runc', { skip: reason ? `runc host test skipped: ${reason}` : false }, async (t) => {
  const tag = randomBytes(4).toString('hex');
  const base = await fs.mkdtemp(path.join(os.tmpdir(), `k8ts-h3a-${tag}-`));
  const cgroupParent = `k8ts-h3a-${tag}`;
  const runcRoot = path.join(base, 'runc');
  const netns = path.join(base, 'netns');
  const ids: string[] = [];
  let netnsMounted = false;

  t.teardown(async () => {
    for (const id of ids) await run('runc', ['--root', runcRoot, 'delete', '--force', id]);
    // runc removes each container's own cgroup but leaves the parent in every hierarchy.
    const hierarchies = await fs.readdir('/sys/fs/cgroup').catch(() => [] as string[]);
    for (const h of hierarchies) {
      for (const id of ids) await fs.rmdir(path.join('/sys/fs/cgroup', h, cgroupParent, id)).catch(() => undefined);
      await fs.rmdir(path.join('/sys/fs/cgroup', h, cgroupParent)).catch(() => undefined);
    }
    for (const id of ids) await fs.rmdir(path.join('/sys/fs/cgroup', cgroupParent, id)).catch(() => undefined);
    await fs.rmdir(path.join('/sys/fs/cgroup', cgroupParent)).catch(() => undefined);
    if (netnsMounted) await run('umount', [netns]);
    await fs.rm(base, { recursive: true, force: true });
  });

  // The pod: a pinned network namespace and its files.
  await fs.writeFile(netns, '');
  const unshare = await run('unshare', [`--net=${netns}`, 'true']);
  t.equal(unshare.code, 0, `netns pinned ${unshare.stderr}`);
  netnsMounted = unshare.code === 0;
  const podDir = path.join(base, 'pod');
  await fs.mkdir(podDir);
  const podFiles = { hosts: path.join(podDir, 'hosts'), resolvConf: path.join(podDir, 'resolv.conf'), hostname: path.join(podDir, 'hostname') };
  await fs.writeFile(podFiles.hosts, '127.0.0.1 localhost\n');
  await fs.writeFile(podFiles.resolvConf, 'nameserver 127.0.0.1\n');
  await fs.writeFile(podFiles.hostname, `pod-${tag}\n`);

  const sandbox: PodSandboxConfig = {
    metadata: { name: `pod-${tag}`, uid: `uid-${tag}`, namespace: 'default', attempt: 0 },
    hostname: `pod-${tag}`,
    logDirectory: base,
    portMappings: [],
    labels: {},
    annotations: {},
  };
  const lastCapability = Number((await fs.readFile('/proc/sys/kernel/cap_last_cap', 'utf8')).trim());
  const withSeccomp = await seccompAvailable();

  async function runContainer(name: string, sc: LinuxContainerSecurityContext, imageUser: string | undefined) {
    const id = `h3a-${tag}-${name}`;
    const bundle = path.join(base, name);
    const rootfs = path.join(bundle, 'rootfs');
    await fs.mkdir(path.join(rootfs, 'bin'), { recursive: true });
    await fs.mkdir(path.join(rootfs, 'etc'));
    await fs.copyFile(BUSYBOX, path.join(rootfs, 'bin', 'busybox'));
    await fs.chmod(path.join(rootfs, 'bin', 'busybox'), 0o755);
    for (const applet of APPLETS) await fs.symlink('busybox', path.join(rootfs, 'bin', applet));
    await fs.writeFile(path.join(rootfs, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n');
    await fs.writeFile(path.join(rootfs, 'etc', 'group'), 'root:x:0:\nwheel:x:10:alice\nalice:x:1000:\n');

    const config: ContainerConfig = {
      metadata: { name, attempt: 0 },
      image: { image: 'busybox:test' },
      command: ['sh', '-c'],
      args: ['id; hostname; grep -E "^(CapEff|CapBnd|Seccomp):" /proc/self/status; touch /probe 2>/dev/null && echo rootfs=rw || echo rootfs=ro'],
      workingDir: '',
      envs: [],
      mounts: [],
      labels: {},
      annotations: {},
      logPath: `${name}/0.log`,
      stdin: false,
      stdinOnce: false,
      tty: false,
      linux: { securityContext: sc },
    };
    const spec = buildOciSpec({
      config,
      sandbox,
      image: { Env: ['PATH=/bin'], User: imageUser },
      rootfsPath: rootfs,
      netnsPath: netns,
      podFiles,
      cgroupsPath: `/${cgroupParent}/${id}`,
      pidsLimit: 64,
      user: await resolveUser(rootfs, sc, imageUser),
      seccompAvailable: withSeccomp,
      lastCapability,
      nofileLimit: await containerNofileLimit(),
    });
    await fs.writeFile(path.join(bundle, 'config.json'), JSON.stringify(spec, null, 2));
    ids.push(id);
    const code = await runcRun(runcRoot, bundle, id);
    const stdout = await fs.readFile(path.join(bundle, 'stdout.log'), 'utf8');
    const stderr = await fs.readFile(path.join(bundle, 'stderr.log'), 'utf8');
    return { code, stdout, stderr };
  }

  const root = await runContainer(
    'root',
    {
      capabilities: { addCapabilities: ['CHOWN', 'NET_ADMIN'], dropCapabilities: ['ALL'] },
      readonlyRootfs: true,
      seccomp: { profileType: 'RuntimeDefault', localhostRef: '' },
    },
    undefined,
  );
  t.equal(root.code, 0, `root container exits 0 ${root.stderr}`);
  t.match(root.stdout, /^uid=0\(root\) gid=0\(root\)/m, 'uid/gid root');
  t.match(root.stdout, new RegExp(`^pod-${tag}$`, 'm'), 'hostname = the pod hostname');
  // CAP_CHOWN = bit 0, CAP_NET_ADMIN = bit 12
  t.match(root.stdout, /^CapEff:\s+0000000000001001$/m, 'effective caps: CHOWN + NET_ADMIN only');
  t.match(root.stdout, /^CapBnd:\s+0000000000001001$/m, 'bounding set the same');
  if (withSeccomp) t.match(root.stdout, /^Seccomp:\s+2$/m, 'seccomp filter active');
  t.match(root.stdout, /^rootfs=ro$/m, 'read-only rootfs');

  const alice = await runContainer('alice', { supplementalGroups: [3000] }, 'alice');
  t.equal(alice.code, 0, `alice container exits 0 ${alice.stderr}`);
  t.match(alice.stdout, /^uid=1000\(alice\) gid=1000\(alice\) groups=.*\b10\(wheel\)/m, 'user from the image, groups from /etc/group');
  t.match(alice.stdout, /groups=.*3000/m, 'supplementalGroups');
  t.match(alice.stdout, /^CapEff:\s+0000000000000000$/m, 'a non-root process has no effective caps after exec');
  t.match(alice.stdout, /^Seccomp:\s+0$/m, 'no seccomp unless asked');
  t.match(alice.stdout, /^rootfs=ro$/m, '/ (owned by root) is not writable by alice');
});

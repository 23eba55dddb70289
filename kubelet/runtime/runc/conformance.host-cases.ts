/**
 * The runc runtime against the runtime conformance suite, over both transports (called
 * directly, and through the unix socket), plus what only a real runtime has: OOMKilled
 * under a memory limit, execSync, stats, probes dialled into the pod's netns — and after
 * every runtime is closed, no trace on the host (mounts, netns, cgroups, veths, bridge,
 * iptables rules, runc state, processes).
 *
 * Images come from a real registry (Debian's docker-registry on 127.0.0.1) seeded with
 * busybox images built here from /usr/bin/busybox. Needs root, runc, conmon, the CNI
 * plugins and docker-registry; skipped with the reason otherwise.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import t, { type Test } from 'tap';
import type { ContainerConfig, PodSandboxConfig, Runtime } from '../../cri/api.js';
import { runtimeConformance, type ConformanceRuntime } from '../../cri/conformance.js';
import { directRuntime } from '../../cri/direct-runtime.js';
import { containerLabels, sandboxLabels } from '../../cri/labels.js';
import { connectRuntime } from '../../cri/socket-client.js';
import { serveRuntime } from '../../cri/socket-server.js';
import { ContentStore } from '../../images/content-store.js';
import { buildBusyboxImage } from '../../images/testing/busybox-images.js';
import { pushImage } from '../../images/testing/push-image.js';
import { startRegistry } from '../../images/testing/registry-harness.js';
import { podLogDirectory, containerLogPath } from '../../logs/log-paths.js';
import { hostNames } from './host-names.js';
import { createRuncRuntime } from './index.js';
import { assertNoTrace, snapshotHostTrace } from './testing/host-trace.js';

const missing = [
  process.getuid?.() !== 0 && 'root',
  !existsSync('/usr/sbin/runc') && !existsSync('/usr/bin/runc') && 'runc',
  !existsSync('/usr/bin/conmon') && 'conmon',
  !existsSync('/usr/lib/cni/bridge') && 'the CNI plugins',
  !existsSync('/usr/bin/docker-registry') && 'docker-registry',
  !existsSync('/usr/bin/busybox') && 'busybox-static',
].filter(Boolean);

if (missing.length > 0) {
  t.test('runc runtime on this host', { skip: `needs ${missing.join(', ')}` }, () => undefined);
} else {
  await runAll();
}

async function runAll(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'k8ts-runc-'));
  const registry = await startRegistry({ auth: 'none' });
  t.teardown(async () => {
    await registry.stop();
    await rm(work, { recursive: true, force: true });
  });
  const seed = await ContentStore.open(join(work, 'seed'));
  await buildBusyboxImage(seed, { tag: 'busybox' });
  // another image (another config digest): removing it must not remove busybox, as CRI's
  // removeImage drops every name of the image it resolves to
  await buildBusyboxImage(seed, { tag: 'spare', cmd: ['true'] });
  await pushImage(seed, 'busybox', { host: registry.host, repository: 'busybox', tag: '1.36' });
  await pushImage(seed, 'spare', { host: registry.host, repository: 'spare', tag: '1' });
  const image = `${registry.host}/busybox:1.36`;
  const logger = pino({ level: 'silent' });
  let serial = 0;

  /** a runc runtime on its own state dir, pod CIDR and tag; cleanup closes it and checks no trace is left */
  async function makeRunc(t: Test): Promise<ConformanceRuntime & { stateDir: string; clusterId: string }> {
    const n = ++serial;
    const stateDir = join(work, `node-${n}`);
    const clusterId = `conformance-${process.pid}-${n}`;
    const runtime = await createRuncRuntime({
      clusterId,
      nodeName: 'node',
      stateDir: join(stateDir, 'runtime'),
      imageDir: join(work, 'images'),
      podCIDR: `10.251.${(process.pid + n) % 250}.0/24`,
      settings: { exitPollMs: 10 },
      logger,
    });
    const names = hostNames(join(stateDir, 'runtime'), clusterId, 'node');
    return {
      runtime,
      logRoot: join(stateDir, 'logs'),
      stateDir,
      clusterId,
      cleanup: async () => {
        await runtime.close();
        assertNoTrace(t, await snapshotHostTrace(names, join(stateDir, 'runtime')));
      },
    };
  }

  const options = {
    image,
    spareImage: `${registry.host}/spare:1`,
    runsUntilStopped: { command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 0.1; done'] },
    exitsWith: (code: number) => ({ command: ['sh', '-c', `sleep 0.2; exit ${code}`] }),
    patienceMs: 15_000,
    pollMs: 50,
  };

  await runtimeConformance(t, 'runc, direct', async () => {
    const made = await makeRunc(t);
    return { ...made, runtime: directRuntime(made.runtime) };
  }, options);

  await runtimeConformance(t, 'runc, unix socket', async () => {
    const made = await makeRunc(t);
    const server = await serveRuntime(made.runtime, join(made.stateDir, 'runtime.sock'));
    const client = await connectRuntime(server.socketPath);
    return {
      ...made,
      runtime: client,
      cleanup: async () => {
        await client.close();
        await server.close();
        await made.cleanup();
      },
    };
  }, options);

  await t.test('runc only: OOMKilled, execSync, stats, probes, exit codes', async (t) => {
    const made = await makeRunc(t);
    const runtime: Runtime = made.runtime;
    await runtime.pullImage({ image: { image } });

    async function pod(name: string, command: string[], extra: Partial<ContainerConfig> = {}) {
      const identity = { namespace: 'runc', name, uid: `uid-${name}-${Date.now()}` };
      const sandboxConfig: PodSandboxConfig = {
        metadata: { ...identity, attempt: 0 },
        hostname: name,
        logDirectory: podLogDirectory(made.logRoot, identity),
        portMappings: [],
        labels: sandboxLabels(identity, {}),
        annotations: {},
      };
      const { podSandboxId } = await runtime.runPodSandbox({ config: sandboxConfig, runtimeHandler: '' });
      const config: ContainerConfig = {
        metadata: { name: 'main', attempt: 0 },
        image: { image },
        command,
        args: [],
        workingDir: '',
        envs: [],
        mounts: [],
        labels: containerLabels(identity, 'main'),
        annotations: {},
        logPath: containerLogPath('main', 0),
        stdin: false,
        stdinOnce: false,
        tty: false,
        ...extra,
      };
      const { containerId } = await runtime.createContainer({ podSandboxId, config, sandboxConfig });
      await runtime.startContainer({ containerId });
      const ip = (await runtime.podSandboxStatus({ podSandboxId, verbose: false })).status.network?.ip ?? '';
      return { podSandboxId, containerId, ip };
    }

    async function untilExited(containerId: string) {
      for (let i = 0; i < 300; i++) {
        const { status } = await runtime.containerStatus({ containerId, verbose: false });
        if (status.state === 'CONTAINER_EXITED') return status;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`container ${containerId} did not exit`);
    }

    await t.test('a container over its memory limit is OOMKilled with exit code 137', async (t) => {
      const resources = { cpuPeriod: 0, cpuQuota: 0, cpuShares: 0, memoryLimitInBytes: 16 * 1024 * 1024, oomScoreAdj: 0, cpusetCpus: '', cpusetMems: '' };
      const { containerId, podSandboxId } = await pod('oom', ['sh', '-c', 'x=a; while true; do x=$x$x; done'], { linux: { resources } });
      const status = await untilExited(containerId);
      t.equal(status.exitCode, 137, 'exit code 137');
      t.equal(status.reason, 'OOMKilled', 'reason OOMKilled');
      await runtime.removePodSandbox({ podSandboxId });
    });

    await t.test('execSync, stats, hostname and probes into the pod', async (t) => {
      const { containerId, podSandboxId, ip } = await pod('web', ['sh', '-c', 'mkdir -p /www && echo hello > /www/index.html && httpd -f -p 8080 -h /www']);
      const hostname = await runtime.execSync({ containerId, cmd: ['hostname'], timeout: 10 });
      t.equal(Buffer.from(hostname.stdout).toString().trim(), 'web', 'hostname is the pod name');
      const failing = await runtime.execSync({ containerId, cmd: ['sh', '-c', 'echo oops >&2; exit 7'], timeout: 10 });
      t.equal(failing.exitCode, 7, 'exit code of the exec');
      t.equal(Buffer.from(failing.stderr).toString().trim(), 'oops', 'its stderr');
      await t.rejects(runtime.execSync({ containerId, cmd: ['sleep', '5'], timeout: 1 }), { code: 'DeadlineExceeded' }, 'a command past its timeout');

      let http = await runtime.probeContainer({ containerId, probe: { httpGet: { host: '', port: 8080, path: '/index.html', scheme: 'HTTP', httpHeaders: [] } }, timeoutSeconds: 2 });
      for (let i = 0; i < 40 && http.result !== 'SUCCESS'; i++) {
        await new Promise((r) => setTimeout(r, 50));
        http = await runtime.probeContainer({ containerId, probe: { httpGet: { host: '', port: 8080, path: '/index.html', scheme: 'HTTP', httpHeaders: [] } }, timeoutSeconds: 2 });
      }
      t.equal(http.result, 'SUCCESS', `httpGet on the pod IP ${ip} succeeds`);
      const missingPage = await runtime.probeContainer({ containerId, probe: { httpGet: { host: '', port: 8080, path: '/nope', scheme: 'HTTP', httpHeaders: [] } }, timeoutSeconds: 2 });
      t.same(missingPage, { result: 'FAILURE', message: 'HTTP probe failed with statuscode: 404' }, 'a 404 fails with kube\'s message');
      const closed = await runtime.probeContainer({ containerId, probe: { tcpSocket: { host: '', port: 8081 } }, timeoutSeconds: 2 });
      t.equal(closed.result, 'FAILURE', 'tcpSocket on a closed port fails');
      t.match(closed.message, /connection refused/);
      const exec = await runtime.probeContainer({ containerId, probe: { exec: { command: ['sh', '-c', 'exit 1'] } }, timeoutSeconds: 2 });
      t.equal(exec.result, 'FAILURE', 'an exec probe exiting 1 fails');

      const { stats } = await runtime.containerStats({ containerId });
      t.ok((stats.memory?.workingSetBytes?.value ?? 0) > 0, 'memory working set is reported');
      t.ok((stats.cpu?.usageCoreNanoSeconds?.value ?? 0) > 0, 'cpu usage is reported');
      await runtime.removePodSandbox({ podSandboxId });
    });

    await t.test('a missing binary fails at create with runc\'s message', async (t) => {
      const identity = { namespace: 'runc', name: 'nobinary', uid: `uid-nobinary-${Date.now()}` };
      const sandboxConfig: PodSandboxConfig = {
        metadata: { ...identity, attempt: 0 },
        hostname: 'nobinary',
        logDirectory: podLogDirectory(made.logRoot, identity),
        portMappings: [],
        labels: sandboxLabels(identity, {}),
        annotations: {},
      };
      const { podSandboxId } = await runtime.runPodSandbox({ config: sandboxConfig, runtimeHandler: '' });
      const config: ContainerConfig = {
        metadata: { name: 'main', attempt: 0 },
        image: { image },
        command: ['/nope'],
        args: [],
        workingDir: '',
        envs: [],
        mounts: [],
        labels: containerLabels(identity, 'main'),
        annotations: {},
        logPath: containerLogPath('main', 0),
        stdin: false,
        stdinOnce: false,
        tty: false,
      };
      await t.rejects(runtime.createContainer({ podSandboxId, config, sandboxConfig }), /\/nope/, 'the error names the binary');
      await runtime.removePodSandbox({ podSandboxId });
    });

    // closing the runtime removes everything; checked here, while the test can still assert
    await made.cleanup();
  });
}

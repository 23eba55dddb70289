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
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import t, { type Test } from 'tap';
import type { ContainerConfig, Runtime } from '../../cri/api.js';
import { runtimeConformance, type ConformanceRuntime } from '../../cri/conformance.js';
import { directRuntime } from '../../cri/direct-runtime.js';
import { connectRuntime } from '../../cri/socket-client.js';
import { serveRuntime } from '../../cri/socket-server.js';
import { hostNames } from './host-names.js';
import { createRuncRuntime } from './index.js';
import { assertNoTrace, snapshotHostTrace } from './testing/host-trace.js';
import { onePodConfigs } from './testing/pod-configs.js';
import { runcHostProblems, seedBusyboxRegistry } from './testing/runc-host.js';

const missing = runcHostProblems();

// one root test, registered at once: files gathered into one tap process (kubelet-host.test.ts) then run in order
t.test('the runc runtime on this host', { skip: missing.length > 0 && `needs ${missing.join(', ')}` }, runAll);

async function runAll(t: Test): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'k8ts-runc-'));
  t.teardown(() => rm(work, { recursive: true, force: true }));
  // a second image (another config digest) for the suite's removeImage case
  const seeded = await seedBusyboxRegistry(join(work, 'seed'), { spare: true });
  t.teardown(() => seeded.stop());
  const image = seeded.image;
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
    spareImage: seeded.spareImage!,
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

    const podConfigs = (name: string, command: string[], extra: Partial<ContainerConfig> = {}) =>
      onePodConfigs({ namespace: 'runc', name, uid: `uid-${name}-${Date.now()}`, image, command, logRoot: made.logRoot, extra });

    async function pod(name: string, command: string[], extra: Partial<ContainerConfig> = {}) {
      const { sandboxConfig, config } = podConfigs(name, command, extra);
      const { podSandboxId } = await runtime.runPodSandbox({ config: sandboxConfig, runtimeHandler: '' });
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
      // a second container of the same pod shares its network and IPC namespaces, and reaches the first on localhost
      const { sandboxConfig, config: first } = podConfigs('web', ['sleep', '3600']);
      const sidecarConfig = { ...first, metadata: { name: 'sidecar', attempt: 0 }, logPath: 'sidecar/0.log' };
      const { containerId: sidecar } = await runtime.createContainer({ podSandboxId, config: sidecarConfig, sandboxConfig: { ...sandboxConfig, metadata: (await runtime.podSandboxStatus({ podSandboxId, verbose: false })).status.metadata } });
      await runtime.startContainer({ containerId: sidecar });
      const nsOf = async (id: string, ns: string) => Buffer.from((await runtime.execSync({ containerId: id, cmd: ['readlink', `/proc/self/ns/${ns}`], timeout: 10 })).stdout).toString().trim();
      t.equal(await nsOf(sidecar, 'net'), await nsOf(containerId, 'net'), 'one network namespace per pod');
      t.equal(await nsOf(sidecar, 'ipc'), await nsOf(containerId, 'ipc'), 'one IPC namespace per pod');
      t.equal(await nsOf(sidecar, 'uts'), await nsOf(containerId, 'uts'), 'one UTS namespace per pod');
      t.not(await nsOf(sidecar, 'pid'), await nsOf(containerId, 'pid'), 'a PID namespace per container (shareProcessNamespace is off)');
      let local = await runtime.execSync({ containerId: sidecar, cmd: ['sh', '-c', 'timeout 3 wget -qO- http://127.0.0.1:8080/index.html'], timeout: 10 });
      for (let i = 0; i < 40 && local.exitCode !== 0; i++) {
        await new Promise((r) => setTimeout(r, 50));
        local = await runtime.execSync({ containerId: sidecar, cmd: ['sh', '-c', 'timeout 3 wget -qO- http://127.0.0.1:8080/index.html'], timeout: 10 });
      }
      t.equal(Buffer.from(local.stdout).toString().trim(), 'hello', 'the sidecar reaches the web container on localhost');
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
      const { sandboxConfig, config } = podConfigs('nobinary', ['/nope']);
      const { podSandboxId } = await runtime.runPodSandbox({ config: sandboxConfig, runtimeHandler: '' });
      await t.rejects(runtime.createContainer({ podSandboxId, config, sandboxConfig }), /\/nope/, 'the error names the binary');
      await runtime.removePodSandbox({ podSandboxId });
    });

    // closing the runtime removes everything; checked here, while the test can still assert
    await made.cleanup();
  });
}

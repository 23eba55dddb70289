/**
 * The runtime conformance suite: one set of tap subtests every Runtime must pass, whatever
 * implements it (simulated, runc) and however it is reached (direct, unix socket). It
 * checks what the kubelet relies on — states, timestamps, filters, NotFound for unknown
 * ids, idempotent teardown, logs where and as the kubelet reads them — not how a runtime
 * gets there.
 *
 * What differs between runtimes comes in as options: the image to run, how to make a
 * container run until stopped or exit by itself with code N (simulated: pod annotations
 * sim.k8ts.io/run-ms and exit-code; runc: a command like ['sh', '-c', 'exit 3']), and how
 * time passes (a FakeClock's advance, or a real sleep).
 *
 * Each subtest makes its own pods with their own names and labels, so one failure does not
 * cascade and list filters can be checked exactly on a runtime the other subtests share.
 */
import { readFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Test } from 'tap';
import type { ContainerConfig, ContainerStatus, PodSandboxConfig, Runtime } from './api.js';
import { CriError, isCriError, type CriErrorCode } from './errors.js';
import { CONTAINER_TYPE_ANNOTATION, containerLabels, sandboxLabels } from './labels.js';
import { parseCriLogLine } from '../logs/cri-log-format.js';
import { containerLogPath, podLogDirectory } from '../logs/log-paths.js';

export interface ConformanceRuntime {
  runtime: Runtime;
  cleanup(): Promise<void>;
  /** where pod log directories go (the kubelet's DATA_DIR); the suite writes under it */
  logRoot: string;
  /** let `ms` of the runtime's time pass: a FakeClock's advance, or (default) a real sleep */
  passTime?(ms: number): Promise<void>;
}

/** how to make a container behave a certain way on this runtime */
export interface ContainerRecipe {
  command?: string[];
  args?: string[];
  /** on the pod's sandbox (the simulated runtime reads its script from there) */
  sandboxAnnotations?: Record<string, string>;
}

export interface ConformanceOptions {
  /** the image every container runs (default busybox:1.36) */
  image?: string;
  /** a second image, pulled and removed again to check removeImage; omit to skip that check */
  spareImage?: string;
  /** a container that runs until it is stopped (default: nothing special) */
  runsUntilStopped?: ContainerRecipe;
  /** a container that exits by itself, soon, with `code` (default: simulated annotations) */
  exitsWith?: (code: number) => ContainerRecipe;
  /** how much runtime time a state change may take (default 10000 ms) */
  patienceMs?: number;
  /** time passed between polls (default 10 ms) */
  pollMs?: number;
}

const SIMULATED_EXIT = (code: number): ContainerRecipe => ({
  sandboxAnnotations: { 'sim.k8ts.io/run-ms': '50', 'sim.k8ts.io/exit-code': String(code) },
});

export function runtimeConformance(
  t: Test,
  name: string,
  makeRuntime: () => Promise<ConformanceRuntime>,
  options: ConformanceOptions = {},
): Promise<unknown> {
  const image = options.image ?? 'busybox:1.36';
  const runsUntilStopped = options.runsUntilStopped ?? {};
  const exitsWith = options.exitsWith ?? SIMULATED_EXIT;
  const patienceMs = options.patienceMs ?? 10_000;
  const pollMs = options.pollMs ?? 10;

  return t.test(`runtime conformance: ${name}`, async (t) => {
    const made = await makeRuntime();
    t.teardown(() => made.cleanup());
    const { runtime, logRoot } = made;
    const passTime = made.passTime ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    let podSerial = 0;

    /** poll `probe` until it returns a value, letting runtime time pass between tries */
    async function eventually<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
      for (let waited = 0; ; waited += pollMs) {
        const value = await probe();
        if (value !== undefined) return value;
        if (waited >= patienceMs) throw new Error(`timed out after ${patienceMs} ms waiting for ${what}`);
        await passTime(pollMs);
      }
    }

    async function expectCriError(t: Test, code: CriErrorCode, what: string, call: () => Promise<unknown>): Promise<void> {
      try {
        await call();
        t.fail(`${what}: expected CriError ${code}, it succeeded`);
      } catch (err) {
        t.ok(isCriError(err, code), `${what}: CriError ${code}`, { found: err instanceof CriError ? `${err.code}: ${err.message}` : String(err) });
      }
    }

    function newPod(recipe: ContainerRecipe = {}, labels: Record<string, string> = {}): PodSandboxConfig {
      const identity = { namespace: 'conformance', name: `pod-${++podSerial}`, uid: `uid-${podSerial}-${Date.now()}` };
      return {
        metadata: { ...identity, attempt: 0 },
        hostname: identity.name,
        logDirectory: podLogDirectory(logRoot, identity),
        portMappings: [],
        labels: sandboxLabels(identity, { 'conformance.k8ts.io/pod': identity.name, ...labels }),
        annotations: { ...recipe.sandboxAnnotations },
      };
    }

    function newContainer(pod: PodSandboxConfig, containerName: string, recipe: ContainerRecipe = {}): ContainerConfig {
      return {
        metadata: { name: containerName, attempt: 0 },
        image: { image },
        command: recipe.command ?? [],
        args: recipe.args ?? [],
        workingDir: '',
        envs: [],
        mounts: [],
        labels: containerLabels(pod.metadata, containerName),
        annotations: { [CONTAINER_TYPE_ANNOTATION]: 'regular' },
        logPath: containerLogPath(containerName, 0),
        stdin: false,
        stdinOnce: false,
        tty: false,
      };
    }

    const statusOf = async (containerId: string): Promise<ContainerStatus> => (await runtime.containerStatus({ containerId, verbose: false })).status;
    const untilState = (containerId: string, state: ContainerStatus['state']) =>
      eventually(`container ${containerId} to be ${state}`, async () => {
        const status = await statusOf(containerId);
        return status.state === state ? status : undefined;
      });

    /** a running sandbox with one started container */
    async function runningPod(recipe: ContainerRecipe, labels: Record<string, string> = {}) {
      const config = newPod(recipe, labels);
      const { podSandboxId } = await runtime.runPodSandbox({ config, runtimeHandler: '' });
      const containerConfig = newContainer(config, 'main', recipe);
      const { containerId } = await runtime.createContainer({ podSandboxId, config: containerConfig, sandboxConfig: config });
      await runtime.startContainer({ containerId });
      return { config, podSandboxId, containerConfig, containerId };
    }

    // every container below runs this image
    await runtime.pullImage({ image: { image } });

    t.test('version names the runtime and the API version', async (t) => {
      const version = await runtime.version({ version: 'v1' });
      t.ok(version.runtimeName, 'runtimeName');
      t.ok(version.runtimeVersion, 'runtimeVersion');
      t.ok(version.runtimeApiVersion, 'runtimeApiVersion');
    });

    t.test('status: RuntimeReady is true', async (t) => {
      const { status } = await runtime.status({ verbose: false });
      const ready = status.conditions.find((c) => c.type === 'RuntimeReady');
      t.equal(ready?.status, true, 'RuntimeReady');
    });

    t.test('images: pulled image shows in imageStatus and listImages; an absent one does not', async (t) => {
      const { imageRef } = await runtime.pullImage({ image: { image } });
      t.ok(imageRef, 'pullImage returns an imageRef');
      const { image: pulled } = await runtime.imageStatus({ image: { image }, verbose: false });
      t.ok(pulled, 'imageStatus finds the pulled image');
      t.equal(pulled?.id, imageRef, 'its id is the imageRef');
      const { images } = await runtime.listImages({});
      t.ok(
        images.some((i) => i.id === imageRef),
        'listImages has it',
      );
      const absent = await runtime.imageStatus({ image: { image: 'conformance.k8ts.invalid/never-pulled:0' }, verbose: false });
      t.equal(absent.image, undefined, 'imageStatus of an absent image has no image');

      if (options.spareImage) {
        const spare = { image: options.spareImage };
        await runtime.pullImage({ image: spare });
        t.ok((await runtime.imageStatus({ image: spare, verbose: false })).image, 'spare image pulled');
        await runtime.removeImage({ image: spare });
        t.equal((await runtime.imageStatus({ image: spare, verbose: false })).image, undefined, 'removeImage removes it');
      }
    });

    t.test('sandbox: ready with an IP; listPodSandbox filters by id, state and labels; teardown idempotent', async (t) => {
      const config = newPod(runsUntilStopped, { 'conformance.k8ts.io/suite': 'sandbox' });
      const { podSandboxId } = await runtime.runPodSandbox({ config, runtimeHandler: '' });
      t.ok(podSandboxId, 'an id');

      const { status } = await runtime.podSandboxStatus({ podSandboxId, verbose: false });
      t.equal(status.id, podSandboxId);
      t.equal(status.state, 'SANDBOX_READY');
      t.same(status.metadata, config.metadata, 'metadata as given');
      t.match(status.labels, config.labels, 'labels as given');
      t.ok(status.createdAt > 0, 'createdAt set');
      t.match(status.network?.ip ?? '', /^\d+\.\d+\.\d+\.\d+$/, 'an IPv4 address');

      const other = newPod(runsUntilStopped, { 'conformance.k8ts.io/suite': 'sandbox' });
      const { podSandboxId: otherId } = await runtime.runPodSandbox({ config: other, runtimeHandler: '' });

      const ids = async (filter: Parameters<Runtime['listPodSandbox']>[0]['filter']) => (await runtime.listPodSandbox({ filter })).items.map((s) => s.id).sort();
      t.same(await ids({ id: podSandboxId }), [podSandboxId], 'by id');
      t.same(await ids({ labelSelector: { 'conformance.k8ts.io/suite': 'sandbox' } }), [podSandboxId, otherId].sort(), 'by label');
      t.same(await ids({ labelSelector: { 'conformance.k8ts.io/pod': config.metadata.name } }), [podSandboxId], 'by a label only one has');
      t.same(await ids({ labelSelector: { 'conformance.k8ts.io/suite': 'no-such-suite' } }), [], 'by a label none has');
      t.ok((await ids({})).includes(podSandboxId), 'no filter lists it');
      const listed = (await runtime.listPodSandbox({ filter: { id: podSandboxId } })).items[0];
      t.match(listed, { id: podSandboxId, state: 'SANDBOX_READY', metadata: config.metadata }, 'listed as ready');

      await runtime.stopPodSandbox({ podSandboxId });
      t.equal((await runtime.podSandboxStatus({ podSandboxId, verbose: false })).status.state, 'SANDBOX_NOTREADY', 'stopped: NOTREADY');
      const bySuite = { 'conformance.k8ts.io/suite': 'sandbox' };
      t.same(await ids({ state: { state: 'SANDBOX_NOTREADY' }, labelSelector: bySuite }), [podSandboxId], 'by state NOTREADY');
      t.same(await ids({ state: { state: 'SANDBOX_READY' }, labelSelector: bySuite }), [otherId], 'by state READY');
      await runtime.stopPodSandbox({ podSandboxId });
      t.pass('stopPodSandbox twice is fine');

      await runtime.removePodSandbox({ podSandboxId });
      await runtime.removePodSandbox({ podSandboxId });
      t.pass('removePodSandbox twice is fine');
      await expectCriError(t, 'NotFound', 'status of a removed sandbox', () => runtime.podSandboxStatus({ podSandboxId, verbose: false }));
      t.same(await ids({ id: podSandboxId }), [], 'a removed sandbox is not listed');

      await runtime.stopPodSandbox({ podSandboxId: otherId });
      await runtime.removePodSandbox({ podSandboxId: otherId });
    });

    t.test('container: created, running, listed, logging, stopped, removed', async (t) => {
      const config = newPod(runsUntilStopped);
      const { podSandboxId } = await runtime.runPodSandbox({ config, runtimeHandler: '' });
      const containerConfig = newContainer(config, 'main', runsUntilStopped);
      const { containerId } = await runtime.createContainer({ podSandboxId, config: containerConfig, sandboxConfig: config });

      const created = await statusOf(containerId);
      t.equal(created.state, 'CONTAINER_CREATED', 'created');
      t.equal(created.startedAt, 0, 'not started yet');
      t.same(created.metadata, containerConfig.metadata, 'metadata as given');

      await runtime.startContainer({ containerId });
      const running = await untilState(containerId, 'CONTAINER_RUNNING');
      t.ok(running.startedAt > 0, 'startedAt set');
      t.ok(running.startedAt >= running.createdAt, 'started after created');
      t.equal(running.finishedAt, 0, 'not finished');
      t.ok(running.imageRef, 'imageRef set');
      t.match(running.labels, containerConfig.labels, 'labels as given');

      const ids = async (filter: Parameters<Runtime['listContainers']>[0]['filter']) => (await runtime.listContainers({ filter })).containers.map((c) => c.id);
      t.same(await ids({ podSandboxId }), [containerId], 'by podSandboxId');
      t.same(await ids({ id: containerId }), [containerId], 'by id');
      t.same(await ids({ podSandboxId, state: { state: 'CONTAINER_RUNNING' } }), [containerId], 'by state RUNNING');
      t.same(await ids({ podSandboxId, state: { state: 'CONTAINER_EXITED' } }), [], 'not by state EXITED');
      t.same(await ids({ labelSelector: containerConfig.labels }), [containerId], 'by labels');
      t.same(await ids({ labelSelector: { ...containerConfig.labels, 'io.kubernetes.container.name': 'other' } }), [], 'not by other labels');
      const listed = (await runtime.listContainers({ filter: { id: containerId } })).containers[0];
      t.match(listed, { id: containerId, podSandboxId, state: 'CONTAINER_RUNNING', metadata: containerConfig.metadata }, 'listed as running');

      // the log, where the kubelet will look for it
      const logFile = join(config.logDirectory, containerConfig.logPath);
      t.equal(running.logPath, logFile, 'status.logPath is the absolute log path');
      await eventually(`log file ${logFile}`, async () => ((await exists(logFile)) ? true : undefined));
      const lines = (await readFile(logFile, 'utf8')).split('\n').filter((l) => l !== '');
      t.ok(
        lines.every((l) => parseCriLogLine(l) !== undefined),
        'every log line is in the CRI format',
        { lines },
      );

      // rotation: the kubelet renames the file, then asks the runtime to reopen it
      await rename(logFile, `${logFile}.rotated`);
      await runtime.reopenContainerLog({ containerId });
      await eventually('the reopened log file', async () => ((await exists(logFile)) ? true : undefined));
      t.pass('reopenContainerLog makes a new log file');

      await runtime.stopContainer({ containerId, timeout: 0 });
      const exited = await untilState(containerId, 'CONTAINER_EXITED');
      t.type(exited.exitCode, 'number', 'an exit code');
      t.ok(exited.finishedAt > 0, 'finishedAt set');
      t.ok(exited.finishedAt >= exited.startedAt, 'finished after started');
      t.same(await ids({ podSandboxId, state: { state: 'CONTAINER_EXITED' } }), [containerId], 'by state EXITED');
      await runtime.stopContainer({ containerId, timeout: 0 });
      t.pass('stopContainer on an exited container is fine');

      await runtime.removeContainer({ containerId });
      await expectCriError(t, 'NotFound', 'status of a removed container', () => statusOf(containerId));
      t.same(await ids({ id: containerId }), [], 'a removed container is not listed');

      await runtime.stopPodSandbox({ podSandboxId });
      await runtime.removePodSandbox({ podSandboxId });
    });

    t.test('a container that exits by itself reports its exit code', async (t) => {
      for (const [code, reason] of [
        [3, 'Error'],
        [0, 'Completed'],
      ] as const) {
        const recipe = exitsWith(code);
        const { podSandboxId, containerId } = await runningPod(recipe);
        const exited = await untilState(containerId, 'CONTAINER_EXITED');
        t.equal(exited.exitCode, code, `exit code ${code}`);
        t.equal(exited.reason, reason, `reason ${reason}`);
        t.ok(exited.finishedAt >= exited.startedAt && exited.startedAt > 0, 'started, then finished');
        await runtime.removePodSandbox({ podSandboxId });
      }
    });

    t.test('removePodSandbox removes its containers', async (t) => {
      const { podSandboxId, containerId } = await runningPod(runsUntilStopped);
      await untilState(containerId, 'CONTAINER_RUNNING');
      await runtime.stopPodSandbox({ podSandboxId });
      const stopped = await untilState(containerId, 'CONTAINER_EXITED');
      t.ok(stopped.finishedAt > 0, 'stopPodSandbox stopped the container');
      await runtime.removePodSandbox({ podSandboxId });
      await expectCriError(t, 'NotFound', 'status of a container of a removed sandbox', () => statusOf(containerId));
    });

    t.test('unknown ids are NotFound', async (t) => {
      const nobody = 'conformance-no-such-id';
      await expectCriError(t, 'NotFound', 'podSandboxStatus', () => runtime.podSandboxStatus({ podSandboxId: nobody, verbose: false }));
      await expectCriError(t, 'NotFound', 'containerStatus', () => runtime.containerStatus({ containerId: nobody, verbose: false }));
      await expectCriError(t, 'NotFound', 'startContainer', () => runtime.startContainer({ containerId: nobody }));
      await expectCriError(t, 'NotFound', 'reopenContainerLog', () => runtime.reopenContainerLog({ containerId: nobody }));
      const config = newPod();
      await expectCriError(t, 'NotFound', 'createContainer in an unknown sandbox', () =>
        runtime.createContainer({ podSandboxId: nobody, config: newContainer(config, 'x'), sandboxConfig: config }),
      );
    });
  });
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

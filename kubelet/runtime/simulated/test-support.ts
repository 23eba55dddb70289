/**
 * Builders shared by the simulated runtime's tests: sandbox and container configs shaped
 * like the kubelet's (labels, log layout, container type annotation), and a runtime on a
 * FakeClock with a pulled image, ready to run pods.
 */
import { FakeClock } from '../../../client/clock.js';
import type { ContainerConfig, Mount, PodSandboxConfig, Runtime } from '../../cri/api.js';
import { CONTAINER_TYPE_ANNOTATION, containerLabels, sandboxLabels, type ContainerType } from '../../cri/labels.js';
import { containerLogPath, podLogDirectory } from '../../logs/log-paths.js';
import { createSimulatedRuntime } from './index.js';

export const TEST_IMAGE = 'busybox:1.36';

export interface PodSpecForTest {
  name?: string;
  namespace?: string;
  uid?: string;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  /** where pod logs go; '' for none */
  logRoot?: string;
}

export function sandboxConfig(pod: PodSpecForTest = {}): PodSandboxConfig {
  const identity = { name: pod.name ?? 'web', namespace: pod.namespace ?? 'default', uid: pod.uid ?? `uid-${pod.name ?? 'web'}` };
  return {
    metadata: { ...identity, attempt: 0 },
    hostname: identity.name,
    logDirectory: pod.logRoot ? podLogDirectory(pod.logRoot, identity) : '',
    portMappings: [],
    labels: sandboxLabels(identity, pod.labels),
    annotations: pod.annotations ?? {},
  };
}

export function containerConfig(sandbox: PodSandboxConfig, name: string, opts: { type?: ContainerType; attempt?: number; mounts?: Mount[]; image?: string; memoryLimit?: number } = {}): ContainerConfig {
  const attempt = opts.attempt ?? 0;
  const config: ContainerConfig = {
    metadata: { name, attempt },
    image: { image: opts.image ?? TEST_IMAGE },
    command: [],
    args: [],
    workingDir: '',
    envs: [],
    mounts: opts.mounts ?? [],
    labels: containerLabels(sandbox.metadata, name),
    annotations: { [CONTAINER_TYPE_ANNOTATION]: opts.type ?? 'regular' },
    logPath: containerLogPath(name, attempt),
    stdin: false,
    stdinOnce: false,
    tty: false,
  };
  if (opts.memoryLimit) config.linux = { resources: { cpuPeriod: 0, cpuQuota: 0, cpuShares: 2, memoryLimitInBytes: opts.memoryLimit, oomScoreAdj: 0, cpusetCpus: '', cpusetMems: '' } };
  return config;
}

export interface TestRuntime {
  runtime: Runtime;
  clock: FakeClock;
}

export async function startTestRuntime(podCIDR = '10.244.1.0/24'): Promise<TestRuntime> {
  const clock = new FakeClock();
  const runtime = createSimulatedRuntime({ podCIDR, clock, nodeName: 'k8ts-node-1' });
  await runtime.pullImage({ image: { image: TEST_IMAGE } });
  return { runtime, clock };
}

/** run a sandbox and create (not start) its containers; returns their ids in order */
export async function createPod(runtime: Runtime, pod: PodSpecForTest, containers: Array<{ name: string; type?: ContainerType; mounts?: Mount[] }>) {
  const config = sandboxConfig(pod);
  const { podSandboxId } = await runtime.runPodSandbox({ config, runtimeHandler: '' });
  const ids: string[] = [];
  for (const c of containers) {
    const { containerId } = await runtime.createContainer({ podSandboxId, config: containerConfig(config, c.name, c), sandboxConfig: config });
    ids.push(containerId);
  }
  return { podSandboxId, config, ids };
}

export const stateOf = async (runtime: Runtime, containerId: string) => (await runtime.containerStatus({ containerId, verbose: false })).status;

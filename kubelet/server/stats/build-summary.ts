/**
 * The Summary from what the runtime reports, as kube's CRI stats provider assembles it
 * (pkg/kubelet/stats/cri_stats_provider.go), pure so it can be table-tested:
 *
 * - sandboxes: the ready ones; a pod none of whose sandboxes is ready keeps its newest
 *   (kube's removeTerminatedPods), so a pod between sandboxes does not vanish;
 * - containers: running ones only (kube's removeTerminatedContainers); stats of a
 *   container or sandbox not in those lists are dropped;
 * - a container's usageNanoCores: the runtime's own when it gives one, else the rate from
 *   the sampler's cache (cpu-usage-rate.ts), else absent (first sample);
 * - pod CPU and memory: the sum of its containers (kube does this when cadvisor has no
 *   pod cgroup to read);
 * - node CPU and memory: the sum of the node's pods. A kubelet on its own host reads the
 *   root cgroup instead, but k8ts runs several nodes in one process on one host: the root
 *   cgroup would count every node's pods (and k8ts itself) on each of them. The sum keeps
 *   each node's numbers its own, for the simulated and the runc runtime alike;
 *   availableBytes is the node's memory capacity minus that working set, as kube computes it.
 */
import type { Container, ContainerStats, PodSandbox } from '../../cri/api.js';
import { metaTime, type ContainerStatsSummary, type CpuStats, type MemoryStats, type PodStatsSummary, type Summary } from './summary-types.js';

export interface SummaryInput {
  nodeName: string;
  /** ms since the epoch: when this kubelet started */
  nodeStartTimeMs: number;
  nowMs: number;
  sandboxes: readonly PodSandbox[];
  containers: readonly Container[];
  stats: readonly ContainerStats[];
  /** the sampler's rate for a container id (cpu-usage-rate.ts) */
  cachedUsageNanoCores: (containerId: string) => number | undefined;
  /** the node's memory capacity in bytes, when known */
  memoryCapacityBytes?: number;
}

export function buildSummary(input: SummaryInput): Summary {
  const sandboxes = new Map(liveSandboxes(input.sandboxes).map((s) => [s.id, s]));
  const containers = new Map(input.containers.filter((c) => c.state === 'CONTAINER_RUNNING').map((c) => [c.id, c]));
  const pods = new Map<string, PodStatsSummary>();
  for (const stats of input.stats) {
    const container = containers.get(stats.attributes.id);
    const sandbox = container && sandboxes.get(container.podSandboxId);
    if (!container || !sandbox) continue;
    let pod = pods.get(sandbox.id);
    if (!pod) {
      pod = {
        podRef: { name: sandbox.metadata.name, namespace: sandbox.metadata.namespace, uid: sandbox.metadata.uid },
        startTime: metaTime(sandbox.createdAt / 1e6),
        containers: [],
      };
      pods.set(sandbox.id, pod);
    }
    pod.containers.push(containerSummary(stats, container, input));
  }
  const podList = [...pods.values()].sort((a, b) => key(a).localeCompare(key(b)));
  for (const pod of podList) {
    pod.containers.sort((a, b) => a.name.localeCompare(b.name));
    const cpu = sumCpu(pod.containers.map((c) => c.cpu), true);
    const memory = sumMemory(pod.containers.map((c) => c.memory));
    if (cpu) pod.cpu = cpu;
    if (memory) pod.memory = memory;
  }
  const now = metaTime(input.nowMs);
  const nodeCpu = sumCpu(podList.map((p) => p.cpu), false) ?? { time: now, usageNanoCores: 0, usageCoreNanoSeconds: 0 };
  const nodeMemory = sumMemory(podList.map((p) => p.memory)) ?? { time: now, usageBytes: 0, workingSetBytes: 0, rssBytes: 0 };
  if (input.memoryCapacityBytes !== undefined) {
    nodeMemory.availableBytes = Math.max(0, input.memoryCapacityBytes - (nodeMemory.workingSetBytes ?? 0));
  }
  return {
    node: { nodeName: input.nodeName, startTime: metaTime(input.nodeStartTimeMs), cpu: { ...nodeCpu, time: now }, memory: { ...nodeMemory, time: now } },
    pods: podList,
  };
}

const key = (p: PodStatsSummary) => `${p.podRef.namespace}/${p.podRef.name}`;

/** ready sandboxes, plus the newest one of each pod that has no ready sandbox */
function liveSandboxes(all: readonly PodSandbox[]): PodSandbox[] {
  const readyPods = new Set(all.filter((s) => s.state === 'SANDBOX_READY').map((s) => s.metadata.uid));
  const newestNotReady = new Map<string, PodSandbox>();
  for (const s of all) {
    if (s.state === 'SANDBOX_READY' || readyPods.has(s.metadata.uid)) continue;
    const seen = newestNotReady.get(s.metadata.uid);
    if (!seen || s.createdAt > seen.createdAt) newestNotReady.set(s.metadata.uid, s);
  }
  return [...all.filter((s) => s.state === 'SANDBOX_READY'), ...newestNotReady.values()];
}

function containerSummary(stats: ContainerStats, container: Container, input: SummaryInput): ContainerStatsSummary {
  const out: ContainerStatsSummary = { name: stats.attributes.metadata.name, startTime: metaTime(container.createdAt / 1e6) };
  // kube reports zeros stamped now when the runtime gave no CPU or memory stats at all
  const cpu = stats.cpu;
  if (cpu) {
    const rate = cpu.usageNanoCores?.value ?? input.cachedUsageNanoCores(stats.attributes.id);
    out.cpu = {
      time: metaTime(cpu.timestamp / 1e6),
      ...(rate !== undefined ? { usageNanoCores: rate } : {}),
      ...(cpu.usageCoreNanoSeconds ? { usageCoreNanoSeconds: cpu.usageCoreNanoSeconds.value } : {}),
    };
  } else out.cpu = { time: metaTime(input.nowMs), usageNanoCores: 0, usageCoreNanoSeconds: 0 };
  const memory = stats.memory;
  if (memory) {
    out.memory = {
      time: metaTime(memory.timestamp / 1e6),
      ...(memory.workingSetBytes ? { usageBytes: memory.workingSetBytes.value, workingSetBytes: memory.workingSetBytes.value } : {}),
      ...(memory.rssBytes ? { rssBytes: memory.rssBytes.value } : {}),
    };
  } else out.memory = { time: metaTime(input.nowMs), workingSetBytes: 0 };
  const layer = stats.writableLayer;
  if (layer) {
    out.rootfs = {
      time: metaTime(layer.timestamp / 1e6),
      ...(layer.usedBytes ? { usedBytes: layer.usedBytes.value } : {}),
      ...(layer.inodesUsed ? { inodesUsed: layer.inodesUsed.value } : {}),
    };
  }
  return out;
}

/**
 * kube's sum: every field adds up (a missing one counts 0) and the time is the last
 * part's. `strict` (pods): usageNanoCores stays absent while any container lacks it, so a
 * pod is not reported with a partial rate while a first sample is pending (metrics-server
 * leaves such pods out). The node's rate is never held back that way: kube's comes from
 * the root cgroup, which has one as soon as the kubelet has sampled twice.
 */
function sumCpu(parts: ReadonlyArray<CpuStats | undefined>, strict: boolean): CpuStats | undefined {
  const present = parts.filter((p): p is CpuStats => p !== undefined);
  if (!present.length) return undefined;
  const out: CpuStats = { time: latest(present.map((p) => p.time)), usageCoreNanoSeconds: total(present.map((p) => p.usageCoreNanoSeconds)) };
  if (!strict || present.every((p) => p.usageNanoCores !== undefined)) out.usageNanoCores = total(present.map((p) => p.usageNanoCores));
  return out;
}

function sumMemory(parts: ReadonlyArray<MemoryStats | undefined>): MemoryStats | undefined {
  const present = parts.filter((p): p is MemoryStats => p !== undefined);
  if (!present.length) return undefined;
  return {
    time: latest(present.map((p) => p.time)),
    usageBytes: total(present.map((p) => p.usageBytes)),
    workingSetBytes: total(present.map((p) => p.workingSetBytes)),
    rssBytes: total(present.map((p) => p.rssBytes)),
  };
}

const total = (values: ReadonlyArray<number | undefined>) => values.reduce<number>((sum, v) => sum + (v ?? 0), 0);
const latest = (times: readonly string[]) => times.reduce((a, b) => (b > a ? b : a));

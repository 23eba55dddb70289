/**
 * What the metrics API reads of a kubelet's stats Summary (GET /stats/summary, kube's
 * stats/v1alpha1): the node's and each container's CPU rate and memory working set. Only
 * these fields, declared here and checked on read: apiserver/ does not import kubelet/
 * (a kubelet may be another program on another host), and a kubelet's JSON is input.
 */

export interface SummaryCpu {
  time?: string;
  usageNanoCores?: number;
}

export interface SummaryMemory {
  time?: string;
  workingSetBytes?: number;
}

export interface SummaryContainer {
  name: string;
  cpu?: SummaryCpu;
  memory?: SummaryMemory;
}

export interface SummaryPod {
  podRef: { name: string; namespace: string; uid?: string };
  containers: SummaryContainer[];
}

export interface KubeletSummary {
  node: { nodeName?: string; cpu?: SummaryCpu; memory?: SummaryMemory };
  pods: SummaryPod[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

function cpuOf(v: unknown): SummaryCpu | undefined {
  if (!isObject(v)) return undefined;
  const time = str(v.time);
  const usageNanoCores = num(v.usageNanoCores);
  return { ...(time !== undefined && { time }), ...(usageNanoCores !== undefined && { usageNanoCores }) };
}

function memoryOf(v: unknown): SummaryMemory | undefined {
  if (!isObject(v)) return undefined;
  const time = str(v.time);
  const workingSetBytes = num(v.workingSetBytes);
  return { ...(time !== undefined && { time }), ...(workingSetBytes !== undefined && { workingSetBytes }) };
}

/** the parts of a decoded Summary we use; malformed parts are dropped, never trusted */
export function readKubeletSummary(json: unknown): KubeletSummary | undefined {
  if (!isObject(json) || !isObject(json.node)) return undefined;
  const cpu = cpuOf(json.node.cpu);
  const memory = memoryOf(json.node.memory);
  const nodeName = str(json.node.nodeName);
  const pods: SummaryPod[] = [];
  for (const p of Array.isArray(json.pods) ? json.pods : []) {
    if (!isObject(p) || !isObject(p.podRef)) continue;
    const name = str(p.podRef.name);
    const namespace = str(p.podRef.namespace);
    if (name === undefined || namespace === undefined) continue;
    const uid = str(p.podRef.uid);
    const containers: SummaryContainer[] = [];
    for (const c of Array.isArray(p.containers) ? p.containers : []) {
      if (!isObject(c) || str(c.name) === undefined) continue;
      const ccpu = cpuOf(c.cpu);
      const cmem = memoryOf(c.memory);
      containers.push({ name: c.name as string, ...(ccpu && { cpu: ccpu }), ...(cmem && { memory: cmem }) });
    }
    pods.push({ podRef: { name, namespace, ...(uid !== undefined && { uid }) }, containers });
  }
  return { node: { ...(nodeName !== undefined && { nodeName }), ...(cpu && { cpu }), ...(memory && { memory }) }, pods };
}

/**
 * Resource amounts as the scheduler counts them (kube's framework.Resource): milli-CPU,
 * bytes of memory and ephemeral storage, a pod count, and every other resource name
 * (extended resources, hugepages) as a plain integer.
 *
 * podRequests follows kube's resourcehelper.PodRequests: regular containers add up;
 * sidecars (init containers with restartPolicy Always) keep running, so they add to
 * everything started after them; a plain init container only needs its own request plus
 * the sidecars before it, so the pod needs the max of that and the running total; then
 * the pod overhead is added. Nothing here is read from the API server's parser (the hard rule).
 */
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { parseQuantity } from '../../client/quantity.js';

export const CPU = 'cpu';
export const MEMORY = 'memory';
export const EPHEMERAL_STORAGE = 'ephemeral-storage';
export const PODS = 'pods';

/** kube's DefaultMilliCPURequest and DefaultMemoryRequest: what a container without requests counts as when scoring */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

export interface Resource {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  allowedPodNumber: number;
  /** every other resource by name, in its integer unit */
  scalar: Map<string, number>;
}

export const emptyResource = (): Resource => ({ milliCPU: 0, memory: 0, ephemeralStorage: 0, allowedPodNumber: 0, scalar: new Map() });

export function cloneResource(r: Resource): Resource {
  return { ...r, scalar: new Map(r.scalar) };
}

/** a resource list ({cpu: "500m", memory: "1Gi", …}) in scheduler units */
export function resourceFromList(list: Record<string, string | number> | undefined): Resource {
  const r = emptyResource();
  if (!list) return r;
  for (const [name, value] of Object.entries(list)) {
    const n = parseQuantity(value as string);
    if (n === undefined) continue;
    setAmount(r, name, name === CPU ? Math.ceil(Math.round(n * 1e9) / 1e6) : Math.ceil(n));
  }
  return r;
}

export function amountOf(r: Resource, name: string): number {
  switch (name) {
    case CPU:
      return r.milliCPU;
    case MEMORY:
      return r.memory;
    case EPHEMERAL_STORAGE:
      return r.ephemeralStorage;
    case PODS:
      return r.allowedPodNumber;
    default:
      return r.scalar.get(name) ?? 0;
  }
}

export function setAmount(r: Resource, name: string, value: number): void {
  switch (name) {
    case CPU:
      r.milliCPU = value;
      break;
    case MEMORY:
      r.memory = value;
      break;
    case EPHEMERAL_STORAGE:
      r.ephemeralStorage = value;
      break;
    case PODS:
      r.allowedPodNumber = value;
      break;
    default:
      r.scalar.set(name, value);
  }
}

/** the resource names present in r (cpu, memory, ephemeral-storage only when non-zero) */
export function resourceNames(r: Resource): string[] {
  const names: string[] = [];
  if (r.milliCPU) names.push(CPU);
  if (r.memory) names.push(MEMORY);
  if (r.ephemeralStorage) names.push(EPHEMERAL_STORAGE);
  for (const [name, v] of r.scalar) if (v) names.push(name);
  return names;
}

/** a += b (sign -1: a -= b) */
export function addResource(a: Resource, b: Resource, sign = 1): void {
  a.milliCPU += sign * b.milliCPU;
  a.memory += sign * b.memory;
  a.ephemeralStorage += sign * b.ephemeralStorage;
  a.allowedPodNumber += sign * b.allowedPodNumber;
  for (const [name, v] of b.scalar) a.scalar.set(name, (a.scalar.get(name) ?? 0) + sign * v);
}

function maxInto(a: Resource, b: Resource): void {
  a.milliCPU = Math.max(a.milliCPU, b.milliCPU);
  a.memory = Math.max(a.memory, b.memory);
  a.ephemeralStorage = Math.max(a.ephemeralStorage, b.ephemeralStorage);
  for (const [name, v] of b.scalar) a.scalar.set(name, Math.max(a.scalar.get(name) ?? 0, v));
}

/** a container's requests; limits stand in for missing requests (the API server's defaulting does the same) */
function containerRequests(c: V1Container, nonZero: boolean): Resource {
  const requests = { ...(c.resources?.limits ?? {}), ...(c.resources?.requests ?? {}) } as Record<string, string>;
  const r = resourceFromList(requests);
  if (nonZero) {
    if (requests[CPU] === undefined) r.milliCPU = DEFAULT_MILLI_CPU_REQUEST;
    if (requests[MEMORY] === undefined) r.memory = DEFAULT_MEMORY_REQUEST;
  }
  return r;
}

/**
 * What the pod asks of a node. nonZero: containers without a cpu or memory request count
 * as 100m / 200Mi (for scoring, so best-effort pods still spread).
 */
export function podRequests(pod: V1Pod, opts: { nonZero?: boolean } = {}): Resource {
  const nonZero = opts.nonZero ?? false;
  const total = emptyResource();
  for (const c of pod.spec?.containers ?? []) addResource(total, containerRequests(c, nonZero));
  const sidecars = emptyResource();
  const initMax = emptyResource();
  for (const c of pod.spec?.initContainers ?? []) {
    const r = containerRequests(c, nonZero);
    if (c.restartPolicy === 'Always') {
      addResource(sidecars, r);
      maxInto(initMax, sidecars);
    } else {
      const during = cloneResource(sidecars);
      addResource(during, r);
      maxInto(initMax, during);
    }
  }
  addResource(total, sidecars);
  maxInto(total, initMax);
  if (pod.spec?.overhead) addResource(total, resourceFromList(pod.spec.overhead as Record<string, string>));
  total.allowedPodNumber = 0;
  return total;
}

/**
 * A pod's effective requests and limits as kube's resource helpers compute them
 * (PodRequests/PodLimits): app containers add up; an init container runs alone, so it
 * only raises the total to its own size (plus the sidecars started before it); sidecars
 * (init containers with restartPolicy Always) keep running and add to everything after
 * them; the RuntimeClass overhead adds on top. Used by the quota usage of pods.
 */
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { addQuantities, maxQuantity, parseExactQuantity, type Quantity } from '../../client/quantity.js';

export type QuantityList = Map<string, Quantity>;

function listOf(record: Record<string, unknown> | undefined): QuantityList {
  const out: QuantityList = new Map();
  for (const [name, value] of Object.entries(record ?? {})) {
    const q = parseExactQuantity(value);
    if (q) out.set(name, q);
  }
  return out;
}

export function addLists(a: QuantityList, b: QuantityList): QuantityList {
  const out = new Map(a);
  for (const [name, q] of b) out.set(name, out.has(name) ? addQuantities(out.get(name)!, q) : q);
  return out;
}

function maxLists(a: QuantityList, b: QuantityList): QuantityList {
  const out = new Map(a);
  for (const [name, q] of b) out.set(name, out.has(name) ? maxQuantity(out.get(name)!, q) : q);
  return out;
}

function podTotal(pod: V1Pod, of: (c: V1Container) => Record<string, unknown> | undefined): QuantityList {
  let total: QuantityList = new Map();
  for (const c of pod.spec?.containers ?? []) total = addLists(total, listOf(of(c)));
  let sidecars: QuantityList = new Map();
  let initPeak: QuantityList = new Map();
  for (const c of pod.spec?.initContainers ?? []) {
    const own = listOf(of(c));
    let whileRunning: QuantityList;
    if (c.restartPolicy === 'Always') {
      sidecars = addLists(sidecars, own);
      whileRunning = sidecars;
      total = addLists(total, own);
    } else whileRunning = addLists(own, sidecars);
    initPeak = maxLists(initPeak, whileRunning);
  }
  total = maxLists(total, initPeak);
  return addLists(total, listOf(pod.spec?.overhead as Record<string, unknown> | undefined));
}

export const podRequests = (pod: V1Pod): QuantityList => podTotal(pod, (c) => c.resources?.requests as Record<string, unknown> | undefined);
export const podLimits = (pod: V1Pod): QuantityList => podTotal(pod, (c) => c.resources?.limits as Record<string, unknown> | undefined);

/** kube's QoS class BestEffort: no container asks for or limits cpu or memory (status.qosClass when set) */
export function isBestEffort(pod: V1Pod): boolean {
  if (pod.status?.qosClass) return pod.status.qosClass === 'BestEffort';
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    for (const list of [c.resources?.requests, c.resources?.limits]) {
      for (const name of ['cpu', 'memory']) {
        const q = parseExactQuantity((list as Record<string, unknown> | undefined)?.[name]);
        if (q && q.nano !== 0n) return false;
      }
    }
  }
  return true;
}

/**
 * Test doubles for plugin tests: a Snapshot over an array of NodeInfos (image counts
 * computed from the nodes' status.images) and a Handle around it with in-memory listers.
 * Only the parts the simple plugins read are real; the preemption hooks report an error
 * so a test that needs them notices.
 */
import type { V1LabelSelector, V1Node, V1PersistentVolumeClaim, V1Pod, V1PodDisruptionBudget } from '@kubernetes/client-node';
import pino from 'pino';
import { FakeClock } from '../../../client/clock.js';
import { NodeInfo, newPodInfo } from '../../framework/node-info.js';
import { errorStatus } from '../../framework/status.js';
import type { Handle, Snapshot } from '../../framework/types.js';

export function fakeSnapshot(nodes: readonly NodeInfo[]): Snapshot {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  return {
    list: () => nodes,
    get: (name) => byName.get(name),
    havePodsWithAffinityList: () => nodes.filter((n) => n.podsWithAffinity.size > 0),
    havePodsWithRequiredAntiAffinityList: () => nodes.filter((n) => n.podsWithRequiredAntiAffinity.size > 0),
    imageNodeCount: (image) => nodes.filter((n) => n.node?.status?.images?.some((i) => i.names?.includes(image))).length,
  };
}

/** a NodeInfo for a node with these pods on it */
export function nodeInfoWith(node: V1Node, pods: V1Pod[] = []): NodeInfo {
  const info = new NodeInfo(node.metadata?.name ?? '', node);
  for (const p of pods) info.addPod(newPodInfo(p));
  return info;
}

/** NodeInfos for the nodes, each existing pod placed by its spec.nodeName */
export function nodeInfos(nodes: V1Node[], pods: V1Pod[] = []): NodeInfo[] {
  const infos = nodes.map((n) => new NodeInfo(n.metadata!.name!, n));
  const byName = new Map(infos.map((i) => [i.name, i]));
  for (const p of pods) {
    const info = byName.get(p.spec?.nodeName ?? '');
    if (!info) throw new Error(`test pod ${p.metadata?.name} is on unknown node ${p.spec?.nodeName}`);
    info.addPod(newPodInfo(p));
  }
  return infos;
}

export interface FakeHandleOptions {
  pvcs?: V1PersistentVolumeClaim[];
  namespaceLabels?: Record<string, Record<string, string>>;
  pdbs?: V1PodDisruptionBudget[];
  workloadSelectors?: V1LabelSelector[];
}

export function fakeHandle(nodes: readonly NodeInfo[], opts: FakeHandleOptions = {}): Handle {
  const snapshot = fakeSnapshot(nodes);
  const notHere = () => errorStatus('not available in the fake handle');
  return {
    snapshot: () => snapshot,
    nominator: { nominatedPodsForNode: () => [] },
    listers: {
      podDisruptionBudgets: () => opts.pdbs ?? [],
      persistentVolumeClaim: (namespace, name) =>
        opts.pvcs?.find((c) => (c.metadata?.namespace ?? 'default') === namespace && c.metadata?.name === name),
      namespaceLabels: (namespace) => opts.namespaceLabels?.[namespace],
      workloadSelectorsFor: () => opts.workloadSelectors ?? [],
    },
    client: undefined,
    clock: new FakeClock(),
    logger: pino({ level: 'silent' }),
    runFilterPluginsWithNominatedPods: notHere,
    runPreFilterExtensionAddPod: notHere,
    runPreFilterExtensionRemovePod: notHere,
    profileName: 'default-scheduler',
  };
}

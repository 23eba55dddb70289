/**
 * The Listers plugins read (framework/types.ts), answered from the scheduler's informer
 * caches: PodDisruptionBudgets for preemption, PVCs for VolumeRestrictions, namespace
 * labels for affinity namespaceSelectors, and the selectors of the workloads that own a
 * pod for PodTopologySpread's default constraints (kube's DefaultSelector: Services,
 * ReplicaSets, StatefulSets selecting the pod; k8ts serves no ReplicationControllers).
 */
import type { V1LabelSelector, V1Namespace, V1PersistentVolumeClaim, V1PodDisruptionBudget, V1ReplicaSet, V1Service, V1StatefulSet } from '@kubernetes/client-node';
import type { Listers } from './framework/types.js';
import { matchLabelSelector } from './plugins/helpers/label-selector.js';

/** the part of client/'s Lister used here, typed with client-node's API types */
export interface ReadLister<T> {
  list(opts?: { namespace?: string }): T[];
  get(name: string, namespace?: string): T | undefined;
}

export interface ListerSources {
  pdbs: ReadLister<V1PodDisruptionBudget>;
  pvcs: ReadLister<V1PersistentVolumeClaim>;
  namespaces: ReadLister<V1Namespace>;
  services: ReadLister<V1Service>;
  replicaSets: ReadLister<V1ReplicaSet>;
  statefulSets: ReadLister<V1StatefulSet>;
}

const mapSelects = (selector: Record<string, string> | undefined, labels: Record<string, string>): boolean =>
  Boolean(selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v));

export function informerListers(src: ListerSources): Listers {
  return {
    podDisruptionBudgets: () => src.pdbs.list(),
    persistentVolumeClaim: (namespace, name) => src.pvcs.get(name, namespace),
    namespaceLabels: (namespace) => src.namespaces.get(namespace)?.metadata?.labels ?? (src.namespaces.get(namespace) ? {} : undefined),
    workloadSelectorsFor(namespace, labels) {
      const out: V1LabelSelector[] = [];
      for (const s of src.services.list({ namespace })) if (mapSelects(s.spec?.selector, labels)) out.push({ matchLabels: s.spec!.selector! });
      for (const w of [...src.replicaSets.list({ namespace }), ...src.statefulSets.list({ namespace })]) {
        const sel = w.spec?.selector;
        if (sel && (sel.matchLabels || sel.matchExpressions) && matchLabelSelector(sel, labels)) out.push(sel);
      }
      return out;
    },
  };
}

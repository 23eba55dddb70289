/**
 * Which Deployment an informer event concerns (kube's deployment controller handlers).
 * Handlers only enqueue; the work happens in reconcile.
 *   Deployment added/changed/deleted → itself
 *   ReplicaSet added (being deleted counts as deleted), deleted → the Deployment its
 *     controllerRef names (same uid); an orphan → every Deployment whose non-empty
 *     selector matches its labels (one of them may adopt it)
 *   ReplicaSet changed → the previous controller when the controllerRef changed, the
 *     current one; for an orphan, the selecting Deployments when labels or ref changed
 *   Pod deleted → its Deployment (through its RS) when that uses Recreate and no pods of
 *     it are left: the new RS may now be created
 * Periodic resyncs of a ReplicaSet (same resourceVersion) are ignored.
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { Lister, ResourceEventHandler } from '../../client/informers/index.js';
import type { KubeObject } from '../../client/types.js';
import { getControllerOf, type OwnerReference } from '../common/controller-ref.js';
import { resolveControllerRef } from '../common/resolve-controller-ref.js';
import { selectorMatchesOrFalse } from '../label-selector.js';
import { asDeployment, asReplicaSet, selectorIsEmpty, type Deployment, type ReplicaSet } from './types.js';

export interface EventRoutingOptions {
  deployments: Lister<KubeObject>;
  replicaSets: Lister<KubeObject>;
  /** the Deployment's pods by the uid of their ReplicaSet */
  podsOfDeployment(d: Deployment, rsList: readonly ReplicaSet[]): Map<string, V1Pod[]>;
  enqueue(d: KubeObject): void;
}

const sameRef = (a: OwnerReference | undefined, b: OwnerReference | undefined): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

const sameLabels = (a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean => {
  const keys = Object.keys(a ?? {});
  return keys.length === Object.keys(b ?? {}).length && keys.every((k) => a![k] === b?.[k]);
};

export class EventRouting {
  constructor(private readonly o: EventRoutingOptions) {}

  deploymentHandler(): ResourceEventHandler<KubeObject> {
    return { onAdd: (d) => this.o.enqueue(d), onUpdate: (_old, d) => this.o.enqueue(d), onDelete: (d) => this.o.enqueue(d) };
  }

  replicaSetHandler(): ResourceEventHandler<KubeObject> {
    return { onAdd: (rs) => this.replicaSetAdded(rs), onUpdate: (old, rs) => this.replicaSetUpdated(old, rs), onDelete: (rs) => this.replicaSetDeleted(rs) };
  }

  podHandler(): ResourceEventHandler<KubeObject> {
    return { onDelete: (pod) => this.podDeleted(pod) };
  }

  /** the Deployment a controllerRef names, if it is still that one (same uid) */
  private resolve(namespace: string | undefined, ref: OwnerReference | undefined): KubeObject | undefined {
    return resolveControllerRef(this.o.deployments, { kind: 'Deployment' }, namespace, ref);
  }

  /** getDeploymentsForReplicaSet: Deployments whose (non-empty) selector matches an orphan RS */
  private selecting(rs: KubeObject): KubeObject[] {
    const labels = rs.metadata?.labels;
    if (!labels || Object.keys(labels).length === 0) return [];
    return this.o.deployments.list({ namespace: rs.metadata?.namespace ?? '' }).filter((d) => {
      const selector = (d as Deployment).spec?.selector;
      return !selectorIsEmpty(selector) && selectorMatchesOrFalse(selector, labels);
    });
  }

  private replicaSetAdded(rs: KubeObject): void {
    // a restart can show us an RS already being deleted: treat it as gone
    if (rs.metadata?.deletionTimestamp) return this.replicaSetDeleted(rs);
    const ref = getControllerOf(rs);
    if (ref) {
      const d = this.resolve(rs.metadata?.namespace, ref);
      if (d) this.o.enqueue(d);
      return;
    }
    for (const d of this.selecting(rs)) this.o.enqueue(d);
  }

  private replicaSetUpdated(old: KubeObject, rs: KubeObject): void {
    if (old.metadata?.resourceVersion === rs.metadata?.resourceVersion) return;
    const oldRef = getControllerOf(old);
    const ref = getControllerOf(rs);
    const refChanged = !sameRef(oldRef, ref);
    if (refChanged && oldRef) {
      const d = this.resolve(old.metadata?.namespace, oldRef);
      if (d) this.o.enqueue(d);
    }
    if (ref) {
      const d = this.resolve(rs.metadata?.namespace, ref);
      if (d) this.o.enqueue(d);
      return;
    }
    if (refChanged || !sameLabels(old.metadata?.labels, rs.metadata?.labels)) {
      for (const d of this.selecting(rs)) this.o.enqueue(d);
    }
  }

  private replicaSetDeleted(rs: KubeObject): void {
    const d = this.resolve(rs.metadata?.namespace, getControllerOf(rs));
    if (d) this.o.enqueue(d);
  }

  private podDeleted(pod: KubeObject): void {
    const rsRef = getControllerOf(pod);
    if (!rsRef || rsRef.kind !== 'ReplicaSet') return;
    const namespace = pod.metadata?.namespace;
    const rs = this.o.replicaSets.get(rsRef.name, namespace);
    if (!rs || rs.metadata?.uid !== rsRef.uid) return;
    const d = this.resolve(namespace, getControllerOf(rs));
    if (!d || (d as Deployment).spec?.strategy?.type !== 'Recreate') return;
    const owned = this.o.replicaSets.list({ namespace: namespace ?? '' }).filter((r) => getControllerOf(r)?.uid === d.metadata?.uid);
    let remaining = 0;
    for (const pods of this.o.podsOfDeployment(asDeployment(d), owned.map(asReplicaSet)).values()) remaining += pods.length;
    if (remaining === 0) this.o.enqueue(d);
  }
}

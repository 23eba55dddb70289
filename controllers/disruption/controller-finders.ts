/**
 * The lookups that turn a pod's controllerRef into "controller uid + desired replicas"
 * (kube's disruption finders), tried in kube's order:
 *
 *   ReplicationController  core/v1, from its lister when there is one
 *   Deployment             pod → ReplicaSet (apps|extensions) → its controlling Deployment
 *   ReplicaSet             a ReplicaSet NOT controlled by a Deployment (else the Deployment counts)
 *   StatefulSet            apps
 *   anything else          the owner's scale subresource, through the client (CRDs with scale too)
 *
 * Listers are the shared informers' caches: no API call per pod. A controller whose uid
 * differs from the ref's is a different object under the same name (deleted and
 * recreated): not this pod's controller.
 */
import type { V1OwnerReference } from '@kubernetes/client-node';
import { isNotFound } from '../../client/api-error.js';
import type { Lister } from '../../client/informers/lister.js';
import type { KubeClient, KubeObject } from '../../client/types.js';
import { controllerOf, type ControllerFinder, type ControllerScale } from './expected-pods.js';

export interface WorkloadListers {
  replicationControllers?: Lister<KubeObject>;
  replicaSets?: Lister<KubeObject>;
  deployments?: Lister<KubeObject>;
  statefulSets?: Lister<KubeObject>;
}

const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

/** kube's verifyGroupKind: the ref names this kind in one of these groups */
const refersTo = (ref: V1OwnerReference, kind: string, groups: string[]): boolean => ref.kind === kind && groups.includes(groupOf(ref.apiVersion));

/** spec.replicas; the API server defaults it to 1 */
const replicasOf = (obj: KubeObject): number => {
  const replicas = (obj['spec'] as { replicas?: unknown } | undefined)?.replicas;
  return typeof replicas === 'number' ? replicas : 1;
};

/** the cached object the ref names, if it is the same object (same uid) */
function cached(lister: Lister<KubeObject> | undefined, ref: V1OwnerReference, namespace: string): KubeObject | undefined {
  const obj = lister?.get(ref.name, namespace);
  return obj && obj.metadata?.uid === ref.uid ? obj : undefined;
}

const found = (obj: KubeObject): ControllerScale => ({ uid: obj.metadata?.uid ?? '', scale: replicasOf(obj) });

export function listerFinders(listers: WorkloadListers): ControllerFinder[] {
  const replicationController: ControllerFinder = async (ref, namespace) => {
    if (!refersTo(ref, 'ReplicationController', [''])) return undefined;
    const rc = cached(listers.replicationControllers, ref, namespace);
    return rc ? found(rc) : undefined;
  };
  const deployment: ControllerFinder = async (ref, namespace) => {
    if (!refersTo(ref, 'ReplicaSet', ['apps', 'extensions'])) return undefined;
    const rs = cached(listers.replicaSets, ref, namespace);
    const rsController = rs && controllerOf(rs as { metadata?: { ownerReferences?: V1OwnerReference[] } });
    if (!rsController || !refersTo(rsController, 'Deployment', ['apps', 'extensions'])) return undefined;
    const d = cached(listers.deployments, rsController, namespace);
    return d ? found(d) : undefined;
  };
  const replicaSet: ControllerFinder = async (ref, namespace) => {
    if (!refersTo(ref, 'ReplicaSet', ['apps', 'extensions'])) return undefined;
    const rs = cached(listers.replicaSets, ref, namespace);
    if (!rs) return undefined;
    // a Deployment's ReplicaSet is counted through its Deployment (the finder above)
    if (controllerOf(rs as { metadata?: { ownerReferences?: V1OwnerReference[] } })?.kind === 'Deployment') return undefined;
    return found(rs);
  };
  const statefulSet: ControllerFinder = async (ref, namespace) => {
    if (!refersTo(ref, 'StatefulSet', ['apps'])) return undefined;
    const ss = cached(listers.statefulSets, ref, namespace);
    return ss ? found(ss) : undefined;
  };
  return [replicationController, deployment, replicaSet, statefulSet];
}

/**
 * kube's getScaleController: GET the owner's scale subresource. A 404 means either the
 * owner is gone (→ not found, undefined) or its kind has no scale subresource (→ an
 * error, so the budget says SyncFailed with the reason); a GET of the owner tells which.
 */
export function scaleSubresourceFinder(client: KubeClient): ControllerFinder {
  return async (ref, namespace) => {
    const owners = client.resource(ref.apiVersion, ref.kind);
    let scale: KubeObject;
    try {
      scale = await owners.getSubresource(ref.name, 'scale', { namespace });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      try {
        await owners.get(ref.name, { namespace });
      } catch (getErr) {
        if (isNotFound(getErr)) return undefined;
        throw getErr;
      }
      const mapping = await client.mapping(ref.apiVersion, ref.kind);
      const groupResource = mapping.group ? `${mapping.resource}.${mapping.group}` : mapping.resource;
      throw new Error(`${groupResource} does not implement the scale subresource`);
    }
    if (scale.metadata?.uid !== ref.uid) return undefined;
    const replicas = (scale['spec'] as { replicas?: unknown } | undefined)?.replicas;
    return { uid: ref.uid, scale: typeof replicas === 'number' ? replicas : 0 };
  };
}

/**
 * The shapes the Deployment controller works on. Informer objects are plain JSON, so the
 * times in conditions are RFC 3339 strings (the @kubernetes/client-node classes say Date);
 * these aliases keep the client-node spec types and give status and conditions their wire
 * shape. Every field the controller reads may be absent in a hand-made object (tests, or a
 * server that omits zero values, as kube's omitempty does).
 */
import type { V1DeploymentSpec, V1LabelSelector, V1ReplicaSetSpec } from '@kubernetes/client-node';
import type { KubeObject, ObjectMeta } from '../../client/types.js';

/** a Deployment or ReplicaSet condition as it travels (times are strings) */
export interface WorkloadCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
}

export interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  collisionCount?: number;
  conditions?: WorkloadCondition[];
}

export interface ReplicaSetStatus {
  replicas?: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: WorkloadCondition[];
}

export interface Deployment extends KubeObject {
  metadata: ObjectMeta;
  spec: V1DeploymentSpec;
  status?: DeploymentStatus;
}

export interface ReplicaSet extends KubeObject {
  metadata: ObjectMeta;
  spec: V1ReplicaSetSpec;
  status?: ReplicaSetStatus;
}

/** spec.replicas; absent means 1, as apps/v1 defaulting makes it */
export const specReplicas = (obj: { spec?: { replicas?: number } } | undefined): number => obj?.spec?.replicas ?? 1;

/** an informer's Deployment as our own copy, with its type fields (list items may lack them) */
export const asDeployment = (obj: KubeObject): Deployment => ({ ...structuredClone(obj), apiVersion: 'apps/v1', kind: 'Deployment' }) as Deployment;

/** a ReplicaSet with its type fields (not copied: callers clone before changing it) */
export const asReplicaSet = (obj: KubeObject): ReplicaSet => ({ ...obj, apiVersion: 'apps/v1', kind: 'ReplicaSet' }) as ReplicaSet;

/** LabelSelector.Empty(): no requirements at all (a Deployment must not select every pod) */
export const selectorIsEmpty = (sel: V1LabelSelector | undefined): boolean => !!sel && Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0;

/**
 * Pods, budgets and workloads for the disruption tests: plain JSON, as informers hold
 * them, with only the fields the controller reads.
 */
import type { V1LabelSelector, V1OwnerReference, V1Pod, V1PodDisruptionBudget } from '@kubernetes/client-node';
import type { KubeObject } from '../../client/types.js';

export interface PodOptions {
  ready?: boolean;
  deleting?: boolean;
  labels?: Record<string, string>;
  owner?: V1OwnerReference;
  namespace?: string;
}

export function testPod(name: string, o: PodOptions = {}): V1Pod {
  return {
    metadata: {
      name,
      namespace: o.namespace ?? 'default',
      uid: `uid-${name}`,
      labels: o.labels ?? { app: 'web' },
      ...(o.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' as unknown as Date } : {}),
      ...(o.owner ? { ownerReferences: [o.owner] } : {}),
    },
    spec: { containers: [{ name: 'c', image: 'i' }], nodeName: 'n1' },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
  };
}

export interface BudgetOptions {
  minAvailable?: number | string;
  maxUnavailable?: number | string;
  /** default { matchLabels: { app: 'web' } }; null leaves it out */
  selector?: V1LabelSelector | null;
  generation?: number;
  status?: Record<string, unknown>;
}

export function testBudget(name: string, o: BudgetOptions = {}): V1PodDisruptionBudget {
  const selector = o.selector === undefined ? { matchLabels: { app: 'web' } } : o.selector;
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, generation: o.generation ?? 1, resourceVersion: '10' },
    spec: {
      ...(selector !== null ? { selector } : {}),
      ...(o.minAvailable !== undefined ? { minAvailable: o.minAvailable as never } : {}),
      ...(o.maxUnavailable !== undefined ? { maxUnavailable: o.maxUnavailable as never } : {}),
    },
    ...(o.status ? { status: o.status as never } : {}),
  };
}

export const controllerRef = (kind: string, name: string, apiVersion = 'apps/v1'): V1OwnerReference => ({
  apiVersion,
  kind,
  name,
  uid: `uid-${name}`,
  controller: true,
});

export function testWorkload(kind: string, name: string, replicas: number, owner?: V1OwnerReference): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name, namespace: 'default', uid: `uid-${name}`, ...(owner ? { ownerReferences: [{ ...owner, controller: true }] } : {}) },
    spec: { replicas },
  };
}

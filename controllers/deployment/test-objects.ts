/**
 * Deployments and ReplicaSets for the Deployment controller's tests: small builders with
 * kube's defaults filled in (RollingUpdate 25%/25%, history 10, deadline 600 s), so each
 * case states only what it is about.
 */
import type { V1PodTemplateSpec } from '@kubernetes/client-node';
import { DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION, REVISION_ANNOTATION } from './annotations.js';
import { POD_TEMPLATE_HASH_LABEL } from './pod-template-hash.js';
import type { Deployment, DeploymentStatus, ReplicaSet, ReplicaSetStatus } from './types.js';
import { formatTime } from '../common/time.js';

export const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

export const template = (image = 'nginx:1', extra: Partial<V1PodTemplateSpec['metadata']> = {}): V1PodTemplateSpec => ({
  metadata: { labels: { app: 'web' }, ...extra },
  spec: { containers: [{ name: 'app', image }] },
});

export interface DeploymentOpts {
  name?: string;
  replicas?: number;
  image?: string;
  strategy?: 'RollingUpdate' | 'Recreate';
  maxSurge?: number | string;
  maxUnavailable?: number | string;
  paused?: boolean;
  revisionHistoryLimit?: number;
  progressDeadlineSeconds?: number;
  generation?: number;
  annotations?: Record<string, string>;
  status?: DeploymentStatus;
}

export function deployment(o: DeploymentOpts = {}): Deployment {
  const strategy = o.strategy ?? 'RollingUpdate';
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: o.name ?? 'web', namespace: 'default', uid: 'uid-deploy', generation: o.generation ?? 1, creationTimestamp: formatTime(T0), ...(o.annotations ? { annotations: o.annotations } : {}) },
    spec: {
      replicas: o.replicas ?? 3,
      selector: { matchLabels: { app: 'web' } },
      template: template(o.image),
      strategy: strategy === 'Recreate' ? { type: 'Recreate' } : { type: 'RollingUpdate', rollingUpdate: { maxSurge: o.maxSurge ?? '25%', maxUnavailable: o.maxUnavailable ?? '25%' } },
      revisionHistoryLimit: o.revisionHistoryLimit ?? 10,
      progressDeadlineSeconds: o.progressDeadlineSeconds ?? 600,
      ...(o.paused ? { paused: true } : {}),
    },
    ...(o.status ? { status: o.status } : {}),
  };
}

export interface RsOpts {
  replicas?: number;
  available?: number;
  /** status.replicas (default: replicas) */
  actual?: number;
  revision?: number;
  image?: string;
  createdAt?: number;
  desired?: number;
  max?: number;
  owner?: string | null;
  generation?: number;
  conditions?: ReplicaSetStatus['conditions'];
}

export function replicaSet(name: string, o: RsOpts = {}): ReplicaSet {
  const hash = name.split('-').pop()!;
  const annotations: Record<string, string> = {};
  if (o.revision !== undefined) annotations[REVISION_ANNOTATION] = String(o.revision);
  if (o.desired !== undefined) annotations[DESIRED_REPLICAS_ANNOTATION] = String(o.desired);
  if (o.max !== undefined) annotations[MAX_REPLICAS_ANNOTATION] = String(o.max);
  const replicas = o.replicas ?? 0;
  const tpl = template(o.image);
  tpl.metadata!.labels = { ...tpl.metadata!.labels, [POD_TEMPLATE_HASH_LABEL]: hash };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      generation: o.generation ?? 1,
      creationTimestamp: formatTime(o.createdAt ?? T0),
      labels: { app: 'web', [POD_TEMPLATE_HASH_LABEL]: hash },
      annotations,
      ...(o.owner !== null ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: o.owner ?? 'web', uid: 'uid-deploy', controller: true, blockOwnerDeletion: true }] } : {}),
    },
    spec: { replicas, selector: { matchLabels: { app: 'web', [POD_TEMPLATE_HASH_LABEL]: hash } }, template: tpl },
    status: {
      replicas: o.actual ?? replicas,
      readyReplicas: o.available ?? replicas,
      availableReplicas: o.available ?? replicas,
      observedGeneration: o.generation ?? 1,
      ...(o.conditions ? { conditions: o.conditions } : {}),
    },
  };
}

/**
 * Object builders the controllers' tests share: a pod in "default" with uid "uid-<name>"
 * (the fields each test cares about passed in), and a controller ownerReference to an
 * owner named so. Tests keep their own option-driven builders on top of these.
 */
import type { V1ObjectMeta } from '@kubernetes/client-node';
import type { KubeObject } from '../../../client/types.js';

export interface TestPodParts {
  namespace?: string;
  labels?: Record<string, string>;
  /** more metadata (creationTimestamp, ownerReferences, deletionTimestamp, …) */
  metadata?: Record<string, unknown>;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

/** a v1 Pod named `name`; without a spec, one container "app" running nginx */
export function testPod<P = KubeObject>(name: string, parts: TestPodParts = {}): P {
  const metadata: V1ObjectMeta = { name, namespace: parts.namespace ?? 'default', uid: `uid-${name}`, ...(parts.labels ? { labels: parts.labels } : {}), ...parts.metadata };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata,
    spec: parts.spec ?? { containers: [{ name: 'app', image: 'nginx' }] },
    ...(parts.status ? { status: parts.status } : {}),
  } as unknown as P;
}

/** the ownerReference a controller sets on what it owns (uid "uid-<name>") */
export const controllerRefTo = (kind: string, name: string, apiVersion = 'apps/v1') => ({ apiVersion, kind, name, uid: `uid-${name}`, controller: true, blockOwnerDeletion: true });

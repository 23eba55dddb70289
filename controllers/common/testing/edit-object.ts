/**
 * Change a stored object as a user's `kubectl edit` would: a copy of what the fake
 * cluster holds, changed, then stored — with metadata.generation bumped when the spec
 * changed, as the API server does. set() is not a recorded write, so the controller's
 * own writes stay the only ones the test sees.
 */
import type { KubeObject } from '../../../client/types.js';
import type { FakeCluster } from './fake-cluster.js';

export function editObject<T extends KubeObject>(fake: FakeCluster, apiVersion: string, kind: string, name: string, change: (obj: T) => void, namespace = 'default'): T {
  const stored = fake.get(apiVersion, kind, name, namespace);
  if (!stored) throw new Error(`${kind} ${namespace}/${name} is not in the fake cluster`);
  const obj = structuredClone(stored) as T;
  const specBefore = JSON.stringify((obj as { spec?: unknown }).spec);
  change(obj);
  if (JSON.stringify((obj as { spec?: unknown }).spec) !== specBefore) obj.metadata = { ...obj.metadata, generation: (obj.metadata?.generation ?? 1) + 1 };
  fake.set(obj);
  return obj;
}

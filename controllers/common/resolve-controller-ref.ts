/**
 * kube's resolveControllerRef: the cached owner a controllerRef names — only when it is
 * of the controller's kind and still the same object (same uid). A ref to a deleted and
 * re-created owner of the same name must not be taken for the new one.
 */
import type { Lister } from '../../client/informers/index.js';
import type { KubeObject } from '../../client/types.js';
import type { OwnerReference } from './controller-ref.js';

// what comes before the '/' ("apps" of apps/v1; a core "v1" stands for itself)
const groupOf = (apiVersion: string): string | undefined => apiVersion.split('/')[0];

/**
 * `owner.kind` must match the ref's kind; with `owner.apiVersion`, the API group too
 * (the version may differ: a ref written as apps/v1beta2 still names the same object).
 */
export function resolveControllerRef(
  lister: Pick<Lister<KubeObject>, 'get'>,
  owner: { kind: string; apiVersion?: string },
  namespace: string | undefined,
  ref: OwnerReference | undefined,
): KubeObject | undefined {
  if (!ref || ref.kind !== owner.kind) return undefined;
  if (owner.apiVersion !== undefined && groupOf(ref.apiVersion) !== groupOf(owner.apiVersion)) return undefined;
  const obj = lister.get(ref.name, namespace);
  return obj && obj.metadata?.uid === ref.uid ? obj : undefined;
}

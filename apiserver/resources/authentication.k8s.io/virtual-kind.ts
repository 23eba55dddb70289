/**
 * The shape every review kind shares (TokenReview, SelfSubjectReview, the access
 * reviews): never stored, POST on the collection only, answered by a handler. Also the
 * reply: the request echoed back with a status, 201 Created, as kube answers them.
 */
import { apiVersionOf, type KubeObject, type ResourceDef, type VirtualCreateCall } from '../../catalogue/resource-def.js';
import { rfc3339 } from '../../registry/generic-registry.js';

export interface VirtualKind {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  modelName: string;
  handler: (call: VirtualCreateCall) => Promise<{ code: number; body: unknown }>;
}

export function virtualKind(k: VirtualKind): ResourceDef {
  return {
    group: k.group,
    version: k.version,
    kind: k.kind,
    plural: k.plural,
    singular: k.kind.toLowerCase(),
    shortNames: [],
    namespaced: k.namespaced,
    categories: [],
    verbs: ['create'],
    modelName: k.modelName,
    subresources: [],
    strategy: {},
    virtualCreate: k.handler,
  };
}

/**
 * The answer to a review: kind and apiVersion of the def, the request's metadata (kube
 * sets creationTimestamp on the reviews it builds itself; echoed ones carry null) and
 * spec, and `status`.
 */
export function reviewReply(def: ResourceDef, body: KubeObject, status: unknown, created?: Date): { code: number; body: Record<string, unknown> } {
  const metadata = { ...(body.metadata ?? {}), creationTimestamp: created ? rfc3339(created) : null };
  const spec = body['spec'];
  return {
    code: 201,
    body: { kind: def.kind, apiVersion: apiVersionOf(def), metadata, ...(spec !== undefined ? { spec } : {}), status },
  };
}

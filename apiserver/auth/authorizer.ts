/**
 * Authorization: may this user do this? The ONE place the API server decides; every
 * request passes through `authorize` (auth-hooks.ts) before any handler runs. RBAC plugs
 * in here later, behind the same signature.
 *
 * Policy for now:
 *   - every authenticated user may do everything;
 *   - system:anonymous may only `get` the public info paths (kube's default
 *     system:public-info-viewer role: /healthz, /livez, /readyz, /version).
 *
 * A denial becomes kube's 403 Status, with kube's message shape, e.g.
 *   pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "default"
 */
import { ApiError, qualifiedResource } from '../errors/api-error.js';
import type { RequestAttributes } from './request-attributes.js';
import { isAnonymous } from './user.js';

export interface Decision {
  allowed: boolean;
  /** why; for a denial it is appended to the message (kube: "…: <reason>"), '' for none */
  reason: string;
}

/** Paths anyone may read, even without credentials (kube's system:public-info-viewer). */
export const PUBLIC_INFO_PATHS: ReadonlySet<string> = new Set(['/healthz', '/livez', '/readyz', '/version', '/version/']);

export const isPublicInfoPath = (path: string): boolean => PUBLIC_INFO_PATHS.has(path);

// HEAD too: kube only grants get, but Fastify answers HEAD for every GET route
const READ_VERBS = new Set(['get', 'head']);

export function authorize(attributes: RequestAttributes): Decision {
  if (!isAnonymous(attributes.user)) return { allowed: true, reason: '' };
  if (!attributes.isResourceRequest && READ_VERBS.has(attributes.verb) && isPublicInfoPath(attributes.path)) {
    return { allowed: true, reason: 'public info is readable by everyone' };
  }
  return { allowed: false, reason: '' };
}

/** kube's forbiddenMessage(): what the user could not do, without the resource prefix. */
export function forbiddenMessage(a: RequestAttributes): string {
  const user = a.user.name;
  if (!a.isResourceRequest) return `User ${JSON.stringify(user)} cannot ${a.verb} path ${JSON.stringify(a.path)}`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const where = a.namespace ? `in the namespace ${JSON.stringify(a.namespace)}` : 'at the cluster scope';
  return `User ${JSON.stringify(user)} cannot ${a.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(a.apiGroup)} ${where}`;
}

/** The 403 kube sends for a denial (apierrors.NewForbidden over the group/resource/name). */
export function forbiddenError(a: RequestAttributes, reason: string): ApiError {
  const why = reason ? `${forbiddenMessage(a)}: ${reason}` : forbiddenMessage(a);
  if (!a.isResourceRequest || a.resource === '') return new ApiError('Forbidden', `forbidden: ${why}`, {});
  const target = { group: a.apiGroup, resource: a.resource };
  const subject = a.name ? `${qualifiedResource(target)} ${JSON.stringify(a.name)}` : qualifiedResource(target);
  // kube omits empty detail fields
  return new ApiError('Forbidden', `${subject} is forbidden: ${why}`, {
    ...(a.name ? { name: a.name } : {}),
    ...(a.apiGroup ? { group: a.apiGroup } : {}),
    kind: a.resource,
  });
}

/**
 * kube's apierrors.NewForbidden for one named object: `<resource> "<name>" is forbidden:
 * <why>`, with the resource plural in details.kind. Admission plugins and registries that
 * refuse a write (Priority admission, EvictionREST, PriorityClass deletion) answer this way.
 */
import { ApiError, qualifiedResource, type ErrorTarget } from '../../errors/api-error.js';

export function forbiddenError(target: ErrorTarget, why: string): ApiError {
  const resource = qualifiedResource(target);
  const message = target.name ? `${resource} ${JSON.stringify(target.name)} is forbidden: ${why}` : `${resource} is forbidden: ${why}`;
  return new ApiError('Forbidden', message, { name: target.name ?? '', group: target.group, kind: target.resource });
}

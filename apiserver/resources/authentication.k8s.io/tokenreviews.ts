/**
 * authentication.k8s.io/v1 TokenReview: "who is this bearer token?", answered by the
 * same token authenticators requests go through (static tokens, service account JWTs).
 * Never stored. As kube: a namespace or an empty spec.token is 400; audiences default to
 * the API server's own; an unknown token is authenticated=false with no error, a token
 * of ours that fails a check carries the reason in status.error.
 */
import type { V1TokenReview } from '@kubernetes/client-node';
import type { VirtualCreateCall } from '../../catalogue/resource-def.js';
import { withAuthenticatedGroup } from '../../auth/user.js';
import { apiErrors } from '../../errors/api-error.js';
import { reviewReply, virtualKind } from './virtual-kind.js';

const stringList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);

async function reviewToken({ def, namespace, body, ctx, services }: VirtualCreateCall) {
  if (namespace) throw apiErrors.badRequest(`namespace is not allowed on this type: ${namespace}`);
  const spec: V1TokenReview['spec'] = (body['spec'] as V1TokenReview['spec'] | undefined) ?? { token: '' };
  const token = typeof spec.token === 'string' ? spec.token : '';
  if (token === '') throw apiErrors.badRequest('token is required for TokenReview in authentication.k8s.io');
  const outcome = services.authenticateToken?.(token, stringList(spec.audiences), ctx.now);
  if (outcome === undefined) return reviewReply(def, body, { user: {} });
  if ('error' in outcome) return reviewReply(def, body, { user: {}, error: `[invalid bearer token, ${outcome.error}]` });
  const user = withAuthenticatedGroup(outcome.user);
  return reviewReply(def, body, {
    authenticated: true,
    user: { username: user.name, ...(user.uid ? { uid: user.uid } : {}), groups: user.groups, ...(user.extra ? { extra: user.extra } : {}) },
    ...(outcome.audiences.length > 0 ? { audiences: outcome.audiences } : {}),
  });
}

export const tokenreviews = virtualKind({
  group: 'authentication.k8s.io',
  version: 'v1',
  kind: 'TokenReview',
  plural: 'tokenreviews',
  namespaced: false,
  modelName: 'V1TokenReview',
  handler: reviewToken,
});

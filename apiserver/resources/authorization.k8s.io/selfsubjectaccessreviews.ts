/**
 * authorization.k8s.io/v1 SelfSubjectAccessReview (`kubectl auth can-i`): may the caller
 * do this? Answered by the API server's own authorizer. Never stored.
 */
import type { VirtualCreateCall } from '../../catalogue/resource-def.js';
import { apiErrors } from '../../errors/api-error.js';
import { reviewReply, virtualKind } from '../authentication.k8s.io/virtual-kind.js';
import { attributesFor, GROUP, reviewStatus, specOf, validateAttributes, validateEmptyMetadata, type AttributesSpec } from './access-review.js';

async function reviewSelfAccess({ def, body, ctx, services }: VirtualCreateCall) {
  const spec = specOf<AttributesSpec>(body);
  const errors = [...validateAttributes(spec), ...validateEmptyMetadata(body, ['managedFields'])];
  if (errors.length > 0) throw apiErrors.invalid(def.kind, GROUP, '', errors);
  return reviewReply(def, body, reviewStatus(services.authorize(attributesFor(spec, ctx.user))));
}

export const selfsubjectaccessreviews = virtualKind({
  group: GROUP,
  version: 'v1',
  kind: 'SelfSubjectAccessReview',
  plural: 'selfsubjectaccessreviews',
  namespaced: false,
  modelName: 'V1SelfSubjectAccessReview',
  handler: reviewSelfAccess,
});

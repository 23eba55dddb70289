/**
 * authorization.k8s.io/v1 LocalSubjectAccessReview: a SubjectAccessReview confined to
 * the namespace in the URL. As kube: resource attributes only (non-resource ones are
 * 422), metadata may hold only the namespace, and spec.resourceAttributes.namespace must
 * be the URL's (400). Never stored.
 */
import type { VirtualCreateCall } from '../../catalogue/resource-def.js';
import { apiErrors } from '../../errors/api-error.js';
import { fieldErrors } from '../../errors/field-error.js';
import { virtualKind } from '../authentication.k8s.io/virtual-kind.js';
import { answerSubjectReview, GROUP } from './access-review.js';

async function reviewLocalAccess(call: VirtualCreateCall) {
  const { namespace } = call;
  if (!namespace) throw apiErrors.badRequest(`namespace is required on this type: ${namespace}`);
  return answerSubjectReview(call, {
    metadata: ['namespace'],
    validate: (spec) => (spec.nonResourceAttributes ? [fieldErrors.invalid('spec.nonResourceAttributes', spec.nonResourceAttributes, 'disallowed on this kind of request')] : []),
    check: (spec) => {
      if (spec.resourceAttributes?.namespace !== namespace) throw apiErrors.badRequest(`spec.resourceAttributes.namespace must match namespace: ${namespace}`);
    },
  });
}

export const localsubjectaccessreviews = virtualKind({
  group: GROUP,
  version: 'v1',
  kind: 'LocalSubjectAccessReview',
  plural: 'localsubjectaccessreviews',
  namespaced: true,
  modelName: 'V1LocalSubjectAccessReview',
  handler: reviewLocalAccess,
});

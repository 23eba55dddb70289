/**
 * authorization.k8s.io/v1 SubjectAccessReview: may the user (and groups) in the spec do
 * this? Needs a user or a group and exactly one kind of attributes (422 otherwise, as
 * kube). Never stored.
 */
import { virtualKind } from '../authentication.k8s.io/virtual-kind.js';
import { answerSubjectReview, GROUP } from './access-review.js';

export const subjectaccessreviews = virtualKind({
  group: GROUP,
  version: 'v1',
  kind: 'SubjectAccessReview',
  plural: 'subjectaccessreviews',
  namespaced: false,
  modelName: 'V1SubjectAccessReview',
  handler: async (call) => answerSubjectReview(call),
});

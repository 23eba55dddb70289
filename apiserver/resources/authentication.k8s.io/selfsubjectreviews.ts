/**
 * authentication.k8s.io SelfSubjectReview (`kubectl auth whoami`): the caller as the API
 * server authenticated it. Served as v1 and v1beta1 (kubectl 1.27 asks v1beta1 only),
 * one handler. Never stored.
 */
import type { VirtualCreateCall } from '../../catalogue/resource-def.js';
import { reviewReply, virtualKind } from './virtual-kind.js';

async function reviewSelf({ def, body, ctx }: VirtualCreateCall) {
  const { name, uid, groups, extra } = ctx.user;
  const userInfo = { username: name, ...(uid ? { uid } : {}), groups, ...(extra && Object.keys(extra).length ? { extra } : {}) };
  // kube builds a fresh object: nothing of the request is echoed
  return reviewReply(def, { metadata: {} }, { userInfo }, ctx.now);
}

const selfSubjectReview = (version: 'v1' | 'v1beta1', modelName: string) =>
  virtualKind({
    group: 'authentication.k8s.io',
    version,
    kind: 'SelfSubjectReview',
    plural: 'selfsubjectreviews',
    namespaced: false,
    modelName,
    handler: reviewSelf,
  });

export const selfsubjectreviews = selfSubjectReview('v1', 'V1SelfSubjectReview');
export const selfsubjectreviewsV1beta1 = selfSubjectReview('v1beta1', 'V1beta1SelfSubjectReview');

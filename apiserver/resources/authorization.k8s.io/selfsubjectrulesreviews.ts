/**
 * authorization.k8s.io/v1 SelfSubjectRulesReview (`kubectl auth can-i --list`): what the
 * caller may do in spec.namespace (400 without one, as kube). The rules are read off the
 * authorizer itself rather than restated: a caller it lets do anything to anything gets
 * the wildcard rules; otherwise the public info paths it lets them get. When RBAC
 * arrives, its rule resolver answers here instead. Never stored.
 */
import type { V1SelfSubjectRulesReviewSpec } from '@kubernetes/client-node';
import { PUBLIC_INFO_PATHS } from '../../auth/authorizer.js';
import type { UserInfo } from '../../auth/user.js';
import type { ServerServices } from '../../catalogue/server-services.js';
import type { VirtualCreateCall } from '../../catalogue/resource-def.js';
import { apiErrors } from '../../errors/api-error.js';
import { reviewReply, virtualKind } from '../authentication.k8s.io/virtual-kind.js';
import { attributesFor, GROUP, specOf, type AttributesSpec } from './access-review.js';

interface Rules {
  resourceRules: Array<{ verbs: string[]; apiGroups: string[]; resources: string[] }>;
  nonResourceRules: Array<{ verbs: string[]; nonResourceURLs: string[] }>;
}

/** What `authorize` lets `user` do in `namespace`, as rules. */
export function rulesFor(authorize: ServerServices['authorize'], user: UserInfo, namespace: string): Rules {
  const may = (spec: AttributesSpec) => authorize(attributesFor(spec, user)).allowed;
  const anything = { verb: '*', group: '*', version: '*', resource: '*', namespace };
  const resourceRules = may({ resourceAttributes: anything }) ? [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }] : [];
  if (may({ nonResourceAttributes: { verb: '*', path: '*' } })) return { resourceRules, nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }] };
  const readable = [...PUBLIC_INFO_PATHS].filter((path) => may({ nonResourceAttributes: { verb: 'get', path } }));
  return { resourceRules, nonResourceRules: readable.length > 0 ? [{ verbs: ['get'], nonResourceURLs: readable }] : [] };
}

async function reviewRules({ def, body, ctx, services }: VirtualCreateCall) {
  const namespace = specOf<V1SelfSubjectRulesReviewSpec>(body).namespace;
  if (!namespace) throw apiErrors.badRequest('no namespace on request');
  // kube answers with a new object: the request is not echoed
  return reviewReply(def, { metadata: {} }, { ...rulesFor(services.authorize, ctx.user, namespace), incomplete: false });
}

export const selfsubjectrulesreviews = virtualKind({
  group: GROUP,
  version: 'v1',
  kind: 'SelfSubjectRulesReview',
  plural: 'selfsubjectrulesreviews',
  namespaced: false,
  modelName: 'V1SelfSubjectRulesReview',
  handler: reviewRules,
});

import t from 'tap';
import { authorize } from '../../auth/authorizer.js';
import { postReview } from '../authentication.k8s.io/post-review.js';
import { testContext } from '../core/strategy-harness.js';
import { rulesFor, selfsubjectrulesreviews } from './selfsubjectrulesreviews.js';

const ALL = {
  resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
  nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
};
const anonymous = { name: 'system:anonymous', groups: ['system:unauthenticated'] };

t.test('an authenticated caller may do anything (the current authorizer)', async (t) => {
  const body = { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace: 'default' } };
  t.same(await postReview(selfsubjectrulesreviews, body, { services: { authorize } }), {
    code: 201,
    body: { kind: 'SelfSubjectRulesReview', apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null }, status: { ...ALL, incomplete: false } },
  });
});

t.test('anonymous callers may get the public info paths only', async (t) => {
  t.same(rulesFor(authorize, anonymous, 'default'), {
    resourceRules: [],
    nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'] }],
  });
  t.same(rulesFor(() => ({ allowed: false, reason: '' }), anonymous, 'default'), { resourceRules: [], nonResourceRules: [] }, 'nothing at all');
});

t.test('the rules are asked about the review\'s namespace', async (t) => {
  const namespaces: string[] = [];
  rulesFor((a) => (namespaces.push(a.namespace), { allowed: true, reason: '' }), testContext().user, 'team-a');
  t.equal(namespaces[0], 'team-a');
});

t.test('a review needs a namespace', async (t) => {
  t.equal(await postReview(selfsubjectrulesreviews, { spec: {} }, { services: { authorize } }), '400 no namespace on request');
  t.equal(await postReview(selfsubjectrulesreviews, {}, { services: { authorize } }), '400 no namespace on request');
});

import t from 'tap';
import { authorize } from '../../auth/authorizer.js';
import type { RequestAttributes } from '../../auth/request-attributes.js';
import type { ServerServices } from '../../catalogue/server-services.js';
import { postReview, statusOf } from '../authentication.k8s.io/post-review.js';
import { testContext } from '../core/strategy-harness.js';
import { authorizationResources } from './index.js';
import { localsubjectaccessreviews } from './localsubjectaccessreviews.js';
import { selfsubjectaccessreviews } from './selfsubjectaccessreviews.js';
import { subjectaccessreviews } from './subjectaccessreviews.js';

/** an authorizer that records what it is asked, allowing all but user "bob" */
function recording(): { services: ServerServices; asked: RequestAttributes[] } {
  const asked: RequestAttributes[] = [];
  const services: ServerServices = {
    authorize: (a) => {
      asked.push(a);
      return a.user.name === 'bob' ? { allowed: false, reason: 'bob may not' } : { allowed: true, reason: '' };
    },
  };
  return { services, asked };
}

const GET_DEPLOYMENTS = { namespace: 'default', verb: 'get', group: 'apps', resource: 'deployments' };
const sar = (kind: string, spec: Record<string, unknown>, metadata: Record<string, unknown> = { creationTimestamp: null }) => ({
  apiVersion: 'authorization.k8s.io/v1',
  kind,
  metadata,
  spec,
});

t.test('the authorization.k8s.io kinds', async (t) => {
  t.same(
    authorizationResources.map((d) => [d.kind, d.namespaced]),
    [['LocalSubjectAccessReview', true], ['SelfSubjectAccessReview', false], ['SelfSubjectRulesReview', false], ['SubjectAccessReview', false]],
  );
  for (const def of authorizationResources) t.match(def, { group: 'authorization.k8s.io', version: 'v1', verbs: ['create'], virtualCreate: Function });
});

t.test('SelfSubjectAccessReview asks the authorizer about the caller', async (t) => {
  const { services, asked } = recording();
  const body = sar('SelfSubjectAccessReview', { resourceAttributes: GET_DEPLOYMENTS });
  t.same(await postReview(selfsubjectaccessreviews, body, { services }), { code: 201, body: { ...body, status: { allowed: true } } });
  t.same(asked[0], {
    user: testContext().user,
    isResourceRequest: true,
    path: '',
    verb: 'get',
    apiGroup: 'apps',
    apiVersion: '*',
    namespace: 'default',
    resource: 'deployments',
    subresource: '',
    name: '',
  });
  await postReview(selfsubjectaccessreviews, sar('SelfSubjectAccessReview', { nonResourceAttributes: { path: '/healthz', verb: 'get' } }), { services });
  t.match(asked[1], { isResourceRequest: false, path: '/healthz', verb: 'get', resource: '' });
});

t.test('SelfSubjectAccessReview with the real authorizer: anonymous may only read public info', async (t) => {
  const anonymous = { ...testContext(''), user: { name: 'system:anonymous', groups: ['system:unauthenticated'] } };
  const services = { authorize };
  t.same(statusOf(await postReview(selfsubjectaccessreviews, sar('SelfSubjectAccessReview', { resourceAttributes: GET_DEPLOYMENTS }), { services, ctx: anonymous })), { allowed: false });
  const healthz = sar('SelfSubjectAccessReview', { nonResourceAttributes: { path: '/healthz', verb: 'get' } });
  t.same(statusOf(await postReview(selfsubjectaccessreviews, healthz, { services, ctx: anonymous })), { allowed: true, reason: 'public info is readable by everyone' });
});

// [title, kind, body, URL namespace, expected error]
const invalid: Array<[string, typeof selfsubjectaccessreviews, Record<string, unknown>, string, string]> = [
  ['SSAR without attributes', selfsubjectaccessreviews, sar('SelfSubjectAccessReview', {}), '', '422 SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: null: exactly one of nonResourceAttributes or resourceAttributes must be specified'],
  ['SSAR with both kinds of attributes', selfsubjectaccessreviews, sar('SelfSubjectAccessReview', { resourceAttributes: GET_DEPLOYMENTS, nonResourceAttributes: { path: '/x', verb: 'get' } }), '', '422 SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.nonResourceAttributes: Invalid value: {"path":"/x","verb":"get"}: cannot be specified in combination with resourceAttributes'],
  ['SSAR with a name', selfsubjectaccessreviews, sar('SelfSubjectAccessReview', { resourceAttributes: GET_DEPLOYMENTS }, { name: 'x' }), '', '422 SelfSubjectAccessReview.authorization.k8s.io "" is invalid: metadata: Invalid value: {"name":"x"}: must be empty'],
  ['SAR without user or groups', subjectaccessreviews, sar('SubjectAccessReview', { resourceAttributes: GET_DEPLOYMENTS }), '', '422 SubjectAccessReview.authorization.k8s.io "" is invalid: spec.user: Invalid value: "": at least one of user or group must be specified'],
  ['SAR with nothing', subjectaccessreviews, sar('SubjectAccessReview', {}), '', '422 SubjectAccessReview.authorization.k8s.io "" is invalid: [spec.resourceAttributes: Invalid value: null: exactly one of nonResourceAttributes or resourceAttributes must be specified, spec.user: Invalid value: "": at least one of user or group must be specified]'],
  ['LSAR outside a namespace', localsubjectaccessreviews, sar('LocalSubjectAccessReview', { user: 'bob', resourceAttributes: GET_DEPLOYMENTS }), '', '400 namespace is required on this type: '],
  ['LSAR for another namespace', localsubjectaccessreviews, sar('LocalSubjectAccessReview', { user: 'bob', resourceAttributes: GET_DEPLOYMENTS }), 'team-a', '400 spec.resourceAttributes.namespace must match namespace: team-a'],
  ['LSAR about a path', localsubjectaccessreviews, sar('LocalSubjectAccessReview', { user: 'bob', nonResourceAttributes: { path: '/x', verb: 'get' } }), 'default', '422 LocalSubjectAccessReview.authorization.k8s.io "" is invalid: spec.nonResourceAttributes: Invalid value: {"path":"/x","verb":"get"}: disallowed on this kind of request'],
  ['LSAR with a name', localsubjectaccessreviews, sar('LocalSubjectAccessReview', { user: 'bob', resourceAttributes: GET_DEPLOYMENTS }, { name: 'n', namespace: 'default' }), 'default', '422 LocalSubjectAccessReview.authorization.k8s.io "" is invalid: metadata: Invalid value: {"name":"n"}: must be empty'],
];
for (const [title, def, body, namespace, expected] of invalid) {
  t.test(title, async (t) => {
    t.equal(await postReview(def, body, { namespace, services: recording().services }), expected);
  });
}

t.test('SubjectAccessReview asks about the spec\'s subject', async (t) => {
  const { services, asked } = recording();
  const spec = { user: 'bob', uid: 'b-1', groups: ['devs'], extra: { scopes: ['x'] }, resourceAttributes: { ...GET_DEPLOYMENTS, version: 'v1', subresource: 'scale', name: 'web' } };
  t.match(await postReview(subjectaccessreviews, sar('SubjectAccessReview', spec), { services }), { code: 201, body: { kind: 'SubjectAccessReview', spec, status: { allowed: false, reason: 'bob may not' } } });
  t.same(asked[0]?.user, { name: 'bob', uid: 'b-1', groups: ['devs'], extra: { scopes: ['x'] } });
  t.match(asked[0], { apiVersion: 'v1', subresource: 'scale', name: 'web' });
  t.same(statusOf(await postReview(subjectaccessreviews, sar('SubjectAccessReview', { groups: ['devs'], resourceAttributes: GET_DEPLOYMENTS }), { services })), { allowed: true }, 'groups alone are a subject');
});

t.test('LocalSubjectAccessReview in its namespace', async (t) => {
  const { services, asked } = recording();
  const body = sar('LocalSubjectAccessReview', { user: 'alice', resourceAttributes: GET_DEPLOYMENTS }, { namespace: 'default' });
  t.match(await postReview(localsubjectaccessreviews, body, { namespace: 'default', services }), { code: 201, body: { kind: 'LocalSubjectAccessReview', status: { allowed: true } } });
  t.match(asked[0], { user: { name: 'alice', groups: [] }, namespace: 'default' });
});

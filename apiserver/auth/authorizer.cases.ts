import t from 'tap';
import { authorize, forbiddenError } from './authorizer.js';
import { parseRequestInfo } from './request-attributes.js';
import { anonymousUser, type UserInfo } from './user.js';

const bob: UserInfo = { name: 'bob', groups: ['system:authenticated'] };
const attributes = (user: UserInfo, method: string, url: string) => ({ ...parseRequestInfo(method, url), user });

// [user, method, url, allowed]
const decisions: Array<[UserInfo, string, string, boolean]> = [
  [bob, 'GET', '/api/v1/namespaces/default/pods', true],
  [bob, 'DELETE', '/api/v1/nodes/n1', true],
  [bob, 'GET', '/apis', true],
  [bob, 'GET', '/healthz', true],
  [anonymousUser(), 'GET', '/healthz', true],
  [anonymousUser(), 'GET', '/livez', true],
  [anonymousUser(), 'GET', '/readyz?verbose', true],
  [anonymousUser(), 'HEAD', '/readyz', true],
  [anonymousUser(), 'GET', '/version', true],
  [anonymousUser(), 'GET', '/version/', true],
  [anonymousUser(), 'POST', '/healthz', false],
  [anonymousUser(), 'GET', '/healthz/etcd', false],
  [anonymousUser(), 'GET', '/api', false],
  [anonymousUser(), 'GET', '/apis/apps/v1', false],
  [anonymousUser(), 'GET', '/api/v1/namespaces/default/pods', false],
  [anonymousUser(), 'POST', '/api/v1/namespaces', false],
];

for (const [user, method, url, allowed] of decisions) {
  t.test(`${user.name} ${method} ${url}: ${allowed ? 'allowed' : 'denied'}`, async (t) => {
    t.equal(authorize(attributes(user, method, url)).allowed, allowed);
  });
}

// [user, method, url, reason, message, details] — kube's exact wording
const denials: Array<[UserInfo, string, string, string, string, object]> = [
  [bob, 'GET', '/api/v1/namespaces/default/pods', '', 'pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "default"', { kind: 'pods' }],
  [
    bob,
    'GET',
    '/api/v1/namespaces/default/pods/web',
    '',
    'pods "web" is forbidden: User "bob" cannot get resource "pods" in API group "" in the namespace "default"',
    { name: 'web', kind: 'pods' },
  ],
  [
    bob,
    'PUT',
    '/apis/apps/v1/namespaces/x/deployments/web/scale',
    'no RBAC policy matched',
    'deployments.apps "web" is forbidden: User "bob" cannot update resource "deployments/scale" in API group "apps" in the namespace "x": no RBAC policy matched',
    { name: 'web', group: 'apps', kind: 'deployments' },
  ],
  [bob, 'GET', '/api/v1/nodes', '', 'nodes is forbidden: User "bob" cannot list resource "nodes" in API group "" at the cluster scope', { kind: 'nodes' }],
  [
    anonymousUser(),
    'GET',
    '/api/v1/watch/namespaces/default/pods',
    '',
    'pods is forbidden: User "system:anonymous" cannot watch resource "pods" in API group "" in the namespace "default"',
    { kind: 'pods' },
  ],
  [anonymousUser(), 'GET', '/apis', '', 'forbidden: User "system:anonymous" cannot get path "/apis"', {}],
  [anonymousUser(), 'POST', '/healthz', '', 'forbidden: User "system:anonymous" cannot post path "/healthz"', {}],
];

for (const [user, method, url, reason, message, details] of denials) {
  t.test(`403 message for ${user.name} ${method} ${url}`, async (t) => {
    t.same(forbiddenError(attributes(user, method, url), reason).toStatus(), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason: 'Forbidden',
      details,
      code: 403,
    });
  });
}

import t from 'tap';
import { parseRequestInfo, type RequestInfo } from './request-attributes.js';

type Expect = Partial<RequestInfo>;
const resource = (over: Expect): Expect => ({ isResourceRequest: true, apiGroup: '', apiVersion: 'v1', namespace: '', subresource: '', name: '', ...over });
const nonResource = (verb: string, path: string): Expect => ({ isResourceRequest: false, verb, path, resource: '', namespace: '', apiGroup: '' });

// [method, url, expected] — the same cases kube's RequestInfoFactory tests cover
const cases: Array<[string, string, Expect]> = [
  // non-resource paths: the verb is the lowercased method
  ['GET', '/healthz', nonResource('get', '/healthz')],
  ['GET', '/readyz?verbose', nonResource('get', '/readyz')],
  ['HEAD', '/livez', nonResource('head', '/livez')],
  ['GET', '/version', nonResource('get', '/version')],
  ['POST', '/version', nonResource('post', '/version')],
  ['GET', '/', nonResource('get', '/')],
  ['GET', '/api', nonResource('get', '/api')],
  ['GET', '/api/v1', nonResource('get', '/api/v1')],
  ['GET', '/apis', nonResource('get', '/apis')],
  ['GET', '/apis/apps', nonResource('get', '/apis/apps')],
  ['GET', '/apis/apps/v1', nonResource('get', '/apis/apps/v1')],
  ['GET', '/openapi/v3/api/v1', nonResource('get', '/openapi/v3/api/v1')],
  ['GET', '/api/v1/watch', nonResource('get', '/api/v1/watch')],

  // core group, namespaced
  ['GET', '/api/v1/namespaces/default/pods', resource({ verb: 'list', namespace: 'default', resource: 'pods' })],
  ['GET', '/api/v1/namespaces/default/pods?watch=true', resource({ verb: 'watch', namespace: 'default', resource: 'pods' })],
  ['GET', '/api/v1/namespaces/default/pods?watch=1&resourceVersion=5', resource({ verb: 'watch', namespace: 'default', resource: 'pods' })],
  ['GET', '/api/v1/namespaces/default/pods?watch=false', resource({ verb: 'list', namespace: 'default', resource: 'pods' })],
  ['GET', '/api/v1/namespaces/default/pods?watch=0', resource({ verb: 'list', namespace: 'default', resource: 'pods' })],
  ['GET', '/api/v1/namespaces/default/pods/web', resource({ verb: 'get', namespace: 'default', resource: 'pods', name: 'web' })],
  ['HEAD', '/api/v1/namespaces/default/pods/web', resource({ verb: 'get', namespace: 'default', resource: 'pods', name: 'web' })],
  ['POST', '/api/v1/namespaces/default/pods', resource({ verb: 'create', namespace: 'default', resource: 'pods' })],
  ['PUT', '/api/v1/namespaces/default/pods/web', resource({ verb: 'update', namespace: 'default', resource: 'pods', name: 'web' })],
  ['PATCH', '/api/v1/namespaces/default/pods/web', resource({ verb: 'patch', namespace: 'default', resource: 'pods', name: 'web' })],
  ['DELETE', '/api/v1/namespaces/default/pods/web', resource({ verb: 'delete', namespace: 'default', resource: 'pods', name: 'web' })],
  ['DELETE', '/api/v1/namespaces/default/pods', resource({ verb: 'deletecollection', namespace: 'default', resource: 'pods' })],
  ['PUT', '/api/v1/namespaces/default/pods/web/status', resource({ verb: 'update', namespace: 'default', resource: 'pods', name: 'web', subresource: 'status' })],
  ['GET', '/api/v1/namespaces/default/pods/web/log?follow=true', resource({ verb: 'get', namespace: 'default', resource: 'pods', name: 'web', subresource: 'log' })],
  ['POST', '/api/v1/namespaces/default/pods/web/exec?command=ls', resource({ verb: 'create', namespace: 'default', resource: 'pods', name: 'web', subresource: 'exec' })],
  ['POST', '/api/v1/namespaces/default/pods/web/binding', resource({ verb: 'create', namespace: 'default', resource: 'pods', name: 'web', subresource: 'binding' })],
  ['GET', '/api/v1/namespaces/default/pods/web/status/extra', resource({ verb: 'get', namespace: 'default', resource: 'pods', name: 'web', subresource: 'status' })],
  // a list whose field selector pins one name is a request for that name
  ['GET', '/api/v1/namespaces/default/pods?fieldSelector=metadata.name%3Dweb', resource({ verb: 'list', namespace: 'default', resource: 'pods', name: 'web' })],
  ['GET', '/api/v1/namespaces/default/pods?watch=1&fieldSelector=metadata.name%3D%3Dweb', resource({ verb: 'watch', namespace: 'default', resource: 'pods', name: 'web' })],
  ['GET', '/api/v1/namespaces/default/pods?fieldSelector=metadata.name%21%3Dweb', resource({ verb: 'list', namespace: 'default', resource: 'pods', name: '' })],
  ['GET', '/api/v1/namespaces/default/pods?fieldSelector=spec.nodeName%3Dn1', resource({ verb: 'list', namespace: 'default', resource: 'pods', name: '' })],

  // the old watch/proxy path forms
  ['GET', '/api/v1/watch/namespaces/default/pods', resource({ verb: 'watch', namespace: 'default', resource: 'pods' })],
  ['GET', '/api/v1/watch/namespaces/default/pods/web', resource({ verb: 'watch', namespace: 'default', resource: 'pods', name: 'web' })],
  ['GET', '/api/v1/watch/pods', resource({ verb: 'watch', resource: 'pods' })],
  ['GET', '/api/v1/proxy/namespaces/default/pods/web/some/path', resource({ verb: 'proxy', namespace: 'default', resource: 'pods', name: 'web', subresource: '' })],

  // cluster scope, and namespaces themselves (kube reports the namespace's own name)
  ['GET', '/api/v1/nodes', resource({ verb: 'list', resource: 'nodes' })],
  ['GET', '/api/v1/nodes/n1', resource({ verb: 'get', resource: 'nodes', name: 'n1' })],
  ['PATCH', '/api/v1/nodes/n1/status', resource({ verb: 'patch', resource: 'nodes', name: 'n1', subresource: 'status' })],
  ['GET', '/api/v1/pods', resource({ verb: 'list', resource: 'pods' })],
  ['GET', '/api/v1/namespaces', resource({ verb: 'list', resource: 'namespaces' })],
  ['GET', '/api/v1/namespaces/kube-system', resource({ verb: 'get', namespace: 'kube-system', resource: 'namespaces', name: 'kube-system' })],
  ['PUT', '/api/v1/namespaces/x/status', resource({ verb: 'update', namespace: 'x', resource: 'namespaces', name: 'x', subresource: 'status' })],
  ['PUT', '/api/v1/namespaces/x/finalize', resource({ verb: 'update', namespace: 'x', resource: 'namespaces', name: 'x', subresource: 'finalize' })],
  ['DELETE', '/api/v1/namespaces/x', resource({ verb: 'delete', namespace: 'x', resource: 'namespaces', name: 'x' })],

  // named groups
  ['GET', '/apis/apps/v1/namespaces/default/deployments', resource({ verb: 'list', apiGroup: 'apps', namespace: 'default', resource: 'deployments' })],
  ['PUT', '/apis/apps/v1/namespaces/default/deployments/web/scale', resource({ verb: 'update', apiGroup: 'apps', namespace: 'default', resource: 'deployments', name: 'web', subresource: 'scale' })],
  ['GET', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n1', resource({ verb: 'get', apiGroup: 'coordination.k8s.io', namespace: 'kube-node-lease', resource: 'leases', name: 'n1' })],
  ['POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', resource({ verb: 'create', apiGroup: 'authorization.k8s.io', resource: 'selfsubjectaccessreviews' })],
  ['GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', resource({ verb: 'list', apiGroup: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' })],
  ['GET', '/apis/example.com/v1beta1/watch/widgets', resource({ verb: 'watch', apiGroup: 'example.com', apiVersion: 'v1beta1', resource: 'widgets' })],

  // odd input: trailing slashes, percent-encoding, unknown methods
  ['GET', '/api/v1/namespaces/default/pods/', resource({ verb: 'list', namespace: 'default', resource: 'pods' })],
  ['GET', '/api/v1/namespaces/my%2Dns/configmaps/a%2Eb', resource({ verb: 'get', namespace: 'my-ns', resource: 'configmaps', name: 'a.b' })],
  ['GET', '/api/v1/namespaces/default/pods/%E0%A4%A', resource({ verb: 'get', namespace: 'default', resource: 'pods', name: '%E0%A4%A' })],
  ['OPTIONS', '/api/v1/pods', resource({ verb: '', resource: 'pods' })],
];

for (const [method, url, expected] of cases) {
  t.test(`${method} ${url}`, async (t) => {
    t.match(parseRequestInfo(method, url), expected);
  });
}

t.test('path is decoded and has no query', async (t) => {
  t.equal(parseRequestInfo('GET', '/api/v1/namespaces/a%20b/pods?limit=5').path, '/api/v1/namespaces/a b/pods');
});

import t from 'tap';
import { builtinCatalogue } from '../resources/index.js';
import { catalogueLookup } from './api-metrics.js';
import { classifyRequest, type RequestLabels } from './request-labels.js';

const lookup = catalogueLookup(builtinCatalogue());

/** a resource request's labels; component "apiserver", no dry run unless given */
const res = (verb: string, group: string, resource: string, subresource: string, scope: string, over: Partial<RequestLabels> = {}): RequestLabels => ({
  verb,
  dry_run: '',
  group,
  version: 'v1',
  resource,
  subresource,
  scope,
  component: 'apiserver',
  ...over,
});
const nonResource = (verb: string, route: string): RequestLabels => ({
  verb,
  dry_run: '',
  group: '',
  version: '',
  resource: '',
  subresource: route,
  scope: '',
  component: '',
});

type Case = [method: string, url: string, expected: RequestLabels, flags?: { longRunning?: boolean; mutating?: boolean; contentType?: string; route?: string }];

const cases: Case[] = [
  // reads: GET of one object, LIST of a collection, WATCH
  ['GET', '/api/v1/namespaces/default/pods/p', res('GET', '', 'pods', '', 'resource'), { mutating: false }],
  ['HEAD', '/api/v1/namespaces/default/pods/p', res('GET', '', 'pods', '', 'resource'), { mutating: false }],
  ['GET', '/api/v1/namespaces/default/pods', res('LIST', '', 'pods', '', 'namespace'), { mutating: false }],
  ['GET', '/api/v1/pods', res('LIST', '', 'pods', '', 'cluster')],
  ['GET', '/api/v1/nodes', res('LIST', '', 'nodes', '', 'cluster')],
  ['GET', '/api/v1/nodes/n1', res('GET', '', 'nodes', '', 'resource')],
  ['GET', '/api/v1/namespaces/default', res('GET', '', 'namespaces', '', 'resource')],
  ['GET', '/api/v1/namespaces', res('LIST', '', 'namespaces', '', 'cluster')],
  ['GET', '/api/v1/namespaces/default/pods?watch=true', res('WATCH', '', 'pods', '', 'namespace'), { longRunning: true, mutating: false }],
  ['GET', '/api/v1/namespaces/default/pods?watch=1&resourceVersion=5', res('WATCH', '', 'pods', '', 'namespace'), { longRunning: true }],
  ['GET', '/api/v1/namespaces/default/pods?watch=false', res('LIST', '', 'pods', '', 'namespace'), { longRunning: false }],
  ['GET', '/api/v1/watch/namespaces/default/pods', res('WATCH', '', 'pods', '', 'namespace'), { longRunning: true }],
  ['GET', '/api/v1/watch/pods', res('WATCH', '', 'pods', '', 'cluster'), { longRunning: true }],
  // a list or watch pinned to one name by fieldSelector is scoped to that resource (kube's CleanListScope)
  ['GET', '/api/v1/namespaces/default/pods?fieldSelector=metadata.name%3Dp&watch=1', res('WATCH', '', 'pods', '', 'resource'), { longRunning: true }],
  ['GET', '/api/v1/namespaces/default/configmaps?fieldSelector=metadata.name%3Dc', res('LIST', '', 'configmaps', '', 'resource')],
  // writes
  ['POST', '/api/v1/namespaces/default/pods', res('POST', '', 'pods', '', 'resource'), { mutating: true, longRunning: false }],
  ['POST', '/api/v1/namespaces', res('POST', '', 'namespaces', '', 'resource'), { mutating: true }],
  ['PUT', '/api/v1/namespaces/default/pods/p', res('PUT', '', 'pods', '', 'resource'), { mutating: true }],
  ['PUT', '/api/v1/namespaces/default/pods/p/status', res('PUT', '', 'pods', 'status', 'resource')],
  ['PUT', '/api/v1/namespaces/x/finalize', res('PUT', '', 'namespaces', 'finalize', 'resource')],
  ['PATCH', '/api/v1/namespaces/default/pods/p', res('PATCH', '', 'pods', '', 'resource'), { contentType: 'application/merge-patch+json' }],
  ['PATCH', '/api/v1/namespaces/default/pods/p?fieldManager=kubectl', res('APPLY', '', 'pods', '', 'resource'), { contentType: 'application/apply-patch+yaml' }],
  ['PATCH', '/api/v1/namespaces/default/pods/p', res('APPLY', '', 'pods', '', 'resource'), { contentType: 'application/apply-patch+yaml; charset=utf-8' }],
  ['DELETE', '/api/v1/namespaces/default/pods/p', res('DELETE', '', 'pods', '', 'resource'), { mutating: true }],
  ['DELETE', '/api/v1/namespaces/default/pods', res('DELETECOLLECTION', '', 'pods', '', 'namespace'), { mutating: true }],
  ['DELETE', '/api/v1/nodes', res('DELETECOLLECTION', '', 'nodes', '', 'cluster')],
  ['POST', '/api/v1/namespaces/default/pods/p/eviction', res('POST', '', 'pods', 'eviction', 'resource')],
  // dry run
  ['POST', '/api/v1/namespaces/default/configmaps?dryRun=All', res('POST', '', 'configmaps', '', 'resource', { dry_run: 'All' })],
  ['PUT', '/api/v1/namespaces/default/configmaps/c?dryRun=All&dryRun=All', res('PUT', '', 'configmaps', '', 'resource', { dry_run: 'All' })],
  ['PUT', '/api/v1/namespaces/default/configmaps/c?dryRun=bogus', res('PUT', '', 'configmaps', '', 'resource')],
  // connect subresources are CONNECT and long-running
  ['GET', '/api/v1/namespaces/default/pods/p/log', res('CONNECT', '', 'pods', 'log', 'resource'), { longRunning: true }],
  ['POST', '/api/v1/namespaces/default/pods/p/exec?command=ls', res('CONNECT', '', 'pods', 'exec', 'resource'), { longRunning: true, mutating: true }],
  // other groups
  ['GET', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', res('LIST', 'coordination.k8s.io', 'leases', '', 'namespace')],
  ['PUT', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n1', res('PUT', 'coordination.k8s.io', 'leases', '', 'resource')],
  ['GET', '/apis/events.k8s.io/v1/events', res('LIST', 'events.k8s.io', 'events', '', 'cluster')],
  // bounded label values: unknown resources and subresources
  ['GET', '/api/v1/namespaces/default/nopes', { ...nonResource('LIST', ''), subresource: '' }],
  ['GET', '/apis/example.com/v1/widgets/w', nonResource('GET', '')],
  ['GET', '/api/v1/namespaces/default/pods/p/whatever', res('GET', '', 'pods', '', 'resource')],
  ['OPTIONS', '/api/v1/namespaces/default/pods', res('other', '', 'pods', '', 'namespace')],
  // non-resource requests: the method, and the route as subresource
  ['GET', '/healthz', nonResource('GET', '/healthz'), { route: '/healthz', mutating: false, longRunning: false }],
  ['GET', '/readyz?verbose', nonResource('GET', '/readyz'), { route: '/readyz' }],
  ['HEAD', '/livez', nonResource('GET', '/livez'), { route: '/livez' }],
  ['GET', '/metrics', nonResource('GET', '/metrics'), { route: '/metrics' }],
  ['GET', '/apis/apps/v1', nonResource('GET', '/apis/:group/:version'), { route: '/apis/:group/:version' }],
  ['GET', '/no/such/path', nonResource('GET', '')],
  ['POST', '/healthz', nonResource('POST', ''), { mutating: true }],
  ['BREW', '/coffee', nonResource('other', '')],
];

t.test('request labels follow kube-apiserver', async (t) => {
  for (const [method, url, expected, flags = {}] of cases) {
    const got = classifyRequest({ method, url, contentType: flags.contentType, route: flags.route }, lookup);
    t.same(got.labels, expected, `${method} ${url}`);
    if (flags.longRunning !== undefined) t.equal(got.longRunning, flags.longRunning, `${method} ${url}: long-running`);
    if (flags.mutating !== undefined) t.equal(got.mutating, flags.mutating, `${method} ${url}: mutating`);
  }
});

t.test('without a catalogue no resource is known', async (t) => {
  t.same(classifyRequest({ method: 'GET', url: '/api/v1/pods' }).labels, nonResource('LIST', ''));
});

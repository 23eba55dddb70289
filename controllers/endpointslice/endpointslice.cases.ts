/**
 * The EndpointSlice controller: endpoint conditions and the slice plan (pure,
 * table-driven), then reconcile(key) against the fake cluster — creation, in-place
 * updates, the placeholder, the steady state (no writes once converged), stale caches.
 */
import type { V1EndpointSlice } from '@kubernetes/client-node';
import t, { type Test } from 'tap';
import type { KubeObject } from '../../client/types.js';
import { silentLogger } from '../../client/workqueue/silent-logger.js';
import { flush, startFakeController } from '../common/testing/controller-harness.js';
import { EndpointSliceController } from './endpointslice-controller.js';
import { planSlices } from './reconcile-plan.js';
import { podToEndpoint } from './slice-endpoints.js';
import { node, NOW, pod, service } from './testing/fixtures.js';

t.test('endpoint conditions, as kube computes them', async (t) => {
  const svc = service('web', { selector: { app: 'web' } });
  const pnr = service('web', { selector: { app: 'web' }, publishNotReadyAddresses: true });
  const cases: Array<[string, ReturnType<typeof pod>, typeof svc, { ready: boolean; serving: boolean; terminating: boolean }]> = [
    ['ready pod', pod('a'), svc, { ready: true, serving: true, terminating: false }],
    ['not ready pod', pod('a', { ready: false }), svc, { ready: false, serving: false, terminating: false }],
    ['ready and terminating', pod('a', { terminating: true }), svc, { ready: false, serving: true, terminating: true }],
    ['not ready and terminating', pod('a', { ready: false, terminating: true }), svc, { ready: false, serving: false, terminating: true }],
    ['publishNotReadyAddresses: always ready', pod('a', { ready: false, terminating: true }), pnr, { ready: true, serving: false, terminating: true }],
  ];
  for (const [name, p, s, want] of cases) t.same(podToEndpoint(p, undefined, s, 'IPv4').conditions, want, name);
  const ep = podToEndpoint(pod('a', { ip: '10.0.0.1', hostname: 'a', subdomain: 'web' }), node('node-1', 'zone-a'), svc, 'IPv4');
  t.same(ep, {
    addresses: ['10.0.0.1'],
    conditions: { ready: true, serving: true, terminating: false },
    targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'uid-a' },
    nodeName: 'node-1',
    zone: 'zone-a',
    hostname: 'a',
  });
});

const nodes = (name: string) => (name === 'node-1' ? node('node-1', 'zone-a') : undefined);
const ips = (s: V1EndpointSlice) => (s.endpoints ?? []).map((e) => e.addresses[0]).sort();

t.test('the plan for a new Service', async (t) => {
  const svc = service('web', { selector: { app: 'web' } });
  const pods = [1, 2, 3].map((i) => pod(`p${i}`, { ip: `10.0.0.${i}` }));
  const plan = planSlices({ service: svc, pods, existing: [], node: nodes });
  t.equal(plan.create.length, 1);
  const slice = plan.create[0]!;
  t.match(slice.metadata, {
    generateName: 'web-',
    labels: { 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' },
    ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'uid-web', controller: true, blockOwnerDeletion: true }],
  });
  t.equal(slice.addressType, 'IPv4');
  t.same(slice.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  t.same(ips(slice), ['10.0.0.1', '10.0.0.2', '10.0.0.3']);
  t.equal(slice.endpoints![0]!.zone, 'zone-a');

  const small = planSlices({ service: svc, pods, existing: [], node: nodes, maxEndpointsPerSlice: 2 });
  t.same(small.create.map((s) => s.endpoints!.length), [2, 1], 'at most maxEndpointsPerSlice per slice');

  const mixed = planSlices({ service: svc, pods: [pod('a', { ip: '10.0.0.1', port: 8080 }), pod('b', { ip: '10.0.0.2', port: 9090 })], existing: [], node: nodes });
  t.same(mixed.create.map((s) => `${s.ports![0]!.port}:${ips(s).join(',')}`).sort(), ['8080:10.0.0.1', '9090:10.0.0.2'], 'one slice per port mapping');

  const empty = planSlices({ service: svc, pods: [], existing: [], node: nodes });
  t.same(empty.create.map((s) => [s.endpoints, s.ports]), [[[], []]], 'no pods: one empty placeholder');

  const ghost = planSlices({ service: svc, pods: [pod('a', { ip: '10.0.0.1' }), pod('g', { ip: '10.0.0.9', node: 'ghost' })], existing: [], node: nodes });
  t.same(ips(ghost.create[0]!), ['10.0.0.1'], 'a pod on a node that does not exist is left out');
  t.same(ghost.skipped, ['g']);
});

/** what the API server would store: a name, a uid, a resourceVersion */
const stored = (slice: V1EndpointSlice, name: string): V1EndpointSlice => ({ ...structuredClone(slice), metadata: { ...slice.metadata, name, uid: `uid-${name}`, resourceVersion: '7', generation: 1 } });

t.test('the plan against existing slices: minimal churn', async (t) => {
  const svc = service('web', { selector: { app: 'web' } });
  const pods = [1, 2, 3].map((i) => pod(`p${i}`, { ip: `10.0.0.${i}` }));
  const [a, b] = planSlices({ service: svc, pods, existing: [], node: nodes, maxEndpointsPerSlice: 2 }).create.map((s, i) => stored(s, `web-${i}`));
  const existing = [a!, b!];

  const same = planSlices({ service: svc, pods, existing, node: nodes, maxEndpointsPerSlice: 2 });
  t.same([same.create.length, same.update.length, same.delete.length], [0, 0, 0], 'unchanged: nothing to write');

  const p2NotReady = pods.map((p) => (p.metadata?.name === 'p2' ? pod('p2', { ip: '10.0.0.2', ready: false }) : p));
  const flip = planSlices({ service: svc, pods: p2NotReady, existing, node: nodes, maxEndpointsPerSlice: 2 });
  t.same(flip.update.map((s) => s.metadata?.name), ['web-0'], 'only the slice holding p2 is rewritten');
  t.equal(flip.update[0]!.endpoints!.find((e) => e.addresses[0] === '10.0.0.2')!.conditions!.ready, false);

  const without3 = planSlices({ service: svc, pods: pods.slice(0, 2), existing, node: nodes, maxEndpointsPerSlice: 2 });
  t.same([without3.create.length, without3.update.length, without3.delete.map((s) => s.metadata?.name)], [0, 0, ['web-1']], 'a slice left empty is deleted');

  const plus4 = planSlices({ service: svc, pods: [...pods, pod('p4', { ip: '10.0.0.4' })], existing, node: nodes, maxEndpointsPerSlice: 2 });
  t.same([plus4.create.length, plus4.update.map((s) => s.metadata?.name)], [0, ['web-1']], 'a new endpoint fills the unchanged slice with room');

  const none = planSlices({ service: svc, pods: [], existing, node: nodes, maxEndpointsPerSlice: 2 });
  t.same([none.create.length, none.update.length, none.delete.length], [0, 1, 1], 'all gone: one slice becomes the placeholder, the other is deleted');
  t.same(none.update[0]!.endpoints, []);
  const placeholder = stored(none.update[0]!, 'web-0');
  const still = planSlices({ service: svc, pods: [], existing: [placeholder], node: nodes });
  t.same([still.create.length, still.update.length, still.delete.length], [0, 0, 0], 'the placeholder is kept as is');

  const relabelled = service('web', { selector: { app: 'web' }, labels: { tier: 'front' } });
  const labels = planSlices({ service: relabelled, pods, existing, node: nodes, maxEndpointsPerSlice: 2 });
  t.same(labels.update.map((s) => s.metadata?.labels?.tier), ['front', 'front'], "the Service's labels are copied");

  const other = stored(planSlices({ service: service('web', { selector: { app: 'web' } }), pods, existing: [], node: nodes }).create[0]!, 'web-old');
  other.metadata!.ownerReferences![0]!.uid = 'uid-old';
  const replaced = planSlices({ service: svc, pods, existing: [other], node: nodes });
  t.same([replaced.create.length, replaced.update.length, replaced.delete.map((s) => s.metadata?.name)], [1, 0, ['web-old']], "a slice of an older Service of the same name is not reused");
});

async function harness(t: Test, objects: object[]) {
  const h = await startFakeController(t, { now: NOW, objects }, (env) => new EndpointSliceController({ client: env.fake.client, informers: env.informers, clock: env.clock, logger: silentLogger, settings: { maxEndpointsPerSlice: 2 } }));
  const writes = () => h.fake.writes.map((w) => `${w.verb} ${w.kind}`);
  const slices = () => h.fake.list<V1EndpointSlice & KubeObject>('discovery.k8s.io/v1', 'EndpointSlice', 'default');
  return { ...h, writes, slices };
}

t.test('reconcile against the fake cluster', async (t) => {
  const h = await harness(t, [service('web', { selector: { app: 'web' } }), node('node-1', 'zone-a'), ...[1, 2, 3].map((i) => pod(`p${i}`, { ip: `10.0.0.${i}` }))]);
  await h.controller.reconcile('default/web');
  t.same(h.writes(), ['create EndpointSlice', 'create EndpointSlice']);
  t.same(h.slices().flatMap(ips).sort(), ['10.0.0.1', '10.0.0.2', '10.0.0.3']);
  t.ok(h.slices().every((s) => s.metadata?.annotations?.['endpoints.kubernetes.io/last-change-trigger-time']), 'trigger time annotation');

  // before the cache has seen our creates, the controller waits instead of creating again
  await t.rejects(h.controller.reconcile('default/web'), /out of date/);
  await flush();
  h.fake.clearWrites();
  await h.controller.reconcile('default/web');
  await h.controller.reconcile('default/web');
  t.same(h.writes(), [], 'steady state: no writes once converged');

  h.fake.remove('v1', 'Pod', 'p3', 'default');
  await flush();
  await h.controller.reconcile('default/web');
  t.same(h.writes(), ['delete EndpointSlice'], "p3's slice had only p3: deleted, the other untouched");
  await flush();
  h.fake.clearWrites();

  h.fake.remove('v1', 'Service', 'web', 'default');
  await flush();
  await h.controller.reconcile('default/web');
  t.same(h.writes(), ['delete EndpointSlice'], "the Service's slices go with it");
});

t.test('a Service without a selector gets no slices', async (t) => {
  const h = await harness(t, [service('manual', { selector: null }), pod('p1', { ip: '10.0.0.1' })]);
  await h.controller.reconcile('default/manual');
  t.same(h.writes(), []);
});

/**
 * The endpoints controller: the desired subsets (pure, table-driven), the write for one
 * Service, and reconcile(key) against the fake cluster — including the steady state (no
 * writes once converged) and the Endpoints going with their Service.
 */
import type { V1Endpoints, V1EndpointSubset } from '@kubernetes/client-node';
import t, { type Test } from 'tap';
import { FakeClock } from '../../client/clock.js';
import type { KubeObject } from '../../client/types.js';
import { RateLimitingQueue, TerminalError } from '../../client/workqueue/index.js';
import { silentLogger } from '../../client/workqueue/silent-logger.js';
import { flush, startFakeController } from '../common/testing/controller-harness.js';
import { at, NOW, pod, service } from '../endpointslice/testing/fixtures.js';
import { withRetryLimit } from '../endpointslice/util/retry-limit.js';
import { desiredSubsets, OVER_CAPACITY_ANNOTATION } from './desired-subsets.js';
import { EndpointsController } from './endpoints-controller.js';
import { endpointsWrite, HEADLESS_LABEL } from './endpoints-for-service.js';

/** subsets as "ready:ip,ip notready:ip ports:name=port" strings, for compact expectations */
const brief = (subsets: V1EndpointSubset[]) =>
  subsets.map(
    (ss) =>
      `ready:${(ss.addresses ?? []).map((a) => a.ip).join(',')} notready:${(ss.notReadyAddresses ?? []).map((a) => a.ip).join(',')} ports:${(ss.ports ?? []).map((p) => `${p.name}=${p.port}`).join(',')}`,
  );

t.test('desired subsets', async (t) => {
  const cases: Array<{ name: string; svc: ReturnType<typeof service>; pods: ReturnType<typeof pod>[]; want: string[] }> = [
    {
      name: 'ready and not-ready pods share a subset when their ports match',
      svc: service('web', { selector: { app: 'web' } }),
      pods: [pod('a', { ip: '10.0.0.1' }), pod('b', { ip: '10.0.0.2', ready: false })],
      want: ['ready:10.0.0.1 notready:10.0.0.2 ports:http=8080'],
    },
    {
      name: 'a named targetPort resolves per pod: different numbers, different subsets',
      svc: service('web', { selector: { app: 'web' } }),
      pods: [pod('a', { ip: '10.0.0.1', port: 8080 }), pod('b', { ip: '10.0.0.2', port: 9090 })],
      want: ['ready:10.0.0.1 notready: ports:http=8080', 'ready:10.0.0.2 notready: ports:http=9090'],
    },
    {
      name: 'a pod without the named port is left out of that port',
      svc: service('web', { selector: { app: 'web' } }),
      pods: [pod('a', { ip: '10.0.0.1' }), pod('b', { ip: '10.0.0.2', portName: 'metrics' })],
      want: ['ready:10.0.0.1 notready: ports:http=8080'],
    },
    {
      name: 'a numeric targetPort is taken as is',
      svc: service('web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8000 }] }),
      pods: [pod('a', { ip: '10.0.0.1' })],
      want: ['ready:10.0.0.1 notready: ports:http=8000'],
    },
    {
      name: 'terminating, terminal and IP-less pods are not published',
      svc: service('web', { selector: { app: 'web' } }),
      pods: [pod('a', { ip: '10.0.0.1' }), pod('b', { ip: '10.0.0.2', terminating: true }), pod('c', { ip: '10.0.0.3', phase: 'Succeeded' }), pod('d', { ip: null })],
      want: ['ready:10.0.0.1 notready: ports:http=8080'],
    },
    {
      name: 'publishNotReadyAddresses: not-ready and terminating pods are ready addresses',
      svc: service('web', { selector: { app: 'web' }, publishNotReadyAddresses: true }),
      pods: [pod('a', { ip: '10.0.0.1', ready: false }), pod('b', { ip: '10.0.0.2', terminating: true })],
      want: ['ready:10.0.0.1,10.0.0.2 notready: ports:http=8080'],
    },
    {
      name: 'a headless Service without ports publishes bare addresses',
      svc: service('db', { selector: { app: 'web' }, clusterIP: 'None', ports: [] }),
      pods: [pod('a', { ip: '10.0.0.1' })],
      want: ['ready:10.0.0.1 notready: ports:'],
    },
    {
      name: 'a Service with two ports: one subset with both',
      svc: service('web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'admin', port: 81, targetPort: 9000 }] }),
      pods: [pod('a', { ip: '10.0.0.1' })],
      want: ['ready:10.0.0.1 notready: ports:admin=9000,http=8080'],
    },
  ];
  for (const c of cases) t.same(brief(desiredSubsets(c.svc, c.pods).subsets), c.want, c.name);
});

t.test('addresses carry the pod reference, node and (with a matching subdomain) hostname', async (t) => {
  const svc = service('db', { selector: { app: 'web' } });
  const { subsets } = desiredSubsets(svc, [pod('a', { ip: '10.0.0.1', hostname: 'a-0', subdomain: 'db' }), pod('b', { ip: '10.0.0.2', hostname: 'b-0', subdomain: 'other' })]);
  t.same(subsets[0]!.addresses, [
    { ip: '10.0.0.1', nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'uid-a' }, hostname: 'a-0' },
    { ip: '10.0.0.2', nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: 'default', name: 'b', uid: 'uid-b' } },
  ]);
});

t.test('over capacity: truncated, ready addresses first, annotated', async (t) => {
  const svc = service('web', { selector: { app: 'web' } });
  const pods = [1, 2, 3, 4].map((i) => pod(`p${i}`, { ip: `10.0.0.${i}`, ready: i <= 2 }));
  const { subsets, truncated } = desiredSubsets(svc, pods, 3);
  t.ok(truncated);
  t.same(brief(subsets), ['ready:10.0.0.1,10.0.0.2 notready:10.0.0.3 ports:http=8080']);
  const write = endpointsWrite({ service: svc, pods, current: undefined, triggerTime: undefined, capacity: 3 });
  t.equal(write.action, 'create');
  if (write.action !== 'none') t.equal(write.endpoints.metadata?.annotations?.[OVER_CAPACITY_ANNOTATION], 'truncated');
});

t.test('the write for a Service', async (t) => {
  const svc = service('web', { selector: { app: 'web' }, labels: { team: 'a' } });
  const pods = [pod('a', { ip: '10.0.0.1' })];
  const first = endpointsWrite({ service: svc, pods, current: undefined, triggerTime: NOW });
  t.equal(first.action, 'create');
  if (first.action === 'none') return;
  t.same(first.endpoints.metadata?.labels, { team: 'a', 'endpoints.kubernetes.io/managed-by': 'endpoint-controller' }, "the Service's labels, and managed-by");
  t.same(first.endpoints.metadata?.annotations, { 'endpoints.kubernetes.io/last-change-trigger-time': '2026-01-01T00:00:00Z' });
  const stored = { ...structuredClone(first.endpoints), metadata: { ...first.endpoints.metadata, resourceVersion: '5' } } as V1Endpoints;
  t.same(endpointsWrite({ service: svc, pods, current: stored, triggerTime: undefined }), { action: 'none' }, 'converged: nothing to write');
  const relabelled = service('web', { selector: { app: 'web' }, labels: { team: 'b' } });
  t.equal(endpointsWrite({ service: relabelled, pods, current: stored, triggerTime: undefined }).action, 'update', 'label change → update');
  const headless = service('web', { selector: { app: 'web' }, clusterIP: 'None', labels: { team: 'a' } });
  const h = endpointsWrite({ service: headless, pods, current: undefined, triggerTime: undefined });
  if (h.action !== 'none') t.same(h.endpoints.metadata?.labels, { team: 'a', 'endpoints.kubernetes.io/managed-by': 'endpoint-controller', [HEADLESS_LABEL]: '' }, 'headless label');
});

async function harness(t: Test, objects: object[]) {
  return startFakeController(t, { now: NOW, objects }, (env) => new EndpointsController({ client: env.fake.client, informers: env.informers, clock: env.clock, logger: silentLogger, recorder: env.recorder }));
}

t.test('reconcile against the fake cluster', async (t) => {
  const h = await harness(t, [service('web', { selector: { app: 'web' } }), service('manual', { selector: null }), pod('a', { ip: '10.0.0.1' }), pod('b', { ip: '10.0.0.2', ready: false })]);
  /** the cache catches up and the writes so far are forgotten; then `change`, and one sync of web */
  const syncAfter = async (change: () => void) => {
    await flush();
    h.fake.clearWrites();
    change();
    await flush();
    await h.controller.reconcile('default/web');
  };
  await h.controller.reconcile('default/web');
  t.same(h.writes(), ['create Endpoints web']);
  const ep = h.fake.get('v1', 'Endpoints', 'web', 'default') as V1Endpoints;
  t.same(brief(ep.subsets ?? []), ['ready:10.0.0.1 notready:10.0.0.2 ports:http=8080']);
  t.equal(ep.metadata?.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'], at(0), "a new Service's trigger time is its creation");

  await flush();
  h.fake.clearWrites();
  await h.controller.reconcile('default/web');
  await h.controller.reconcile('default/web');
  t.same(h.writes(), [], 'steady state: no writes once converged');

  await h.controller.reconcile('default/manual');
  t.same(h.writes(), [], 'a Service without a selector is left alone');

  // b becomes ready: one update
  await syncAfter(() => h.fake.set(pod('b', { ip: '10.0.0.2', readySince: 30 }) as KubeObject));
  t.same(h.writes(), ['update Endpoints web']);
  const updated = h.fake.get('v1', 'Endpoints', 'web', 'default') as V1Endpoints;
  t.same(brief(updated.subsets ?? []), ['ready:10.0.0.1,10.0.0.2 notready: ports:http=8080']);
  t.equal(updated.metadata?.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'], at(30), 'the trigger time is when b became ready');

  // the Service goes: so does its Endpoints
  await syncAfter(() => h.fake.remove('v1', 'Service', 'web', 'default'));
  t.same(h.writes(), ['delete Endpoints web']);
  t.same(h.events, []);
});

t.test('a stale cache is not written from', async (t) => {
  const h = await harness(t, [service('web', { selector: { app: 'web' } }), pod('a', { ip: '10.0.0.1' })]);
  await h.controller.reconcile('default/web');
  // no flush: the cache has not seen the create yet
  await t.rejects(h.controller.reconcile('default/web'), /out of date/);
  t.same(h.writes(), ['create Endpoints web'], 'no second create');
});

t.test('a Service whose sync keeps failing is dropped after 15 retries', async (t) => {
  const queue = new RateLimitingQueue<string>({ clock: new FakeClock(NOW) });
  const failing = withRetryLimit(queue, async () => {
    throw new Error('boom');
  });
  await t.rejects(failing('default/web'), { message: 'boom' }, 'retried while under the limit');
  for (let i = 0; i < 15; i++) queue.addRateLimited('default/web');
  await t.rejects(failing('default/web'), TerminalError, 'then dropped');
  queue.shutDown();
});

/**
 * Informers against a real API server (startCluster, memory store): the same code paths
 * controllers use — WebSocket watches, selectors, resume after a dropped connection.
 */
import t from 'tap';
import { FakeClock } from '../clock.js';
import { startTestCluster } from '../rest/test-cluster.js';
import type { KubeObject } from '../types.js';
import { SharedInformerFactory } from './informer-factory.js';
import { cuttableListWatch } from './cuttable-list-watch.js';
import { SharedInformer } from './shared-informer.js';

/** poll until `check` passes (the server answers asynchronously); fails after 5 s */
async function eventually(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function recorder() {
  const log: string[] = [];
  return {
    log,
    handler: {
      onAdd: (o: KubeObject) => log.push(`add ${o.metadata?.name}`),
      onUpdate: (a: KubeObject, b: KubeObject) => log.push(`update ${b.metadata?.name} ${JSON.stringify(a.data)}->${JSON.stringify(b.data)}`),
      onDelete: (o: KubeObject) => log.push(`delete ${o.metadata?.name}`),
    },
  };
}

const pod = (name: string, nodeName: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { nodeName, containers: [{ name: 'c', image: 'busybox' }] },
});

t.test('real API server', async (t) => {
  const { client } = await startTestCluster(t);
  const stop = new AbortController();
  const factory = new SharedInformerFactory(client, { backoff: { initialMs: 10, maxMs: 100 } });
  t.teardown(async () => {
    stop.abort();
    await factory.shutdown();
  });

  t.test('a ConfigMap informer (label selector) sees create, update and delete of its objects only', async (t) => {
    const configMaps = client.resource('v1', 'ConfigMap');
    await configMaps.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'before', namespace: 'default', labels: { test: 'informers' } }, data: { a: '1' } });
    await configMaps.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'unlabelled', namespace: 'default' } });
    // a label selector keeps out what other parts of the cluster may create in "default"
    const informer = factory.informerFor('v1', 'ConfigMap', { namespace: 'default', labelSelector: 'test=informers' });
    const r = recorder();
    informer.addEventHandler(r.handler);
    factory.start(stop.signal);
    t.equal(await factory.waitForCacheSync(stop.signal), true);
    t.same(r.log, ['add before'], 'the initial list');
    const cm = await configMaps.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'default', labels: { test: 'informers' } }, data: { k: 'v1' } });
    await configMaps.update({ ...cm, data: { k: 'v2' } });
    await configMaps.delete('cm', { namespace: 'default' });
    await eventually(() => r.log.length === 4, 'three events');
    t.same(r.log, ['add before', 'add cm', 'update cm {"k":"v1"}->{"k":"v2"}', 'delete cm']);
    t.same(informer.lister().list().map((o) => o.metadata?.name), ['before']);
  });

  t.test('a fieldSelector informer sees only matching pods', async (t) => {
    const pods = client.resource('v1', 'Pod');
    const onN1 = factory.informerFor('v1', 'Pod', { fieldSelector: 'spec.nodeName=n1' });
    const r = recorder();
    onN1.addEventHandler(r.handler);
    factory.start(stop.signal);
    t.equal(await onN1.waitForSync(stop.signal), true);
    await pods.create(pod('p2', 'n2'));
    await pods.create(pod('p1', 'n1'));
    await pods.create(pod('p3', 'n2'));
    await pods.create(pod('p4', 'n1'));
    await eventually(() => r.log.length >= 2, 'the n1 pods');
    t.same(r.log, ['add p1', 'add p4']);
    t.same(onN1.lister().list().map((o) => o.metadata?.name).sort(), ['p1', 'p4']);
  });

  t.test('after a dropped watch the informer resumes from its resourceVersion and loses nothing', async (t) => {
    // the real client, with a switch to cut the open watch as a network failure would
    const lw = cuttableListWatch(client.resource('v1', 'ConfigMap'));
    const { source, watchCalls } = lw;
    // A FakeClock holds the reconnect back until the test has written while disconnected.
    const clock = new FakeClock();
    const informer = new SharedInformer({ source, clock, selection: { namespace: 'resume', labelSelector: 'test=resume' }, backoff: { initialMs: 50, maxMs: 100 } });
    const r = recorder();
    informer.addEventHandler(r.handler);
    const stopInformer = new AbortController();
    const run = informer.run(stopInformer.signal);
    t.teardown(() => {
      stopInformer.abort();
      return run;
    });
    t.equal(await informer.waitForSync(stopInformer.signal), true);
    const configMaps = client.resource('v1', 'ConfigMap');
    await client.resource('v1', 'Namespace').create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'resume' } });
    await configMaps.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'seen', namespace: 'resume', labels: { test: 'resume' } } });
    await eventually(() => r.log.length === 1, 'the first event');
    const lastSeen = informer.lastSyncResourceVersion();
    lw.cut!();
    await eventually(() => clock.pending === 1, 'the reflector to wait out its backoff');
    // written while no watch is open
    for (const name of ['gap1', 'gap2', 'gap3']) await configMaps.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'resume', labels: { test: 'resume' } } });
    t.equal(watchCalls.length, 1, 'no watch open yet');
    await clock.advance(50);
    await eventually(() => r.log.length === 4, 'the events written while disconnected');
    t.same(r.log, ['add seen', 'add gap1', 'add gap2', 'add gap3']);
    t.equal(lw.lists(), 1, 'resumed, not relisted');
    t.ok(watchCalls.length >= 2);
    t.equal(watchCalls[1]?.resourceVersion, lastSeen, 'the second watch starts from the last resourceVersion seen');
  });
});

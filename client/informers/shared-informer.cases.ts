import t from 'tap';
import { FakeClock, flushMicrotasks } from '../clock.js';
import type { KubeClient, KubeObject, ResourceClient } from '../types.js';
import { configMap, FakeListWatch } from './fake-list-watch.js';
import { SharedInformerFactory } from './informer-factory.js';
import { SharedInformer } from './shared-informer.js';

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await flushMicrotasks();
}

function recorder() {
  const log: string[] = [];
  const n = (o: KubeObject) => `${o.metadata?.name}@${o.metadata?.resourceVersion}`;
  return {
    log,
    handler: {
      onAdd: (o: KubeObject) => log.push(`add ${n(o)}`),
      onUpdate: (a: KubeObject, b: KubeObject) => log.push(`update ${n(a)}->${n(b)}`),
      onDelete: (o: KubeObject) => log.push(`delete ${n(o)}`),
    },
  };
}

function startInformer(fake: FakeListWatch, resyncPeriodMs = 0) {
  const clock = new FakeClock();
  const informer = new SharedInformer({ source: fake, clock, resyncPeriodMs });
  const controller = new AbortController();
  const done = informer.run(controller.signal);
  return {
    clock,
    informer,
    stop: async () => {
      controller.abort();
      await done;
    },
  };
}

t.test('handlers see the initial list, then events; cache updated before handlers run', async (t) => {
  const fake = new FakeListWatch();
  fake.create(configMap('a'));
  const s = startInformer(fake);
  t.teardown(s.stop);
  const r = recorder();
  const seenInCache: Array<string | undefined> = [];
  s.informer.addEventHandler(r.handler);
  s.informer.addEventHandler({ onAdd: (o) => seenInCache.push(s.informer.lister().getByKey(`default/${o.metadata!.name}`)?.metadata?.resourceVersion) });
  t.equal(s.informer.hasSynced(), false);
  t.equal(await s.informer.waitForSync(), true);
  t.equal(s.informer.hasSynced(), true);
  const a = fake.update({ ...configMap('a'), data: { k: 'v' } });
  fake.create(configMap('b'));
  fake.remove(a);
  await settle();
  t.same(r.log, ['add a@1', 'update a@1->a@2', 'add b@3', 'delete a@4']);
  t.same(seenInCache, ['1', '3']);
  t.same(s.informer.lister().list().map((o) => o.metadata!.name), ['b']);
  t.equal(s.informer.lastSyncResourceVersion(), '4');
});

t.test('a handler added after sync gets synthetic adds; removed handlers hear nothing more', async (t) => {
  const fake = new FakeListWatch();
  fake.create(configMap('a'));
  fake.create(configMap('b'));
  const s = startInformer(fake);
  t.teardown(s.stop);
  await s.informer.waitForSync();
  const r = recorder();
  const reg = s.informer.addEventHandler(r.handler);
  t.same(r.log.sort(), ['add a@1', 'add b@2']);
  reg.remove();
  fake.create(configMap('c'));
  await settle();
  t.equal(r.log.length, 2);
});

t.test('a throwing handler is logged, others still hear the event', async (t) => {
  const fake = new FakeListWatch();
  const s = startInformer(fake);
  t.teardown(s.stop);
  const r = recorder();
  s.informer.addEventHandler({ onAdd: () => { throw new Error('handler bug'); } });
  s.informer.addEventHandler(r.handler);
  await s.informer.waitForSync();
  fake.create(configMap('a'));
  await settle();
  t.same(r.log, ['add a@1']);
});

t.test('a relist after 410 tells handlers what changed while away', async (t) => {
  const fake = new FakeListWatch();
  const a = fake.create(configMap('a'));
  fake.create(configMap('b'));
  const s = startInformer(fake);
  t.teardown(s.stop);
  const r = recorder();
  s.informer.addEventHandler(r.handler);
  await s.informer.waitForSync();
  fake.disconnect();
  fake.remove(a);
  fake.update({ ...configMap('b'), data: { x: '1' } });
  fake.create(configMap('c'));
  fake.compact();
  await s.clock.advance(800);
  await settle();
  t.same(r.log, ['add a@1', 'add b@2', 'update b@2->b@4', 'add c@5', 'delete a@1']);
});

t.test('periodic resync re-delivers every object as an update', async (t) => {
  const fake = new FakeListWatch();
  fake.create(configMap('a'));
  const s = startInformer(fake, 1000);
  t.teardown(s.stop);
  const r = recorder();
  s.informer.addEventHandler(r.handler);
  await s.informer.waitForSync();
  await s.clock.advance(999);
  t.same(r.log, ['add a@1']);
  await s.clock.advance(1);
  t.same(r.log, ['add a@1', 'update a@1->a@1']);
  await s.clock.advance(1000);
  t.equal(r.log.length, 3);
});

t.test('waitForSync resolves false when aborted first', async (t) => {
  const informer = new SharedInformer({ source: new FakeListWatch(), clock: new FakeClock() });
  const c = new AbortController();
  const waiting = informer.waitForSync(c.signal);
  c.abort();
  t.equal(await waiting, false);
});

t.test('factory: one informer (one list, one watch) per kind and selectors', async (t) => {
  const fakes = new Map<string, FakeListWatch>();
  const client: KubeClient = {
    userAgent: 'test',
    resource<T extends KubeObject = KubeObject>(apiVersion: string, kind: string) {
      const key = `${apiVersion}/${kind}`;
      if (!fakes.has(key)) fakes.set(key, new FakeListWatch());
      return fakes.get(key) as unknown as ResourceClient<T>;
    },
    mapping: () => Promise.reject(new Error('unused')),
    close: () => {},
  };
  const factory = new SharedInformerFactory(client, { clock: new FakeClock() });
  const c = new AbortController();
  t.teardown(async () => {
    c.abort();
    await factory.shutdown();
  });
  const cm1 = factory.informerFor('v1', 'ConfigMap');
  const cm2 = factory.informerFor('v1', 'ConfigMap');
  const pods = factory.informerFor('v1', 'Pod', { fieldSelector: 'spec.nodeName=n1' });
  const pods2 = factory.informerFor('v1', 'Pod', { fieldSelector: 'spec.nodeName=n1' });
  const podsOther = factory.informerFor('v1', 'Pod', { fieldSelector: 'spec.nodeName=n2' });
  t.equal(cm1, cm2);
  t.equal(pods, pods2);
  t.not(pods, podsOther);
  factory.start(c.signal);
  factory.start(c.signal); // idempotent
  t.equal(await factory.waitForCacheSync(c.signal), true);
  t.equal(fakes.get('v1/ConfigMap')!.listCalls.length, 1);
  t.equal(fakes.get('v1/ConfigMap')!.watchCalls.length, 1);
  t.equal(fakes.get('v1/Pod')!.listCalls.length, 2, 'one per field selector');
  t.same(fakes.get('v1/Pod')!.listCalls.map((o) => o.fieldSelector).sort(), ['spec.nodeName=n1', 'spec.nodeName=n2']);

  const late = factory.informerFor('v1', 'Secret');
  t.equal(await late.waitForSync(c.signal), true, 'an informer asked for after start runs at once');
});

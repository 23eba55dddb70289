/**
 * The controller's reconcile over fake list-watches (no API server, a FakeClock): it writes
 * a budget's status once and then finds nothing to write, asks to look again when a
 * recorded eviction expires, rethrows a Conflict (retry on fresh data), falls back to the
 * fail-safe status on other errors, and routes pod events to the budgets that select them.
 */
import t, { type Test } from 'tap';
import { ApiError } from '../../client/api-error.js';
import { FakeClock } from '../../client/clock.js';
import { FakeListWatch } from '../../client/informers/fake-list-watch.js';
import { SharedInformerFactory } from '../../client/informers/index.js';
import type { KubeClient, KubeObject, ResourceClient } from '../../client/types.js';
import { formatTime } from './budget-status.js';
import { DisruptionController } from './disruption-controller.js';
import { testBudget, testPod } from './test-objects.js';

const json = (o: unknown) => JSON.parse(JSON.stringify(o)) as KubeObject;

/** a KubeClient whose kinds are FakeListWatches; updateStatus is recorded and applied */
function fakeCluster() {
  const kinds = new Map<string, FakeListWatch>();
  const fakeFor = (apiVersion: string, kind: string) => {
    const key = `${apiVersion}/${kind}`;
    let fake = kinds.get(key);
    if (!fake) kinds.set(key, (fake = new FakeListWatch()));
    return fake;
  };
  const statusWrites: KubeObject[] = [];
  let failNextStatusWrite: Error | undefined;
  const client = {
    userAgent: 'test',
    close() {},
    mapping: async () => {
      throw new Error('no discovery in this fake');
    },
    resource(apiVersion: string, kind: string) {
      const fake = fakeFor(apiVersion, kind);
      return {
        apiVersion,
        kind,
        list: (opts) => fake.list(opts),
        watch: (opts) => fake.watch(opts),
        async updateStatus(obj: KubeObject) {
          if (failNextStatusWrite) {
            const err = failNextStatusWrite;
            failNextStatusWrite = undefined;
            throw err;
          }
          statusWrites.push(json(obj));
          return fake.update(json(obj));
        },
        async getSubresource() {
          throw new ApiError({ code: 404, reason: 'NotFound', message: 'not found' });
        },
        async get() {
          throw new ApiError({ code: 404, reason: 'NotFound', message: 'not found' });
        },
      } as Partial<ResourceClient> as ResourceClient;
    },
  } as KubeClient;
  return {
    client,
    pods: fakeFor('v1', 'Pod'),
    budgets: fakeFor('policy/v1', 'PodDisruptionBudget'),
    statusWrites,
    failNextStatusWrite: (err: Error) => (failNextStatusWrite = err),
  };
}

async function setup(t: Test) {
  const cluster = fakeCluster();
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 12));
  const informers = new SharedInformerFactory(cluster.client, { clock });
  const controller = new DisruptionController({ client: cluster.client, informers, clock });
  const abort = new AbortController();
  informers.start(abort.signal);
  t.teardown(async () => {
    abort.abort();
    await informers.shutdown();
  });
  t.ok(await informers.waitForCacheSync(abort.signal), 'caches synced');
  /** let the watch deliver what the fakes were told */
  const settle = () => new Promise((r) => setImmediate(r));
  return { ...cluster, clock, controller, settle };
}

t.test('writes the status once, then has nothing to write', async (t) => {
  const c = await setup(t);
  c.pods.create(json(testPod('p1')));
  c.pods.create(json(testPod('p2')));
  c.budgets.create(json(testBudget('pdb', { minAvailable: 1 })));
  await c.settle();

  t.equal(await c.controller.reconcile('default/pdb'), undefined);
  t.equal(c.statusWrites.length, 1);
  t.match(c.statusWrites[0]?.['status'], { observedGeneration: 1, currentHealthy: 2, desiredHealthy: 1, expectedPods: 2, disruptionsAllowed: 1 });
  await c.settle();
  await c.controller.reconcile('default/pdb');
  t.equal(c.statusWrites.length, 1, 'our own write came back; nothing changed, nothing written');

  await c.controller.reconcile('default/missing');
  t.equal(c.statusWrites.length, 1, 'a deleted budget is left alone');
});

t.test('a recorded eviction holds its pod back, and the budget is looked at again when it expires', async (t) => {
  const c = await setup(t);
  c.pods.create(json(testPod('p1')));
  c.pods.create(json(testPod('p2')));
  const evictedAt = c.clock.now() - 30_000;
  c.budgets.create(json(testBudget('pdb', { minAvailable: 1, status: { disruptedPods: { p1: formatTime(evictedAt) } } })));
  await c.settle();

  const result = await c.controller.reconcile('default/pdb');
  t.same(result, { requeueAfter: 90_001 }, 'just after the 2-minute record expires');
  t.match(c.statusWrites.at(-1)?.['status'], { currentHealthy: 1, disruptionsAllowed: 0, disruptedPods: { p1: formatTime(evictedAt) } });

  c.clock.step(90_001);
  await c.settle();
  t.equal(await c.controller.reconcile('default/pdb'), undefined);
  t.match(c.statusWrites.at(-1)?.['status'], { currentHealthy: 2, disruptionsAllowed: 1 });
  t.notOk((c.statusWrites.at(-1)?.['status'] as Record<string, unknown>)['disruptedPods'], 'the expired record is dropped');
});

t.test('a Conflict is rethrown (retry on fresh data); other failures write the fail-safe status', async (t) => {
  const c = await setup(t);
  c.pods.create(json(testPod('p1')));
  c.budgets.create(json(testBudget('pdb', { minAvailable: 1 })));
  // a pod owned by a controller the cluster does not have: maxUnavailable cannot be worked out
  c.pods.create(json(testPod('orphan', { labels: { app: 'orphan' }, owner: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'gone', uid: 'x', controller: true } })));
  c.budgets.create(json(testBudget('orphan', { maxUnavailable: 1, selector: { matchLabels: { app: 'orphan' } } })));
  await c.settle();

  c.failNextStatusWrite(new ApiError({ code: 409, reason: 'Conflict', message: 'the object has been modified' }));
  const conflict = await Promise.resolve(c.controller.reconcile('default/pdb')).then(
    () => undefined,
    (err: unknown) => err,
  );
  t.equal(conflict instanceof ApiError && conflict.reason, 'Conflict', 'the Conflict is rethrown');
  t.equal(c.statusWrites.length, 0);

  t.equal(await c.controller.reconcile('default/orphan'), undefined);
  t.match(c.statusWrites.at(-1)?.['status'], {
    disruptionsAllowed: 0,
    conditions: [{ type: 'DisruptionAllowed', status: 'False', reason: 'SyncFailed', message: 'found no controllers for pod "orphan"' }],
  });
  await c.settle();
  await c.controller.reconcile('default/orphan');
  t.equal(c.statusWrites.length, 1, 'the same failure again writes nothing (no loop)');
});

t.test('pod events enqueue the budgets that select the pod', async (t) => {
  const c = await setup(t);
  c.budgets.create(json(testBudget('web', { minAvailable: 1 })));
  c.budgets.create(json(testBudget('all', { minAvailable: 1, selector: {} })));
  c.budgets.create(json(testBudget('none', { minAvailable: 1, selector: null })));
  c.budgets.create(json(testBudget('db', { minAvailable: 1, selector: { matchLabels: { app: 'db' } } })));
  await c.settle();
  const drain = async () => {
    const keys: string[] = [];
    while (c.controller.queue.len() > 0) {
      const next = await c.controller.queue.get();
      if (next.shutdown) break;
      keys.push(next.item);
      c.controller.queue.done(next.item);
    }
    return keys.sort();
  };
  await drain();

  c.pods.create(json(testPod('p1')));
  await c.settle();
  t.same(await drain(), ['default/all', 'default/web'], 'an empty selector selects every pod, a null one none');

  const moved = json(testPod('p1', { labels: { app: 'db' } }));
  c.pods.update(moved);
  await c.settle();
  t.same(await drain(), ['default/all', 'default/db', 'default/web'], 'a label change enqueues the old and the new budgets');

  c.pods.remove(moved);
  await c.settle();
  t.same(await drain(), ['default/all', 'default/db']);
});

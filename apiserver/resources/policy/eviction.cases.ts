import t from 'tap';
import type { KubeObject, ResourceDef, SubresourceRegistry } from '../../catalogue/resource-def.js';
import { apiErrors } from '../../errors/api-error.js';
import { NOW, testContext, testServices } from '../core/strategy-harness.js';
import { createEviction } from './eviction.js';

const podsDef = { group: '', plural: 'pods' } as ResourceDef;

/** an in-memory registry: objects by plural/namespace/name, with resourceVersions and delete preconditions */
function fakeRegistry(objects: KubeObject[], pdbPlural = 'poddisruptionbudgets') {
  const store = new Map<string, KubeObject>();
  const key = (plural: string, ns: string, name: string) => `${plural}/${ns}/${name}`;
  let rv = 100;
  for (const o of objects) store.set(key(o.kind === 'Pod' ? 'pods' : pdbPlural, o.metadata.namespace ?? '', o.metadata.name ?? ''), structuredClone(o));
  const deleted: Array<{ name: string; opts: unknown; dryRun: boolean }> = [];
  const registry: SubresourceRegistry = {
    async get(def, ns, name) {
      const o = store.get(key(def.plural, ns, name));
      if (!o) throw apiErrors.notFound({ group: def.group, resource: def.plural, name });
      return structuredClone(o);
    },
    async mutate(def, ns, name, _ctx, fn) {
      const next = fn(await registry.get(def, ns, name));
      next.metadata.resourceVersion = String(++rv);
      store.set(key(def.plural, ns, name), structuredClone(next));
      return next;
    },
    async delete(def, ns, name, ctx, opts) {
      const o = await registry.get(def, ns, name);
      const want = opts?.preconditions?.resourceVersion;
      if (want && want !== o.metadata.resourceVersion) throw apiErrors.conflict({ group: '', resource: 'pods', name }, 'Precondition failed');
      deleted.push({ name, opts, dryRun: ctx.dryRun });
      if (!ctx.dryRun) store.delete(key(def.plural, ns, name));
      return { object: o, deleted: true };
    },
    async list(def, ns) {
      return [...store.entries()].filter(([k]) => k.startsWith(`${def.plural}/${ns}/`)).map(([, o]) => structuredClone(o));
    },
    lookup: () => undefined,
  };
  const pdbNamed = (name: string) => store.get(key(pdbPlural, 'default', name));
  return { registry, deleted, pdbNamed, store };
}

const runningPod = (extra: Record<string, unknown> = {}, ready = true): KubeObject => ({
  kind: 'Pod',
  metadata: { name: 'web-1', namespace: 'default', labels: { app: 'web' }, resourceVersion: '7' },
  spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'nginx' }] },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  ...extra,
});
const budget = (name: string, status: Record<string, unknown>, spec: Record<string, unknown> = {}, generation = 1): KubeObject => ({
  kind: 'PodDisruptionBudget',
  metadata: { name, namespace: 'default', generation },
  spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } }, ...spec },
  status: { observedGeneration: 1, currentHealthy: 2, desiredHealthy: 1, expectedPods: 2, ...status },
});

const evict = (registry: SubresourceRegistry, body: Record<string, unknown> = {}, dryRun = false) =>
  createEviction({
    def: podsDef,
    namespace: 'default',
    name: 'web-1',
    body: { metadata: { name: 'web-1' }, ...body } as KubeObject,
    ctx: { ...testContext(), dryRun },
    registry,
    services: testServices,
  });

const success = { code: 201, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } };

t.test('no budget: the pod is deleted with the eviction deleteOptions', async (t) => {
  const { registry, deleted } = fakeRegistry([runningPod()]);
  t.same(await evict(registry, { deleteOptions: { gracePeriodSeconds: 5 } }), success);
  t.same(deleted, [{ name: 'web-1', opts: { gracePeriodSeconds: 5 }, dryRun: false }]);
});

t.test('name mismatch', async (t) => {
  const { registry } = fakeRegistry([runningPod()]);
  await t.rejects(evict(registry, { metadata: { name: 'other' } }), { code: 400, message: 'name in URL does not match name in Eviction object' });
});

t.test('missing pod', async (t) => {
  const { registry } = fakeRegistry([]);
  await t.rejects(evict(registry), { code: 404 });
});

t.test('a budget with room: decremented, the pod recorded, then deleted', async (t) => {
  const { registry, deleted, pdbNamed } = fakeRegistry([runningPod(), budget('web-pdb', { disruptionsAllowed: 1 })]);
  t.same(await evict(registry), success);
  t.equal(deleted.length, 1);
  const status = pdbNamed('web-pdb')!.status as Record<string, unknown>;
  t.equal(status.disruptionsAllowed, 0);
  t.same(status.disruptedPods, { 'web-1': NOW.toISOString().replace('.000Z', 'Z') });
  t.match(status.conditions, [{ type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods', message: '', observedGeneration: 1 }]);
});

t.test('a budget with more room keeps its condition', async (t) => {
  const { registry, pdbNamed } = fakeRegistry([runningPod(), budget('web-pdb', { disruptionsAllowed: 2 })]);
  await evict(registry);
  const status = pdbNamed('web-pdb')!.status as Record<string, unknown>;
  t.equal(status.disruptionsAllowed, 1);
  t.equal(status.conditions, undefined);
});

t.test('a budget without room: 429 with kube cause', async (t) => {
  const { registry, deleted } = fakeRegistry([runningPod(), budget('web-pdb', { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1 })]);
  await t.rejects(evict(registry), {
    code: 429,
    reason: 'TooManyRequests',
    message: "Cannot evict pod as it would violate the pod's disruption budget.",
    details: { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget web-pdb needs 1 healthy pods and has 1 currently' }] },
  });
  t.equal(deleted.length, 0);
});

t.test('a budget the controller has not seen yet: 429, retry in 10s', async (t) => {
  const { registry } = fakeRegistry([runningPod(), budget('web-pdb', { disruptionsAllowed: 3 }, {}, 2)]);
  await t.rejects(evict(registry), {
    code: 429,
    details: { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget web-pdb is still being processed by the server.' }], retryAfterSeconds: 10 },
  });
});

t.test('negative allowance is forbidden', async (t) => {
  const { registry } = fakeRegistry([runningPod(), budget('web-pdb', { disruptionsAllowed: -1 })]);
  await t.rejects(evict(registry), { code: 403, message: 'poddisruptionbudget.policy "web-pdb" is forbidden: pdb disruptions allowed is negative' });
});

t.test('two budgets: 500 Status', async (t) => {
  const { registry, deleted } = fakeRegistry([runningPod(), budget('a', { disruptionsAllowed: 1 }), budget('b', { disruptionsAllowed: 1 })]);
  t.same(await evict(registry), {
    code: 500,
    body: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
      code: 500,
    },
  });
  t.equal(deleted.length, 0);
});

t.test('budgets that select nothing or another app do not count', async (t) => {
  const { registry, deleted } = fakeRegistry([
    runningPod(),
    budget('empty', { disruptionsAllowed: 0 }, { selector: {} }),
    budget('none', { disruptionsAllowed: 0 }, { selector: null }),
    budget('other', { disruptionsAllowed: 0 }, { selector: { matchLabels: { app: 'db' } } }),
  ]);
  t.same(await evict(registry), success);
  t.equal(deleted.length, 1);
});

t.test('pods the budget need not guard are deleted directly', async (t) => {
  const cases: Array<[string, KubeObject, unknown]> = [
    ['succeeded', runningPod({ status: { phase: 'Succeeded' } }), {}],
    ['failed', runningPod({ status: { phase: 'Failed' } }), {}],
    ['terminating', runningPod({ metadata: { name: 'web-1', namespace: 'default', labels: { app: 'web' }, resourceVersion: '7', deletionTimestamp: NOW.toISOString() } }), {}],
    ['pending', runningPod({ status: { phase: 'Pending' } }), { preconditions: { resourceVersion: '7' } }],
    ['unscheduled', runningPod({ spec: { containers: [] } }), { preconditions: { resourceVersion: '7' } }],
  ];
  for (const [name, pod, opts] of cases) {
    const { registry, deleted, pdbNamed } = fakeRegistry([pod, budget('web-pdb', { disruptionsAllowed: 0 })]);
    t.same(await evict(registry), success, name);
    t.same(deleted[0]?.opts, opts, `${name}: delete options`);
    t.equal((pdbNamed('web-pdb')!.status as Record<string, unknown>).disruptionsAllowed, 0, `${name}: budget untouched`);
  }
});

t.test('unready pods', async (t) => {
  const healthy = fakeRegistry([runningPod({}, false), budget('web-pdb', { disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2 })]);
  t.same(await evict(healthy.registry), success, 'the budget is met without it');
  t.same(healthy.deleted[0]?.opts, { preconditions: { resourceVersion: '7' } });

  const short = fakeRegistry([runningPod({}, false), budget('web-pdb', { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 2 })]);
  await t.rejects(evict(short.registry), { code: 429 }, 'IfHealthyBudget: an unhealthy budget protects even unready pods');

  const always = fakeRegistry([
    runningPod({}, false),
    budget('web-pdb', { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 2 }, { unhealthyPodEvictionPolicy: 'AlwaysAllow' }),
  ]);
  t.same(await evict(always.registry), success, 'AlwaysAllow');
});

t.test('dry run decrements nothing and deletes nothing', async (t) => {
  const viaQuery = fakeRegistry([runningPod(), budget('web-pdb', { disruptionsAllowed: 1 })]);
  t.same(await evict(viaQuery.registry, {}, true), success);
  t.equal((viaQuery.pdbNamed('web-pdb')!.status as Record<string, unknown>).disruptionsAllowed, 1);
  t.same(viaQuery.deleted, [{ name: 'web-1', opts: { dryRun: true }, dryRun: true }]);

  const viaBody = fakeRegistry([runningPod(), budget('web-pdb', { disruptionsAllowed: 0 })]);
  await t.rejects(evict(viaBody.registry, { deleteOptions: { dryRun: ['All'] } }), { code: 429 }, 'a dry run still reports a violation');
});

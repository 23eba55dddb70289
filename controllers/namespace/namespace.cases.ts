/**
 * The namespace controller: kube's deletion conditions (table), the finalizer list sent to
 * /finalize, the pod estimate, and reconcile against the fake cluster — content deleted,
 * conditions written, the namespace finalized; objects held by finalizers keep it
 * (NamespaceFinalizersRemaining) and a repeat pass writes nothing new.
 */
import t from 'tap';
import type { V1Namespace, V1NamespaceCondition } from '@kubernetes/client-node';
import { FakeClock } from '../../client/clock.js';
import { SharedInformerFactory } from '../../client/informers/index.js';
import type { KubeClient, KubeObject, ResourceClient } from '../../client/types.js';
import { FakeCluster } from '../common/testing/fake-cluster.js';
import { deletionConditions, finalizersWithout, podTerminationEstimate, type DeletionOutcome } from './deletion-conditions.js';
import { deletableResources } from './namespaced-content-deleter.js';
import { NamespaceController } from './namespace-controller.js';
import type { ServerResource } from './server-resources.js';

const NOW = Date.UTC(2026, 0, 1);
const empty = (): DeletionOutcome => ({ contentErrors: [], remaining: new Map(), finalizers: new Map() });
const brief = (cs: V1NamespaceCondition[]) => cs.map((c) => [c.type, c.status, c.reason, c.message]);

t.test('deletion conditions: kube types, reasons and messages', async (t) => {
  const ok = deletionConditions(undefined, empty(), NOW);
  t.ok(ok.changed);
  t.same(brief(ok.conditions), [
    ['NamespaceDeletionDiscoveryFailure', 'False', 'ResourcesDiscovered', 'All resources successfully discovered'],
    ['NamespaceDeletionGroupVersionParsingFailure', 'False', 'ParsedGroupVersions', 'All legacy kube types successfully parsed'],
    ['NamespaceDeletionContentFailure', 'False', 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization'],
    ['NamespaceContentRemaining', 'False', 'ContentRemoved', 'All content successfully removed'],
    ['NamespaceFinalizersRemaining', 'False', 'ContentRemoved', 'All content successfully removed'],
  ]);
  t.notOk(deletionConditions(ok.conditions, empty(), NOW + 1000).changed, 'same outcome: unchanged');

  const failing = deletionConditions(
    ok.conditions,
    {
      discoveryError: 'boom',
      contentErrors: ['b failed', 'a failed'],
      remaining: new Map([
        ['pods', 2],
        ['widgets.example.com', 1],
      ]),
      finalizers: new Map([['example.com/hold', 1]]),
    },
    NOW + 5000,
  );
  t.ok(failing.changed);
  t.same(brief(failing.conditions), [
    ['NamespaceDeletionDiscoveryFailure', 'True', 'DiscoveryFailed', 'boom'],
    ['NamespaceDeletionGroupVersionParsingFailure', 'False', 'ParsedGroupVersions', 'All legacy kube types successfully parsed'],
    ['NamespaceDeletionContentFailure', 'True', 'ContentDeletionFailed', 'Failed to delete all resource types, 2 remaining: a failed, b failed'],
    ['NamespaceContentRemaining', 'True', 'SomeResourcesRemain', 'Some resources are remaining: pods has 2 resource instances, widgets.example.com has 1 resource instances'],
    ['NamespaceFinalizersRemaining', 'True', 'SomeFinalizerRemain', 'Some finalizers are remaining: example.com/hold in 1 resource instances'],
  ]);
  t.equal(failing.conditions[0]!.lastTransitionTime as unknown as string, '2026-01-01T00:00:05Z', 'a status flip moves lastTransitionTime');
  t.equal(failing.conditions[1]!.lastTransitionTime as unknown as string, '2026-01-01T00:00:00Z', 'an unchanged one keeps it');
});

t.test('finalizers, estimates and deletable resources', async (t) => {
  t.same(finalizersWithout(['kubernetes', 'z.io/x', 'a.io/y', 'a.io/y'], 'kubernetes'), ['a.io/y', 'z.io/x']);
  t.equal(podTerminationEstimate([{ spec: {} }, { spec: { terminationGracePeriodSeconds: 5 } }, { status: { phase: 'Succeeded' }, spec: { terminationGracePeriodSeconds: 90 } }]), 30);
  t.equal(podTerminationEstimate([]), 0);
  const r = (resource: string, group: string, version: string, namespaced: boolean, verbs: string[]): ServerResource => ({ resource, group, version, kind: resource, namespaced, verbs });
  t.same(
    deletableResources([r('pods', '', 'v1', true, ['delete', 'list']), r('nodes', '', 'v1', false, ['delete']), r('bindings', '', 'v1', true, ['create']), r('hpa', 'autoscaling', 'v2', true, ['delete']), r('hpa', 'autoscaling', 'v1', true, ['delete'])]).map((x) => `${x.resource}/${x.version}`),
    ['pods/v1', 'hpa/v2'],
    'namespaced, deletable, one version per group-resource',
  );
});

const RESOURCES: ServerResource[] = [
  { group: '', version: 'v1', kind: 'ConfigMap', resource: 'configmaps', namespaced: true, verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'watch'] },
  { group: '', version: 'v1', kind: 'Secret', resource: 'secrets', namespaced: true, verbs: ['create', 'delete', 'get', 'list', 'watch'] },
  { group: '', version: 'v1', kind: 'Namespace', resource: 'namespaces', namespaced: false, verbs: ['create', 'delete', 'get', 'list', 'watch'] },
];

/** the fake cluster plus PUT …/finalize: recorded, and it releases the namespace as the API server would */
function harness(objects: KubeObject[]) {
  const clock = new FakeClock(NOW);
  const fake = new FakeCluster();
  fake.now = () => clock.now();
  fake.seed(...objects);
  const finalized: Array<string[] | undefined> = [];
  const client: KubeClient = {
    ...fake.client,
    resource<T extends KubeObject>(apiVersion: string, kind: string) {
      const inner = fake.client.resource<T>(apiVersion, kind);
      if (kind !== 'Namespace') return inner;
      const withFinalize: ResourceClient<T> = {
        ...inner,
        async updateSubresource(obj, subresource) {
          if (subresource !== 'finalize') throw new Error(`unexpected subresource ${subresource}`);
          const spec = (obj as unknown as V1Namespace).spec;
          finalized.push(spec?.finalizers);
          if ((spec?.finalizers ?? []).length === 0) fake.remove('v1', 'Namespace', obj.metadata!.name!);
          return obj;
        },
      };
      return withFinalize;
    },
  };
  const informers = new SharedInformerFactory(client, { clock });
  const controller = new NamespaceController({ client, informers, discover: async () => RESOURCES, clock, settings: { contentRemainingRequeueMs: 50 } });
  return { fake, controller, finalized, clock };
}

// metadata.finalizers stands in for spec.finalizers: the fake server removes a marked object once those are empty
const terminating = (): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'doomed', deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['example.com/fake-spec-finalizers'] },
  spec: { finalizers: ['kubernetes'] },
  status: { phase: 'Terminating' },
});
const cm = (name: string, finalizers?: string[]): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'doomed', ...(finalizers ? { finalizers } : {}) } });
const secret = (name: string, namespace = 'doomed'): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace } });

t.test('a terminating namespace is emptied, its conditions written, then finalized', async (t) => {
  const h = harness([terminating(), cm('a'), cm('b'), secret('s'), secret('keep', 'other')]);
  const result = await h.controller.reconcile('doomed');
  t.equal(result, undefined);
  t.same(h.fake.list('v1', 'ConfigMap', 'doomed'), []);
  t.same(h.fake.list('v1', 'Secret', 'doomed'), []);
  t.equal(h.fake.list('v1', 'Secret', 'other').length, 1, 'other namespaces are untouched');
  t.same(
    h.fake.writes.map((w) => `${w.verb} ${w.kind} ${w.name}`),
    ['delete ConfigMap a', 'delete ConfigMap b', 'delete Secret s', 'updateStatus Namespace doomed'],
  );
  t.match(h.fake.writes[0]!.body, { propagationPolicy: 'Background' });
  t.same(h.finalized, [[]], 'finalize sent without `kubernetes`');
});

t.test('objects held by finalizers keep the namespace, and a repeat pass writes nothing', async (t) => {
  const h = harness([terminating(), cm('held', ['example.com/wait'])]);
  const result = await h.controller.reconcile('doomed');
  t.same(result, { requeueAfter: 50 });
  t.same(h.finalized, [], 'not finalized');
  const conditions = (h.fake.get('v1', 'Namespace', 'doomed')?.status as { conditions: V1NamespaceCondition[] }).conditions;
  t.match(brief(conditions).slice(3), [
    ['NamespaceContentRemaining', 'True', 'SomeResourcesRemain', 'Some resources are remaining: configmaps has 1 resource instances'],
    ['NamespaceFinalizersRemaining', 'True', 'SomeFinalizerRemain', 'Some finalizers are remaining: example.com/wait in 1 resource instances'],
  ]);
  h.fake.clearWrites();
  t.same(await h.controller.reconcile('doomed'), { requeueAfter: 50 });
  t.same(h.fake.writes, [], 'steady state: the held object is not deleted again, the conditions are unchanged');

  // the finalizer's owner lets go: the next pass finishes
  const held = structuredClone(h.fake.get('v1', 'ConfigMap', 'held', 'doomed')!);
  held.metadata!.finalizers = [];
  h.fake.remove('v1', 'ConfigMap', 'held', 'doomed');
  t.equal(await h.controller.reconcile('doomed'), undefined);
  t.same(h.finalized, [[]]);
  t.equal(h.fake.get('v1', 'Namespace', 'doomed'), undefined, 'the namespace is gone');
});

t.test('active namespaces and missing ones are left alone', async (t) => {
  const h = harness([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'live' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } }, cm('x')]);
  t.equal(await h.controller.reconcile('live'), undefined);
  t.equal(await h.controller.reconcile('nope'), undefined);
  t.same(h.fake.writes, []);
});

t.test('a failed deletion is reported in NamespaceDeletionContentFailure and retried', async (t) => {
  const h = harness([terminating(), secret('s')]);
  h.fake.failNext('delete', 'Secret', new Error('secrets "s" is forbidden'));
  await t.rejects(h.controller.reconcile('doomed'), /secrets "s" is forbidden/);
  const conditions = (h.fake.get('v1', 'Namespace', 'doomed')?.status as { conditions: V1NamespaceCondition[] }).conditions;
  t.match(brief(conditions)[2], ['NamespaceDeletionContentFailure', 'True', 'ContentDeletionFailed', 'Failed to delete all resource types, 1 remaining: secrets "s" is forbidden']);
  t.equal(await h.controller.reconcile('doomed'), undefined, 'the retry succeeds');
  t.same(h.finalized, [[]]);
});

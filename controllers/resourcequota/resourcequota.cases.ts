/**
 * The resource quota controller: quantity arithmetic and printing, usage per evaluator and
 * scope (tables), and reconcile against the fake cluster — status written once, nothing
 * written in the steady state, recalculated when a counted object goes away.
 */
import t from 'tap';
import type { V1Pod, V1ResourceQuota } from '@kubernetes/client-node';
import { FakeClock } from '../../client/clock.js';
import { SharedInformerFactory } from '../../client/informers/index.js';
import type { KubeObject } from '../../client/types.js';
import { FakeCluster } from '../common/testing/fake-cluster.js';
import type { ServerResource } from '../namespace/server-resources.js';
import { desiredQuotaStatus, groupResourcesFor, quotaStatusUpToDate } from './quota-usage.js';
import { addQuantities, formatQuantity, parseExactQuantity, zeroQuantity } from '../../client/quantity.js';
import { ResourceQuotaController, usageMayDiffer } from './resource-quota-controller.js';

const NOW = Date.UTC(2026, 0, 1);

t.test('quantities print in kube canonical form and add exactly', async (t) => {
  const cases: Array<[string, string]> = [
    ['100m', '100m'],
    ['1.5', '1500m'],
    ['1000', '1k'],
    ['128Mi', '128Mi'],
    ['1.5Gi', '1536Mi'],
    ['512Ki', '512Ki'],
    ['1e3', '1e3'],
    ['0', '0'],
  ];
  for (const [input, want] of cases) t.equal(formatQuantity(parseExactQuantity(input)!), want, input);
  let sum = zeroQuantity();
  for (let i = 0; i < 10; i++) sum = addQuantities(sum, parseExactQuantity('100m')!);
  t.equal(formatQuantity(sum), '1', 'ten 100m make exactly 1');
  const memory = addQuantities(addQuantities(zeroQuantity(), parseExactQuantity('64Mi')!), parseExactQuantity('64Mi')!);
  t.equal(formatQuantity(memory), '128Mi', 'a zero sum takes the first addend format (binary stays binary)');
  t.equal(parseExactQuantity('bogus'), undefined);
});

const pod = (name: string, o: { cpu?: string; memory?: string; limitsCpu?: string; phase?: string; deadline?: number; priorityClassName?: string; initCpu?: string } = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'ns' },
  spec: {
    ...(o.deadline !== undefined ? { activeDeadlineSeconds: o.deadline } : {}),
    ...(o.priorityClassName ? { priorityClassName: o.priorityClassName } : {}),
    containers: [
      {
        name: 'c',
        image: 'x',
        resources: {
          ...(o.cpu || o.memory ? { requests: { ...(o.cpu ? { cpu: o.cpu } : {}), ...(o.memory ? { memory: o.memory } : {}) } } : {}),
          ...(o.limitsCpu ? { limits: { cpu: o.limitsCpu } } : {}),
        },
      },
    ],
    ...(o.initCpu ? { initContainers: [{ name: 'i', image: 'x', resources: { requests: { cpu: o.initCpu } } }] } : {}),
  },
  status: { phase: o.phase ?? 'Running' },
});

const quota = (hard: Record<string, string>, extra: Partial<V1ResourceQuota['spec']> = {}, status?: V1ResourceQuota['status']): V1ResourceQuota =>
  ({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'ns' }, spec: { hard, ...extra }, ...(status ? { status } : {}) }) as V1ResourceQuota;

t.test('desiredQuotaStatus: usage per evaluator and scope', async (t) => {
  const pods = [
    pod('a', { cpu: '100m', memory: '64Mi', limitsCpu: '200m' }),
    pod('b', { cpu: '250m', memory: '64Mi', deadline: 30 }),
    pod('done', { cpu: '1', phase: 'Succeeded' }),
    pod('be'),
    pod('init', { cpu: '100m', initCpu: '500m', priorityClassName: 'high' }),
  ];
  const svc = (name: string, type: string, ports: number): KubeObject => ({ metadata: { name, namespace: 'ns' }, spec: { type, ports: Array.from({ length: ports }, (_, i) => ({ port: 80 + i })) } });
  const objects: Record<string, KubeObject[]> = {
    pods,
    services: [svc('a', 'ClusterIP', 1), svc('b', 'NodePort', 2), svc('c', 'LoadBalancer', 1)],
    configmaps: [{ metadata: { name: 'a' } }, { metadata: { name: 'b' } }],
    secrets: [{ metadata: { name: 's' } }],
    persistentvolumeclaims: [{ metadata: { name: 'p' }, spec: { resources: { requests: { storage: '1Gi' } } } }],
    'deployments.apps': [{ metadata: { name: 'd' } }],
  };
  const objectsOf = (gr: string) => objects[gr] ?? (gr === 'resourcequotas' ? [{}] : undefined);
  const cases: Array<{ name: string; quota: V1ResourceQuota; used: Record<string, string> }> = [
    {
      name: 'pods count only non-terminal ones; requests and limits sum, init containers raise the peak',
      quota: quota({ pods: '10', 'count/pods': '10', 'requests.cpu': '4', cpu: '4', 'requests.memory': '1Gi', 'limits.cpu': '4' }),
      used: { pods: '4', 'count/pods': '5', 'requests.cpu': '850m', cpu: '850m', 'requests.memory': '128Mi', 'limits.cpu': '200m' },
    },
    {
      name: 'object counts, services, storage',
      quota: quota({ services: '9', 'services.nodeports': '9', 'services.loadbalancers': '9', configmaps: '9', secrets: '9', persistentvolumeclaims: '9', 'requests.storage': '10Gi', 'count/deployments.apps': '9', resourcequotas: '1' }),
      used: { services: '3', 'services.nodeports': '3', 'services.loadbalancers': '1', configmaps: '2', secrets: '1', persistentvolumeclaims: '1', 'requests.storage': '1Gi', 'count/deployments.apps': '1', resourcequotas: '1' },
    },
    { name: 'Terminating scope: pods with activeDeadlineSeconds', quota: quota({ pods: '9' }, { scopes: ['Terminating'] }), used: { pods: '1' } },
    { name: 'NotTerminating scope', quota: quota({ pods: '9' }, { scopes: ['NotTerminating'] }), used: { pods: '3' } },
    { name: 'BestEffort scope', quota: quota({ pods: '9' }, { scopes: ['BestEffort'] }), used: { pods: '1' } },
    { name: 'NotBestEffort scope', quota: quota({ pods: '9', 'requests.cpu': '9' }, { scopes: ['NotBestEffort'] }), used: { pods: '3', 'requests.cpu': '850m' } },
    {
      name: 'PriorityClass scope selector In',
      quota: quota({ pods: '9' }, { scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] } }),
      used: { pods: '1' },
    },
    { name: 'no matching objects: zero', quota: quota({ 'requests.memory': '1Gi' }, { scopes: ['Terminating', 'BestEffort'] }), used: { 'requests.memory': '0' } },
    { name: 'an untracked name keeps its old value', quota: quota({ 'example.com/widgets': '3' }, {}, { used: { 'example.com/widgets': '2' } }), used: { 'example.com/widgets': '2' } },
  ];
  for (const c of cases) {
    const got = desiredQuotaStatus(c.quota, objectsOf, NOW);
    t.same(got.used, c.used, c.name);
    t.same(got.hard, c.quota.spec?.hard, `${c.name}: hard = spec.hard`);
  }
});

t.test('status comparison is by value; group-resources per quota', async (t) => {
  const q = quota({ memory: '1Gi' }, {}, { hard: { memory: '1073741824' }, used: { memory: '0' } });
  t.ok(quotaStatusUpToDate(q, { hard: { memory: '1Gi' }, used: { memory: '0' } }));
  t.notOk(quotaStatusUpToDate(q, { hard: { memory: '1Gi' }, used: { memory: '1' } }));
  t.notOk(quotaStatusUpToDate(quota({ pods: '1' }), { hard: { pods: '1' }, used: { pods: '0' } }), 'no status yet');
  t.same(groupResourcesFor({ pods: '1', 'requests.cpu': '1', 'count/jobs.batch': '2', configmaps: '1' }).sort(), ['configmaps', 'jobs.batch', 'pods']);
  const p = pod('a', { cpu: '1' }) as V1Pod as unknown as KubeObject;
  const statusOnly = { ...structuredClone(p), metadata: { ...p.metadata, resourceVersion: '2' }, status: { phase: 'Running', podIP: '10.0.0.1' } };
  t.notOk(usageMayDiffer('pods', { ...p, metadata: { ...p.metadata, resourceVersion: '1' } }, statusOnly, NOW), 'a pod IP does not change usage');
  const finished = { ...statusOnly, metadata: { ...statusOnly.metadata, resourceVersion: '3' }, status: { phase: 'Succeeded' } };
  t.ok(usageMayDiffer('pods', statusOnly, finished, NOW), 'finishing does');
});

t.test('reconcile writes the status once, then nothing; a deleted pod is subtracted', async (t) => {
  const clock = new FakeClock(NOW);
  const fake = new FakeCluster();
  fake.now = () => clock.now();
  fake.seed(
    { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'ns' }, spec: { hard: { pods: '5', configmaps: '5', 'count/jobs.batch': '5', 'count/widgets.example.com': '5' } } },
    pod('a', { cpu: '1' }),
    pod('b'),
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'ns' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other', namespace: 'elsewhere' } },
    { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'ns' } },
  );
  const discovered: ServerResource[] = [{ group: 'batch', version: 'v1', kind: 'Job', resource: 'jobs', namespaced: true, verbs: ['list', 'watch', 'delete'] }];
  const informers = new SharedInformerFactory(fake.client, { clock });
  const controller = new ResourceQuotaController({ client: fake.client, informers, discover: async () => discovered, clock, settings: { pendingRetryMs: 10 } });
  const abort = new AbortController();
  t.teardown(() => abort.abort());
  informers.start(abort.signal);
  await informers.waitForCacheSync(abort.signal);

  let result = await controller.reconcile('ns/q');
  if (result && result.requeueAfter) {
    // the Job informer was started on demand: wait for it, as the timed requeue would
    await informers.waitForCacheSync(abort.signal);
    result = await controller.reconcile('ns/q');
  }
  t.equal(result, undefined, 'nothing pending once every kind is synced');
  const statusWrites = () => fake.writes.filter((w) => w.verb === 'updateStatus');
  t.ok(statusWrites().length >= 1);
  const stored = fake.get<V1ResourceQuota & KubeObject>('v1', 'ResourceQuota', 'q', 'ns');
  t.same(
    stored?.status,
    { hard: { pods: '5', configmaps: '5', 'count/jobs.batch': '5', 'count/widgets.example.com': '5' }, used: { pods: '2', configmaps: '1', 'count/jobs.batch': '1' } },
    'counted in its namespace only; a kind the server does not serve gets no usage (kube has no evaluator for it)',
  );

  fake.clearWrites();
  await new Promise((r) => setImmediate(r));
  await controller.reconcile('ns/q');
  await controller.reconcile('ns/q');
  t.same(fake.writes, [], 'steady state: no writes');

  fake.remove('v1', 'Pod', 'b', 'ns');
  await new Promise((r) => setImmediate(r));
  t.ok(controller.queue.len() >= 1, 'the deletion enqueued the quota');
  await controller.reconcile('ns/q');
  t.equal((fake.get('v1', 'ResourceQuota', 'q', 'ns')?.status as { used: Record<string, string> }).used.pods, '1');
});

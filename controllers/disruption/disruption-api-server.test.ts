/**
 * The disruption controller against a real API server (startCluster, memory store, no
 * nodes, its built-in controllers off so ours is the only one), authenticated as
 * system:kube-controller-manager: a budget gets its status, one eviction goes through,
 * the next is refused with 429 — what `kubectl drain` relies on — and a settled budget is
 * not written again. A second budget takes its expected count from a ReplicaSet's scale.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1PodDisruptionBudget } from '@kubernetes/client-node';
import { pino } from 'pino';
import t from 'tap';
import { startCluster } from '../../cli/start-cluster.js';
import { ApiError } from '../../client/api-error.js';
import { createClient } from '../../client/create-client.js';
import type { KubeClient, KubeObject } from '../../client/types.js';
import { startControllers } from '../controller-manager.js';

/** poll until `check` returns a value (the controller acts asynchronously); fails after 10 s */
async function eventually<T>(check: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const readyPod = (name: string, labels: Record<string, string>, owner?: KubeObject): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace: 'default',
    labels,
    ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner.metadata!.name!, uid: owner.metadata!.uid!, controller: true }] } : {}),
  },
  // scheduled, so an eviction has to ask the budget (unscheduled pods are deleted at once)
  spec: { nodeName: 'k8ts-node-1', containers: [{ name: 'c', image: 'busybox' }] },
});

async function createReadyPod(admin: KubeClient, pod: KubeObject): Promise<void> {
  const pods = admin.resource('v1', 'Pod');
  await pods.create(pod);
  await pods.patch(pod.metadata!.name!, 'merge', { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } }, { namespace: 'default', subresource: 'status' });
}

const budget = (name: string, spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name, namespace: 'default' },
  spec,
});

const evict = (admin: KubeClient, name: string) =>
  admin.resource('v1', 'Pod').createSubresource(name, 'eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'default' } }, { namespace: 'default' });

t.test('disruption controller on a real API server', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-disruption-'));
  const cluster = await startCluster({ dataDir: join(dir, 'data'), port: 0, store: 'memory', nodes: 0, logLevel: 'silent', controllers: false });
  const connect = (user: string) => createClient({ server: cluster.url, ca: cluster.ca, ...cluster.credentials(user) });
  const admin = connect('admin');
  const cmClient = connect('system:kube-controller-manager');
  let controllers: { stop(): Promise<void> } | undefined;
  t.teardown(async () => {
    await controllers?.stop();
    admin.close();
    cmClient.close();
    await cluster.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const pdbs = admin.resource<KubeObject>('policy/v1', 'PodDisruptionBudget');
  const statusOf = async (name: string) => (await pdbs.get(name, { namespace: 'default' })) as unknown as V1PodDisruptionBudget;

  await createReadyPod(admin, readyPod('web-1', { app: 'web' }));
  await createReadyPod(admin, readyPod('web-2', { app: 'web' }));
  controllers = await startControllers({ client: cmClient, logger: pino({ level: 'silent' }) });

  t.test('minAvailable 1 over two ready pods: one eviction allowed, the second refused', async (t) => {
    await pdbs.create(budget('web', { minAvailable: 1, selector: { matchLabels: { app: 'web' } } }));
    const synced = await eventually(async () => {
      const pdb = await statusOf('web');
      return pdb.status?.observedGeneration === pdb.metadata?.generation && pdb.status?.disruptionsAllowed === 1 ? pdb : undefined;
    }, 'the budget to allow one disruption');
    t.match(synced.status, { currentHealthy: 2, desiredHealthy: 1, expectedPods: 2, disruptionsAllowed: 1 });
    t.match(synced.status?.conditions, [{ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods' }]);

    await evict(admin, 'web-1');
    const refused = await evict(admin, 'web-2').then(
      () => undefined,
      (err: unknown) => err,
    );
    t.ok(refused instanceof ApiError && refused.code === 429, 'the second eviction gets 429 TooManyRequests');

    // the controller catches up: web-1 is going (or recorded as evicted), so only web-2 is healthy
    const after = await eventually(async () => {
      const pdb = await statusOf('web');
      const insufficient = pdb.status?.conditions?.some((c) => c.type === 'DisruptionAllowed' && c.reason === 'InsufficientPods');
      return pdb.status?.currentHealthy === 1 && insufficient ? pdb : undefined;
    }, 'the budget to count one healthy pod');
    t.equal(after.status?.disruptionsAllowed, 0);
    t.equal(after.status?.expectedPods, 2);

    // settled: no more writes (our own status write comes back as an event and must be a no-op)
    const settledVersion = after.metadata?.resourceVersion;
    await new Promise((r) => setTimeout(r, 300));
    t.equal((await statusOf('web')).metadata?.resourceVersion, settledVersion, 'the settled budget is not rewritten');
  });

  t.test('maxUnavailable 1 takes the expected count from the ReplicaSet scale', async (t) => {
    const rs = await admin.resource('apps/v1', 'ReplicaSet').create({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'db', namespace: 'default' },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'db' } },
        template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
      },
    });
    await createReadyPod(admin, readyPod('db-1', { app: 'db' }, rs));
    await createReadyPod(admin, readyPod('db-2', { app: 'db' }, rs));
    await pdbs.create(budget('db', { maxUnavailable: 1, selector: { matchLabels: { app: 'db' } } }));
    const synced = await eventually(async () => {
      const pdb = await statusOf('db');
      return pdb.status?.observedGeneration === pdb.metadata?.generation && pdb.status?.expectedPods === 3 ? pdb : undefined;
    }, 'the budget to expect the 3 replicas');
    // 3 expected, 1 may be unavailable → 2 wanted healthy; 2 are → none to spare
    t.match(synced.status, { currentHealthy: 2, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 0 });

    // a budget over a pod whose controller is gone fails safe, with the reason
    await createReadyPod(admin, readyPod('orphan-1', { app: 'orphan' }, { metadata: { name: 'gone', uid: 'no-such-uid' } }));
    await pdbs.create(budget('orphan', { maxUnavailable: 1, selector: { matchLabels: { app: 'orphan' } } }));
    const failed = await eventually(async () => {
      const pdb = await statusOf('orphan');
      return pdb.status?.conditions?.some((c) => c.reason === 'SyncFailed') ? pdb : undefined;
    }, 'the orphan budget to fail safe');
    t.match(failed.status?.conditions, [{ type: 'DisruptionAllowed', status: 'False', reason: 'SyncFailed', message: 'found no controllers for pod "orphan-1"' }]);
    t.equal(failed.status?.disruptionsAllowed, 0);
    t.notOk(failed.status?.observedGeneration, 'a budget that never synced is still "being processed" for evictions');
    await new Promise((r) => setTimeout(r, 300));
    t.equal((await statusOf('orphan')).metadata?.resourceVersion, failed.metadata?.resourceVersion, 'the failure is not rewritten over and over');
  });
});

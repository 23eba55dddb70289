/**
 * The eviction handler over the real generic registry and store: the budget's status is
 * written through the status subresource (and survives PDB validation), the pod is gone.
 */
import t from 'tap';
import { openStore } from '../../../store/index.js';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { GenericRegistry } from '../../registry/generic-registry.js';
import { namespaces } from '../core/namespaces.js';
import { pods } from '../core/pods.js';
import { testContext, testServices } from '../core/strategy-harness.js';
import { createEviction } from './eviction.js';
import { podDisruptionBudgets } from './poddisruptionbudgets.js';

t.test('eviction through the generic registry', async (t) => {
  const store = await openStore({ backend: 'memory', compactionWindowMs: 0, leaseCheckIntervalMs: 0 });
  t.teardown(() => store.close());
  const ctx = testContext();
  const registry = new GenericRegistry(store, ctx.cluster);
  await registry.create(namespaces, '', { metadata: { name: 'default' } }, testContext(''));

  const runningPod = async (name: string) => {
    await registry.create(pods, 'default', { metadata: { name, labels: { app: 'web' } }, spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'nginx' }] } }, ctx);
    await registry.mutate(pods, 'default', name, ctx, (p) => ({ ...p, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } }), 'status');
  };
  await runningPod('web-1');
  await runningPod('web-2');
  await registry.create(podDisruptionBudgets, 'default', { metadata: { name: 'web-pdb' }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } } }, ctx);
  // what the disruption controller would write: two healthy, one disruption allowed
  await registry.mutate(
    podDisruptionBudgets,
    'default',
    'web-pdb',
    ctx,
    (pdb) => ({ ...pdb, status: { observedGeneration: 1, disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1, expectedPods: 2 } }),
    'status',
  );

  const evict = (name: string) =>
    createEviction({ def: pods, namespace: 'default', name, body: { metadata: { name } } as KubeObject, ctx, registry, services: testServices });

  t.match(await evict('web-1'), { code: 201 });
  const pdb = await registry.get(podDisruptionBudgets, 'default', 'web-pdb');
  t.match(pdb.status, { disruptionsAllowed: 0, disruptedPods: { 'web-1': String }, conditions: [{ type: 'DisruptionAllowed', status: 'False' }] });
  const evicted = await registry.get(pods, 'default', 'web-1');
  t.ok(evicted.metadata.deletionTimestamp, 'a scheduled pod is deleted gracefully');

  await t.rejects(evict('web-2'), { code: 429, details: { causes: [{ message: 'The disruption budget web-pdb needs 1 healthy pods and has 2 currently' }] } });
  t.notOk((await registry.get(pods, 'default', 'web-2')).metadata.deletionTimestamp, 'the pod stays');
});

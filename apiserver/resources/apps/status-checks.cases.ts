import t from 'tap';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { stored, update } from '../core/strategy-harness.js';
import { daemonsets } from './daemonsets.js';
import { deployments } from './deployments.js';
import { replicasets } from './replicasets.js';
import { statefulsets } from './statefulsets.js';
import { workload } from './test-fixtures.js';

/** a /status write: the stored object with a new status */
const statusWrite = (def: typeof deployments, status: Record<string, unknown>, oldStatus?: Record<string, unknown>) => {
  const old = stored(def, workload());
  if (oldStatus) old.status = oldStatus;
  const next: KubeObject = { ...structuredClone(old), status };
  return update(def, next, old, 'status').errors;
};

t.test('main-resource updates', async (t) => {
  t.same(update(deployments, workload({ replicas: 2 }), stored(deployments, workload())).errors, [], 'main updates keep the stored status');
});

t.test('deployment status', async (t) => {
  t.same(statusWrite(deployments, { replicas: 2, readyReplicas: 2, availableReplicas: 1, updatedReplicas: 2 }), []);
  t.same(statusWrite(deployments, { replicas: -1, updatedReplicas: -1, readyReplicas: -1, availableReplicas: -1 }), [
    'status.replicas: Invalid value: -1: must be greater than or equal to 0',
    'status.updatedReplicas: Invalid value: -1: must be greater than or equal to 0',
    'status.readyReplicas: Invalid value: -1: must be greater than or equal to 0',
    'status.availableReplicas: Invalid value: -1: must be greater than or equal to 0',
  ]);
  t.same(statusWrite(deployments, { replicas: 1, readyReplicas: 2, availableReplicas: 2 }), [
    'status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas',
    'status.availableReplicas: Invalid value: 2: cannot be greater than status.replicas',
  ]);
  t.same(statusWrite(deployments, { replicas: 2, readyReplicas: 1, availableReplicas: 2 }), ['status.availableReplicas: Invalid value: 2: cannot be greater than readyReplicas']);
  t.same(statusWrite(deployments, { collisionCount: 1 }, { collisionCount: 2 }), ['status.collisionCount: Invalid value: 1: cannot be decremented']);
  t.same(statusWrite(deployments, {}, { collisionCount: 2 }), ['status.collisionCount: Invalid value: 0: cannot be decremented']);
  t.same(statusWrite(deployments, { collisionCount: 3 }, { collisionCount: 2 }), []);
});

t.test('other kinds', async (t) => {
  t.same(statusWrite(replicasets, { replicas: 1, fullyLabeledReplicas: 2 }), ['status.fullyLabeledReplicas: Invalid value: 2: cannot be greater than status.replicas']);
  t.same(statusWrite(statefulsets, { replicas: 3, readyReplicas: 2, availableReplicas: 3 }), [
    'status.availableReplicas: Invalid value: 3: cannot be greater than status.readyReplicas',
  ]);
  t.same(statusWrite(daemonsets, { numberReady: -1, desiredNumberScheduled: 3 }), ['status.numberReady: Invalid value: -1: must be greater than or equal to 0']);
});

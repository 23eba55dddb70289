/**
 * The Deployment controller against the fake cluster: seeded objects → reconcile(key) →
 * exactly the writes kube's controller makes. The ReplicaSet controller is played by
 * hand (`settle` makes every RS's pods exist and be available), so each rollout can be
 * followed write by write; once converged, a sync writes nothing.
 */
import type { V1Pod } from '@kubernetes/client-node';
import t, { type Test } from 'tap';
import type { KubeObject } from '../../client/types.js';
import { flush, startFakeController } from '../common/testing/controller-harness.js';
import { editObject } from '../common/testing/edit-object.js';
import { REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION } from './annotations.js';
import { DeploymentController } from './deployment-controller.js';
import { computeHash } from './pod-template-hash.js';
import { deployment, replicaSet, T0, template } from './test-objects.js';
import type { Deployment, ReplicaSet } from './types.js';

const KEY = 'default/web';

async function harness(t: Test, objects: KubeObject[]) {
  const h = await startFakeController(t, { now: T0, objects }, (env) => new DeploymentController({ client: env.fake.client, informers: env.informers, recorder: env.recorder, clock: env.clock }));
  const { fake, controller, flush } = h;

  const sync = async () => {
    const result = await controller.reconcile(KEY);
    await flush();
    return result;
  };
  const deploy = () => fake.get<Deployment>('apps/v1', 'Deployment', 'web', 'default')!;
  const replicaSets = () => fake.list<ReplicaSet>('apps/v1', 'ReplicaSet', 'default').sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
  const sizes = () => Object.fromEntries(replicaSets().map((rs) => [rs.metadata.name, rs.spec.replicas]));
  /** the ReplicaSet controller's part: every RS has its pods, all available */
  const settle = async () => {
    for (const rs of replicaSets()) {
      const n = rs.spec.replicas ?? 1;
      fake.set({ ...rs, status: { replicas: n, fullyLabeledReplicas: n, readyReplicas: n, availableReplicas: n, observedGeneration: rs.metadata.generation ?? 1 } });
    }
    await flush();
  };
  /** sync + settle until a sync writes nothing */
  const converge = async () => {
    for (let round = 0; round < 40; round++) {
      await settle();
      fake.clearWrites();
      await sync();
      if (fake.writes.length === 0) return;
    }
    throw new Error('did not converge');
  };
  /** change the Deployment as a user would (spec changes bump the generation) */
  const edit = async (change: (d: Deployment) => void) => {
    editObject<Deployment>(fake, 'apps/v1', 'Deployment', 'web', change);
    await flush();
  };
  /** empty the work queue, so a test can see what enqueues the Deployment next */
  const drain = async () => {
    await flush();
    while (controller.queue.len() > 0) {
      const next = await controller.queue.get();
      if (!next.shutdown) controller.queue.done(next.item);
    }
  };
  return { ...h, sync, deploy, replicaSets, sizes, settle, converge, edit, drain };
}

/** one Deployment, converged: its first ReplicaSet's name, the events so far forgotten */
async function converged(t: Test) {
  const h = await harness(t, [deployment()]);
  await h.converge();
  h.events.length = 0;
  return { h, first: h.replicaSets()[0]!.metadata.name! };
}

const progressing = (d: Deployment) => d.status?.conditions?.find((c) => c.type === 'Progressing');
const available = (d: Deployment) => d.status?.conditions?.find((c) => c.type === 'Available');

t.test('a new Deployment gets its first ReplicaSet, named by the template hash', async (t) => {
  const annotations = { 'kubernetes.io/change-cause': 'first', 'kubectl.kubernetes.io/last-applied-configuration': '{"x":1}' };
  const h = await harness(t, [deployment({ annotations })]);
  t.equal(await h.sync(), undefined);
  const hash = computeHash(template('nginx:1'));
  const name = `web-${hash}`;
  // the revision rides on the status PUT; the fake (like our API server) drops annotations on /status, so a patch follows
  t.same(h.writes(), [`create ReplicaSet ${name}`, 'updateStatus Deployment/status web', 'patch Deployment web', 'updateStatus Deployment/status web']);
  t.equal((h.fake.writes[1]!.body as Deployment).metadata.annotations?.[REVISION_ANNOTATION], '1');
  t.match(h.fake.writes[0]!.body, {
    metadata: {
      name,
      labels: { app: 'web', 'pod-template-hash': hash },
      annotations: { 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4', 'kubernetes.io/change-cause': 'first' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'uid-deploy', controller: true, blockOwnerDeletion: true }],
    },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web', 'pod-template-hash': hash } }, template: { metadata: { labels: { app: 'web', 'pod-template-hash': hash } } } },
  });
  t.notOk((h.fake.writes[0]!.body as ReplicaSet).metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'], 'last-applied is not copied');
  t.same(h.fake.writes[2]!.body, { metadata: { annotations: { [REVISION_ANNOTATION]: '1' } } });
  t.same(h.events, [`Normal ScalingReplicaSet Scaled up replica set ${name} to 3`]);
  const d = h.deploy();
  t.equal(d.metadata.annotations?.[REVISION_ANNOTATION], '1');
  t.match(progressing(d), { status: 'True', reason: 'NewReplicaSetCreated', message: `Created new replica set "${name}"` });
  t.match(available(d), { status: 'False', reason: 'MinimumReplicasUnavailable' });
  t.match(d.status, { observedGeneration: 1 });
});

t.test('converges, then a sync writes nothing', async (t) => {
  const h = await harness(t, [deployment()]);
  await h.converge();
  const d = h.deploy();
  t.match(d.status, { observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
  t.notOk(d.status?.unavailableReplicas, 'zero counts are omitted, as kube does');
  t.match(progressing(d), { status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${h.replicaSets()[0]!.metadata.name}" has successfully progressed.` });
  t.match(available(d), { status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' });
  h.fake.clearWrites();
  t.equal(await h.sync(), undefined, 'nothing to check later');
  await h.sync();
  t.same(h.writes(), [], 'steady state: no writes');
});

t.test('a new template rolls out within maxSurge/maxUnavailable; rollback brings the old RS back as a new revision', async (t) => {
  const { h, first } = await converged(t);

  await h.edit((d) => {
    d.spec.template = template('nginx:2');
    d.metadata.annotations = { ...d.metadata.annotations, 'kubernetes.io/change-cause': 'set image' };
  });
  await h.converge();
  const second = `web-${computeHash(template('nginx:2'))}`;
  t.same(h.sizes(), { [first]: 0, [second]: 3 });
  t.same(h.events, [
    `Normal ScalingReplicaSet Scaled up replica set ${second} to 1`,
    `Normal ScalingReplicaSet Scaled down replica set ${first} to 2 from 3`,
    `Normal ScalingReplicaSet Scaled up replica set ${second} to 2 from 1`,
    `Normal ScalingReplicaSet Scaled down replica set ${first} to 1 from 2`,
    `Normal ScalingReplicaSet Scaled up replica set ${second} to 3 from 2`,
    `Normal ScalingReplicaSet Scaled down replica set ${first} to 0 from 1`,
  ]);
  const rs2 = h.fake.get<ReplicaSet>('apps/v1', 'ReplicaSet', second, 'default')!;
  t.equal(rs2.metadata.annotations?.[REVISION_ANNOTATION], '2');
  t.equal(rs2.metadata.annotations?.['kubernetes.io/change-cause'], 'set image');
  t.equal(h.deploy().metadata.annotations?.[REVISION_ANNOTATION], '2');
  t.match(h.deploy().status, { observedGeneration: 2, replicas: 3, updatedReplicas: 3 });

  // kubectl rollout undo: the template of revision 1 again
  h.events.length = 0;
  await h.edit((d) => {
    d.spec.template = template('nginx:1');
  });
  await h.converge();
  t.same(h.sizes(), { [first]: 3, [second]: 0 }, 'no third ReplicaSet');
  const back = h.fake.get<ReplicaSet>('apps/v1', 'ReplicaSet', first, 'default')!;
  t.equal(back.metadata.annotations?.[REVISION_ANNOTATION], '3');
  t.equal(back.metadata.annotations?.[REVISION_HISTORY_ANNOTATION], '1');
  t.equal(h.deploy().metadata.annotations?.[REVISION_ANNOTATION], '3');
  t.equal(h.events[0], `Normal ScalingReplicaSet Scaled up replica set ${first} to 1 from 0`);
});

t.test('scaling: spec.replicas changed on a converged Deployment', async (t) => {
  const { h, first: name } = await converged(t);
  await h.edit((d) => {
    d.spec.replicas = 5;
  });
  h.fake.clearWrites();
  await h.sync();
  t.same(h.writes(), [`update ReplicaSet ${name}`, 'updateStatus Deployment/status web']);
  t.match(h.fake.get<ReplicaSet>('apps/v1', 'ReplicaSet', name, 'default')?.metadata.annotations, { 'deployment.kubernetes.io/desired-replicas': '5', 'deployment.kubernetes.io/max-replicas': '7' });
  t.same(h.events, [`Normal ScalingReplicaSet Scaled up replica set ${name} to 5 from 3`]);
  await h.converge();
  t.match(h.deploy().status, { replicas: 5, availableReplicas: 5, observedGeneration: 2 });
});

t.test('paused: no new ReplicaSet, but scaling applies; resume rolls out', async (t) => {
  const { h, first } = await converged(t);
  await h.edit((d) => {
    d.spec.paused = true;
    d.spec.template = template('nginx:2');
  });
  h.fake.clearWrites();
  await h.sync();
  t.equal(h.replicaSets().length, 1, 'no new ReplicaSet while paused');
  t.match(progressing(h.deploy()), { status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' });
  await h.converge();
  t.equal(h.replicaSets().length, 1);

  await h.edit((d) => {
    d.spec.replicas = 4;
  });
  await h.converge();
  t.same(h.sizes(), { [first]: 4 }, 'scaled while paused');

  await h.edit((d) => {
    delete d.spec.paused;
  });
  await h.sync();
  t.match(progressing(h.deploy()), { reason: 'NewReplicaSetCreated' });
  await h.converge();
  t.same(Object.values(h.sizes()).sort(), [0, 4]);
  t.match(progressing(h.deploy()), { status: 'True', reason: 'NewReplicaSetAvailable' });
});

const podOf = (rs: ReplicaSet, i: number): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: `${rs.metadata.name}-${i}`, namespace: 'default', labels: { ...rs.spec.template?.metadata?.labels }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name!, uid: rs.metadata.uid!, controller: true }] },
  spec: { containers: [{ name: 'app', image: 'nginx:1' }] },
  status: { phase: 'Running' } satisfies V1Pod['status'],
});

t.test('Recreate: old ReplicaSets to 0, wait for their pods to be gone, then the new one at full size', async (t) => {
  const old = replicaSet('web-old', { replicas: 3, revision: 1, desired: 3, max: 3 });
  const d = deployment({ strategy: 'Recreate', image: 'nginx:2', generation: 2, annotations: { [REVISION_ANNOTATION]: '1' } });
  const pods = [0, 1, 2].map((i) => podOf(old, i));
  const h = await harness(t, [d, old, ...pods]);
  await h.sync();
  t.same(h.writes(), ['update ReplicaSet web-old', 'updateStatus Deployment/status web']);
  t.same(h.events, ['Normal ScalingReplicaSet Scaled down replica set web-old to 0 from 3']);
  await h.settle();

  h.fake.clearWrites();
  await h.sync();
  t.equal(h.replicaSets().length, 1, 'old pods still there: no new ReplicaSet');
  await h.drain();
  h.fake.remove('v1', 'Pod', pods[0]!.metadata!.name!, 'default');
  await flush();
  t.equal(h.controller.queue.len(), 0, 'pods remain: no sync');
  for (const pod of pods.slice(1)) h.fake.remove('v1', 'Pod', pod.metadata!.name!, 'default');
  await flush();
  t.equal(h.controller.queue.len(), 1, 'the last pod going enqueues the Deployment');
  await h.sync();
  const created = h.fake.writes.find((w) => w.verb === 'create');
  t.match(created?.body, { spec: { replicas: 3 }, metadata: { annotations: { [REVISION_ANNOTATION]: '2' } } });
  await h.converge();
  t.match(progressing(h.deploy()), { reason: 'NewReplicaSetAvailable' });
  t.match(available(h.deploy()), { status: 'True' });
});

t.test('a hash collision bumps collisionCount, and the next sync uses another name', async (t) => {
  const taken = `web-${computeHash(template('nginx:1'))}`;
  const squatter = replicaSet(taken, { owner: null, image: 'other' });
  squatter.metadata.labels = { app: 'other' };
  squatter.spec.selector = { matchLabels: { app: 'other' } };
  squatter.spec.template!.metadata!.labels = { app: "other" };
  const h = await harness(t, [deployment(), squatter]);
  await t.rejects(h.controller.reconcile(KEY), { code: 409 });
  await flush();
  t.same(h.writes(), [`create ReplicaSet ${taken}`, 'updateStatus Deployment/status web']);
  t.equal(h.deploy().status?.collisionCount, 1);
  h.fake.clearWrites();
  await h.sync();
  const created = h.fake.writes.find((w) => w.verb === 'create');
  t.equal(created?.name, `web-${computeHash(template('nginx:1'), 1)}`);
  t.not(created?.name, taken);
});

t.test('progress deadline: a timed requeue, then ProgressDeadlineExceeded', async (t) => {
  const h = await harness(t, [deployment({ progressDeadlineSeconds: 30 })]);
  await h.sync();
  await h.sync();
  h.fake.clearWrites();
  const result = await h.sync();
  t.same(result, { requeueAfter: 31_000 }, 'check again a second past the deadline');
  t.same(h.writes(), []);
  h.clock.step(31_000);
  await h.sync();
  t.match(progressing(h.deploy()), { status: 'False', reason: 'ProgressDeadlineExceeded', message: /has timed out progressing\.$/ });
  t.equal(await h.sync(), undefined, 'timed out: nothing more to check');
});

t.test('revisionHistoryLimit: the oldest scaled-down ReplicaSets are deleted', async (t) => {
  const current = `web-${computeHash(template('nginx:1'))}`;
  const h = await harness(t, [
    deployment({ revisionHistoryLimit: 1, annotations: { [REVISION_ANNOTATION]: '3' } }),
    replicaSet('web-r1', { revision: 1, image: 'v1', createdAt: T0 - 2000 }),
    replicaSet('web-r2', { revision: 2, image: 'v2', createdAt: T0 - 1000 }),
    replicaSet(current, { revision: 3, replicas: 3, desired: 3, max: 4 }),
  ]);
  await h.converge();
  t.same(Object.keys(h.sizes()), [current, 'web-r2']);
});

t.test('an orphan ReplicaSet that matches is adopted', async (t) => {
  const current = `web-${computeHash(template('nginx:1'))}`;
  const h = await harness(t, [deployment(), replicaSet(current, { owner: null, replicas: 3, desired: 3, max: 4 })]);
  await h.sync();
  t.equal(h.writes()[0], `patch ReplicaSet ${current}`);
  t.equal(h.fake.get<ReplicaSet>('apps/v1', 'ReplicaSet', current, 'default')?.metadata.ownerReferences?.[0]?.uid, 'uid-deploy');
  t.notOk(h.fake.writes.some((w) => w.verb === 'create'), 'no new ReplicaSet');
  // FoundNewReplicaSet is written first; the same sync finds the rollout complete
  t.ok(h.fake.writes.some((w) => w.verb === 'updateStatus' && JSON.stringify(w.body).includes('FoundNewReplicaSet')), 'FoundNewReplicaSet recorded');
  t.match(progressing(h.deploy()), { reason: 'NewReplicaSetAvailable' });
});

t.test('ReplicaSet events reach the Deployment that owns or selects them', async (t) => {
  const h = await harness(t, [deployment(), deployment({ name: 'other' })]);
  const other = h.fake.get<Deployment>('apps/v1', 'Deployment', 'other', 'default')!;
  h.fake.set({ ...other, spec: { ...other.spec, selector: { matchLabels: { app: 'other' } } } });
  await h.drain();
  h.fake.set(replicaSet('web-orphan', { owner: null }));
  await flush();
  t.equal(h.controller.queue.len(), 1, 'an orphan: the Deployment whose selector matches');
  await h.drain();
  h.fake.set(replicaSet('web-owned', { replicas: 1 }));
  await flush();
  t.equal(h.controller.queue.len(), 1, 'owned: its controller');
  await h.drain();
  const owned = h.fake.get<ReplicaSet>('apps/v1', 'ReplicaSet', 'web-owned', 'default')!;
  h.fake.set({ ...owned, metadata: { ...owned.metadata, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'uid-somebody-else', controller: true }] } });
  await flush();
  t.equal(h.controller.queue.len(), 1, 'a controllerRef to a Deployment that is gone (other uid) only wakes the previous owner');
});

t.test('minReadySeconds follows the Deployment onto its new ReplicaSet', async (t) => {
  const h = await harness(t, [deployment()]);
  await h.converge();
  await h.edit((d) => {
    d.spec.minReadySeconds = 5;
  });
  h.fake.clearWrites();
  await h.sync();
  const update = h.fake.writes.find((w) => w.verb === 'update' && w.kind === 'ReplicaSet');
  t.match(update?.body, { spec: { minReadySeconds: 5, replicas: 3 } });
});

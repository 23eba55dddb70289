/**
 * The ReplicaSet controller end to end, with the real kubectl on a cluster of two simulated
 * nodes and the scheduler: a ReplicaSet adopts a matching orphan and creates the rest,
 * `kubectl get rs` shows DESIRED/CURRENT/READY, `kubectl scale` up and down converges, a
 * deleted pod is replaced, events come from `replicaset-controller`, and once converged
 * nothing is written any more (resourceVersions stay put).
 */
import t from 'tap';
import { e2eCluster, type E2e } from './helpers/e2e.js';
import { hasKubectl } from './helpers/kubectl.js';
import { jsonOf, sleep, until } from './helpers/poll.js';
import { fastNodes, untilNodes } from './helpers/workloads.js';

const VERSION = '1.33';

const replicaSetJson = (replicas: number) =>
  JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'app', image: 'nginx:1.27' }] },
      },
    },
  });

const strayPodJson = JSON.stringify({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'stray', labels: { app: 'web' } },
  spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'app', image: 'nginx:1.27' }] },
});

/** the web pods not being deleted */
const activePods = async (e: E2e): Promise<any[]> =>
  ((await jsonOf(e, ['get', 'pods', '-l', 'app=web']))?.items ?? []).filter((p: any) => !p.metadata.deletionTimestamp);

const isReady = (p: any) => p.status?.phase === 'Running' && p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True');

/** waits until the ReplicaSet has `n` ready pods and says so in its status */
async function converged(e: E2e, n: number): Promise<{ rs: any; pods: any[] }> {
  let pods: any[] = [];
  const rs = await until(
    async () => {
      pods = await activePods(e);
      return jsonOf(e, ['get', 'rs', 'web']);
    },
    (rs) => pods.length === n && pods.every(isReady) && rs?.status?.replicas === n && (rs?.status?.readyReplicas ?? 0) === n && rs?.status?.observedGeneration === rs?.metadata?.generation,
  );
  return { rs, pods };
}

t.test('the ReplicaSet controller with the real kubectl', { skip: !hasKubectl(VERSION) && `kubectl ${VERSION} is not installed` }, async (t) => {
  t.setTimeout(120_000);
  const e = await e2eCluster(t, VERSION, fastNodes(2, { controllers: { leaderElection: false, only: ['replicaset'] } }));
  await untilNodes(e, 2);

  // an orphan that the ReplicaSet's selector matches is adopted, not duplicated
  await e.ok(['apply', '-f', '-'], strayPodJson);
  await until(
    async () => (await jsonOf(e, ['get', 'pod', 'stray']))?.status?.phase,
    (phase) => phase === 'Running',
  );
  await e.ok(['apply', '-f', '-'], replicaSetJson(3));
  let { rs, pods } = await converged(e, 3);
  t.equal(rs?.status?.readyReplicas, 3, '3 pods ready');
  t.ok(pods.some((p) => p.metadata.name === 'stray'), 'the orphan is one of the three');
  const stray = await jsonOf(e, ['get', 'pod', 'stray']);
  t.match(stray?.metadata?.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs?.metadata?.uid, controller: true, blockOwnerDeletion: true }], 'adopted');
  t.ok(
    pods.filter((p) => p.metadata.name !== 'stray').every((p) => p.metadata.generateName === 'web-' && p.metadata.ownerReferences?.[0]?.uid === rs?.metadata?.uid),
    'the others were created from the template',
  );

  const table = await e.ok(['get', 'rs', 'web']);
  t.match(table, /NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE/, 'kubectl get rs columns');
  t.match(table, /web\s+3\s+3\s+3\s+/, 'DESIRED/CURRENT/READY');

  const events = await until(
    async () => ((await jsonOf(e, ['get', 'events', '--field-selector', 'involvedObject.name=web']))?.items ?? []) as any[],
    (items) => items.some((ev) => ev.reason === 'SuccessfulCreate'),
  );
  const created = events.find((ev) => ev.reason === 'SuccessfulCreate');
  t.match(created, { type: 'Normal', source: { component: 'replicaset-controller' }, involvedObject: { kind: 'ReplicaSet', name: 'web' }, message: /^Created pod: web-/ });

  await e.ok(['scale', 'rs/web', '--replicas=5']);
  ({ rs } = await converged(e, 5));
  t.equal(rs?.status?.readyReplicas, 5, 'scaled up to 5');

  await e.ok(['scale', 'rs/web', '--replicas=1']);
  ({ rs, pods } = await converged(e, 1));
  t.equal(rs?.status?.replicas, 1, 'scaled down to 1');
  const survivor = pods[0]?.metadata?.name;

  await e.ok(['delete', 'pod', survivor, '--wait=false']);
  ({ pods } = await converged(e, 1));
  t.not(pods[0]?.metadata?.name, survivor, 'the deleted pod was replaced');
  // events are written in the background: wait for the four of the scale-down
  const deletes = await until(
    async () => ((await jsonOf(e, ['get', 'events', '--field-selector', 'involvedObject.name=web,reason=SuccessfulDelete']))?.items ?? []) as any[],
    (items) => items.length >= 4,
  );
  t.ok(deletes.length >= 4 && deletes.every((ev) => /^Deleted pod: /.test(ev.message) && ev.source?.component === 'replicaset-controller'), 'SuccessfulDelete events for the scale-down');

  // converged: the controller writes nothing more
  await sleep(500);
  const before = await jsonOf(e, ['get', 'rs,pods', '-l', 'app=web']);
  const rsBefore = await jsonOf(e, ['get', 'rs', 'web']);
  await sleep(2_000);
  const after = await jsonOf(e, ['get', 'rs,pods', '-l', 'app=web']);
  const rsAfter = await jsonOf(e, ['get', 'rs', 'web']);
  t.equal(rsAfter?.metadata?.resourceVersion, rsBefore?.metadata?.resourceVersion, 'the ReplicaSet is not rewritten');
  const versions = (l: any) => (l?.items ?? []).map((o: any) => `${o.kind}/${o.metadata.name}@${o.metadata.resourceVersion}`).sort();
  t.same(versions(after), versions(before), 'nor are its pods');
});

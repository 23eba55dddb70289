/**
 * The StatefulSet and DaemonSet controllers end to end with the real kubectl on a
 * 3-node simulated cluster with the scheduler: an OrderedReady StatefulSet comes up as
 * web-0, web-1, web-2 in that order, `kubectl rollout status` and `rollout history` work,
 * scaling to 1 removes web-2 before web-1, an image change with partition 2 updates only
 * the highest ordinal, `rollout undo` brings revision 1 back as revision 3, and once
 * converged nothing is rewritten; a DaemonSet runs one pod on each node, `kubectl rollout
 * status ds/…` succeeds, and `set image` rolls it node by node. Polling reads go straight
 * to the API (a kubectl process per poll is slow); the commands under test use kubectl.
 */
import t from 'tap';
import { e2eCluster, type E2e } from './helpers/e2e.js';
import { hasKubectl } from './helpers/kubectl.js';
import { jsonOf, sleep, until } from './helpers/poll.js';
import { apiGet, fastNodes, untilNodes } from './helpers/workloads.js';

const VERSION = '1.33';

const statefulSetJson = (replicas: number, image = 'nginx:1.25', partition = 0) =>
  JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web' },
    spec: {
      serviceName: 'web',
      replicas,
      selector: { matchLabels: { app: 'web' } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'nginx', image }] },
      },
    },
  });

const daemonSetJson = JSON.stringify({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'agent' },
  spec: {
    selector: { matchLabels: { app: 'agent' } },
    template: {
      metadata: { labels: { app: 'agent' } },
      spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'agent', image: 'busybox:1.36' }] },
    },
  },
});

const isReady = (p: any) => p?.status?.phase === 'Running' && p?.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True');
const podsOf = async (e: E2e, app: string): Promise<any[]> => (await apiGet(e, `/api/v1/namespaces/default/pods?labelSelector=app%3D${app}`))?.items ?? [];
const stsWeb = (e: E2e) => apiGet(e, '/apis/apps/v1/namespaces/default/statefulsets/web');
const dsAgent = (e: E2e) => apiGet(e, '/apis/apps/v1/namespaces/default/daemonsets/agent');
const names = (pods: any[]) => pods.map((p) => p.metadata.name).sort();

t.test('StatefulSet and DaemonSet controllers with the real kubectl', { skip: !hasKubectl(VERSION) && `kubectl ${VERSION} is not installed` }, async (t) => {
  t.setTimeout(120_000);
  const e = await e2eCluster(t, VERSION, fastNodes(3, { controllers: { leaderElection: false, only: ['statefulset', 'daemonset'] } }));
  await untilNodes(e, 3);

  // both at once: they share one cluster
  await e.ok(['apply', '-f', '-'], statefulSetJson(3));
  await e.ok(['apply', '-f', '-'], daemonSetJson);

  // OrderedReady: each pod only after the one before is Running and Ready
  await e.ok(['rollout', 'status', 'sts/web', '--timeout=30s']);
  let pods = await podsOf(e, 'web');
  t.same(names(pods), ['web-0', 'web-1', 'web-2'], 'three pods with stable names');
  t.ok(pods.every(isReady), 'all ready');
  const created = (n: string) => Date.parse(pods.find((p) => p.metadata.name === n).metadata.creationTimestamp);
  const readyAt = (n: string) => Date.parse(pods.find((p) => p.metadata.name === n).status.conditions.find((c: any) => c.type === 'Ready').lastTransitionTime);
  t.ok(created('web-1') >= readyAt('web-0') && created('web-2') >= readyAt('web-1'), 'each pod was created after its predecessor became ready');
  const web1 = pods.find((p) => p.metadata.name === 'web-1');
  t.equal(web1.spec.hostname, 'web-1', 'hostname is the pod name');
  t.equal(web1.spec.subdomain, 'web', 'subdomain is the service name');
  t.equal(web1.metadata.labels['statefulset.kubernetes.io/pod-name'], 'web-1');
  t.equal(web1.metadata.labels['apps.kubernetes.io/pod-index'], '1');
  let sts = await stsWeb(e);
  t.equal(web1.metadata.labels['controller-revision-hash'], sts?.status?.updateRevision, 'pods carry the update revision');
  t.match(sts?.status, { replicas: 3, readyReplicas: 3, currentReplicas: 3, updatedReplicas: 3, availableReplicas: 3, observedGeneration: 1 }, 'status');
  t.equal(sts?.status?.currentRevision, sts?.status?.updateRevision, 'current revision = update revision');
  const revisions = (await apiGet(e, '/apis/apps/v1/namespaces/default/controllerrevisions?labelSelector=app%3Dweb'))?.items ?? [];
  t.equal(revisions.length, 1, 'one ControllerRevision');
  t.equal(revisions[0]?.metadata?.name, sts?.status?.updateRevision, 'named as the status says');
  t.equal(revisions[0]?.revision, 1, 'revision 1');
  const events = await e.ok(['get', 'events', '--field-selector', 'involvedObject.name=web', '-o', 'jsonpath={.items[*].message}']);
  t.match(events, /create Pod web-0 in StatefulSet web successful/, "kube's SuccessfulCreate wording");

  // steady state: nothing is rewritten
  const before = JSON.stringify([sts?.metadata?.resourceVersion, ...pods.map((p) => p.metadata.resourceVersion)]);
  await sleep(1000);
  sts = await stsWeb(e);
  pods = await podsOf(e, 'web');
  t.equal(JSON.stringify([sts?.metadata?.resourceVersion, ...pods.map((p) => p.metadata.resourceVersion)]), before, 'converged: no more writes');

  // DaemonSet: one pod per node
  await e.ok(['rollout', 'status', 'ds/agent', '--timeout=30s']);
  const agents = await podsOf(e, 'agent');
  t.equal(agents.length, 3, 'three daemon pods');
  t.same(agents.map((p) => p.spec.nodeName).sort(), (await apiGet(e, '/api/v1/nodes'))?.items.map((n: any) => n.metadata.name).sort(), 'one on each node');
  t.ok(
    agents.every((p) => p.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchFields?.[0]?.values?.[0] === p.spec.nodeName),
    'pinned by matchFields metadata.name',
  );
  t.ok(agents.every((p) => p.spec.tolerations?.some((tol: any) => tol.key === 'node.kubernetes.io/unreachable' && tol.effect === 'NoExecute')), 'default daemon tolerations');
  t.ok(agents.every((p) => p.metadata.labels['controller-revision-hash'] && p.metadata.labels['pod-template-generation'] === '1'), 'hash and generation labels');
  const ds = await dsAgent(e);
  t.match(ds?.status, { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 3, numberAvailable: 3, updatedNumberScheduled: 3, numberMisscheduled: 0 }, 'DaemonSet status');

  // scale down: web-2 goes first, then web-1
  await e.ok(['scale', 'sts/web', '--replicas=1']);
  const seen: string[][] = [];
  pods = await until(
    async () => {
      const list = await podsOf(e, 'web');
      const current = names(list);
      if (JSON.stringify(seen.at(-1)) !== JSON.stringify(current)) seen.push(current);
      return list;
    },
    (list) => list.length === 1,
    20_000,
  );
  t.same(names(pods), ['web-0'], 'only web-0 is left');
  t.notOk(
    seen.some((s) => s.includes('web-2') && !s.includes('web-1')),
    'web-1 never went before web-2',
  );
  // the events were written in the order of the deletions (resourceVersion is the store's order)
  const deletions = ((await jsonOf(e, ['get', 'events', '--field-selector', 'reason=SuccessfulDelete,involvedObject.name=web']))?.items ?? [])
    .sort((a: any, b: any) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion))
    .map((ev: any) => ev.message);
  t.same(deletions, ['delete Pod web-2 in StatefulSet web successful', 'delete Pod web-1 in StatefulSet web successful'], 'web-2 was deleted before web-1');

  // a partitioned rolling update changes only ordinals >= partition
  await e.ok(['apply', '-f', '-'], statefulSetJson(3, 'nginx:1.25', 2));
  await e.ok(['rollout', 'status', 'sts/web', '--timeout=30s']);
  await e.ok(['apply', '-f', '-'], statefulSetJson(3, 'nginx:1.26', 2));
  await e.ok(['rollout', 'status', 'sts/web', '--timeout=30s']);
  pods = await until(
    () => podsOf(e, 'web'),
    (list) => list.length === 3 && list.every(isReady) && list.find((p) => p.metadata.name === 'web-2')?.spec.containers[0].image === 'nginx:1.26',
    20_000,
  );
  const images = Object.fromEntries(pods.map((p) => [p.metadata.name, p.spec.containers[0].image]));
  t.same(images, { 'web-0': 'nginx:1.25', 'web-1': 'nginx:1.25', 'web-2': 'nginx:1.26' }, 'only web-2 was updated');
  sts = await until(
    () => stsWeb(e),
    (s) => s?.status?.updatedReplicas === 1,
  );
  t.match(sts?.status, { replicas: 3, updatedReplicas: 1, currentReplicas: 2 }, 'one updated, two current');
  t.not(sts?.status?.currentRevision, sts?.status?.updateRevision, 'two revisions in play');
  const history = await e.ok(['rollout', 'history', 'sts/web']);
  t.match(history, /1\s+<none>[\s\S]*2\s+<none>/, 'rollout history lists both revisions');

  // rollout undo applies revision 1's data: that revision becomes revision 3
  await e.ok(['rollout', 'undo', 'sts/web']);
  pods = await until(
    () => podsOf(e, 'web'),
    (list) => list.length === 3 && list.every(isReady) && list.every((p) => p.spec.containers[0].image === 'nginx:1.25'),
    20_000,
  );
  t.ok(pods.every((p) => p.spec.containers[0].image === 'nginx:1.25'), 'undo rolled web-2 back');
  const after = await e.ok(['rollout', 'history', 'sts/web']);
  t.match(after, /2\s+<none>[\s\S]*3\s+<none>/, 'the rolled-back revision is now revision 3');
  t.notMatch(after, /^1\s/m, 'and revision 1 is gone');

  // a DaemonSet template change rolls node by node
  await e.ok(['set', 'image', 'ds/agent', 'agent=busybox:1.37']);
  t.match(await e.ok(['rollout', 'history', 'ds/agent']), /1\s+<none>/, 'rollout history ds/agent reads its ControllerRevisions');
  await e.ok(['rollout', 'status', 'ds/agent', '--timeout=30s']);
  const updated = await until(
    () => podsOf(e, 'agent'),
    (list) => list.length === 3 && list.every((p) => p.spec.containers[0].image === 'busybox:1.37' && isReady(p)),
    20_000,
  );
  t.equal(updated.filter((p) => p.spec.containers[0].image === 'busybox:1.37').length, 3, 'every daemon pod updated');
  const dsBefore = (await dsAgent(e))?.metadata?.resourceVersion;
  await sleep(1000);
  t.equal((await dsAgent(e))?.metadata?.resourceVersion, dsBefore, 'DaemonSet converged: no more writes');
});

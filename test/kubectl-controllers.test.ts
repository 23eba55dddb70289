/**
 * The control loop end to end, as issue 8's "done when" reads: on a cluster with every
 * controller (leader election on, as `k8ts up` runs them), 3 simulated nodes and the
 * scheduler, the real kubectl applies a Deployment and a Service from one manifest;
 * `rollout status` succeeds, the Service's EndpointSlice lists the pods, rollout
 * commands and scale behave as on a real cluster, the control plane goes quiet once
 * converged (no writes to workloads, pods, endpoints or events), and each `--cascade`
 * of `kubectl delete` leaves what it should.
 */
import t from 'tap';
import { e2eCluster, type E2e } from './helpers/e2e.js';
import { hasKubectl } from './helpers/kubectl.js';
import { jsonOf, sleep, until } from './helpers/poll.js';
import { fastNodes, webDeployment, writeCounts } from './helpers/workloads.js';

const VERSION = '1.33';

const MANIFEST = `${webDeployment({ strategy: 'rollingUpdate: { maxSurge: 1, maxUnavailable: 0 }', ports: '{ name: http, containerPort: 8080 }' })}---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: { app: web }
  ports:
  - { name: web, port: 80, targetPort: http }
`;

/** the write counts of the resources a converged control plane must leave alone */
const QUIET_RESOURCES = ['deployments', 'deployments/status', 'replicasets', 'replicasets/status', 'pods', 'pods/status', 'endpointslices', 'endpoints', 'events'];

const podsOf = async (e: E2e, selector: string) => ((await jsonOf(e, ['get', 'pods', '-l', selector]))?.items ?? []) as any[];
const replicaSets = async (e: E2e) => ((await jsonOf(e, ['get', 'rs', '-l', 'app=web']))?.items ?? []) as any[];

t.test('a Deployment and a Service: rollout, endpoints, rollout commands, quiet, cascades', { skip: !hasKubectl(VERSION) && `kubectl ${VERSION} not installed` }, async (t) => {
  const e = await e2eCluster(t, VERSION, fastNodes(3, { controllers: {} }));
  await until(() => jsonOf(e, ['get', 'sa', 'default']), (sa) => Boolean(sa));

  await e.ok(['apply', '-f', '-'], MANIFEST);
  t.match(await e.ok(['rollout', 'status', 'deployment/web', '--timeout=60s']), /deployment "web" successfully rolled out/);
  const lease = await jsonOf(e, ['get', 'lease', '-n', 'kube-system', 'kube-controller-manager']);
  t.ok(lease?.spec?.holderIdentity, 'the controller manager holds its Lease');

  const endpointsOf = async () => {
    const slices = ((await jsonOf(e, ['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web']))?.items ?? []) as any[];
    return slices.flatMap((s) => (s.endpoints ?? []).filter((ep: any) => ep.conditions?.ready).map((ep: any) => ({ pod: ep.targetRef?.name, port: s.ports?.[0]?.port })));
  };
  const ready = await until(endpointsOf, (eps) => eps.length === 3);
  const pods = (await podsOf(e, 'app=web')).map((p) => p.metadata.name).sort();
  t.same(ready.map((ep) => ep.pod).sort(), pods, "the EndpointSlice lists the Deployment's pods, ready");
  t.ok(ready.every((ep) => ep.port === 8080), 'the named targetPort resolved to the container port');

  await e.ok(['scale', 'deployment/web', '--replicas=4']);
  t.match(await e.ok(['rollout', 'status', 'deployment/web', '--timeout=60s']), /successfully rolled out/);
  t.equal((await until(endpointsOf, (eps) => eps.length === 4)).length, 4, 'scale up reaches the EndpointSlice');

  // kube copies the Deployment's annotations to its current ReplicaSet: annotate after the change
  await e.ok(['set', 'image', 'deployment/web', 'app=nginx:1.26']);
  await e.ok(['annotate', 'deployment/web', 'kubernetes.io/change-cause=second', '--overwrite']);
  t.match(await e.ok(['rollout', 'status', 'deployment/web', '--timeout=60s']), /successfully rolled out/);
  const history = await e.ok(['rollout', 'history', 'deployment/web']);
  t.match(history, /1\s+first/);
  t.match(history, /2\s+second/);
  await e.ok(['rollout', 'undo', 'deployment/web']);
  t.match(await e.ok(['rollout', 'status', 'deployment/web', '--timeout=60s']), /successfully rolled out/);
  const images = await until(
    () => podsOf(e, 'app=web'),
    (ps) => ps.length === 4 && ps.every((p) => p.spec.containers[0].image === 'nginx:1.25' && !p.metadata.deletionTimestamp),
  );
  t.ok(images.every((p) => p.spec.containers[0].image === 'nginx:1.25'), 'undo brought back the first template');
  const deploy = await jsonOf(e, ['get', 'deployment', 'web']);
  t.equal(deploy?.metadata?.annotations?.['deployment.kubernetes.io/revision'], '3', 'undo is revision 3');
  t.match(deploy?.status?.conditions, [
    { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
    { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
  ]);

  // converged: a few seconds without a single write to what the controllers own
  await until(endpointsOf, (eps) => eps.length === 4);
  await sleep(1_000);
  const before = await writeCounts(e);
  await sleep(3_000);
  const after = await writeCounts(e);
  const moved = QUIET_RESOURCES.filter((r) => (after.get(r) ?? 0) !== (before.get(r) ?? 0)).map((r) => `${r} +${(after.get(r) ?? 0) - (before.get(r) ?? 0)}`);
  t.same(moved, [], 'no writes to workloads, pods, endpoints or events once converged');

  // --cascade=orphan: the Deployment goes, its ReplicaSets and pods stay, without the ownerReference
  await e.ok(['delete', 'deployment', 'web', '--cascade=orphan']);
  const orphans = await until(
    () => replicaSets(e),
    (rss) => rss.length > 0 && rss.every((rs) => !rs.metadata.ownerReferences?.length),
  );
  t.ok(orphans.length >= 1 && orphans.every((rs) => !rs.metadata.ownerReferences?.length), 'orphaned ReplicaSets lose their ownerReference');
  t.equal((await podsOf(e, 'app=web')).filter((p) => !p.metadata.deletionTimestamp).length, 4, 'their pods keep running');

  // --cascade=foreground on a ReplicaSet: kubectl returns once the pods are gone and then the ReplicaSet
  const live = orphans.find((rs) => rs.spec.replicas > 0)!;
  await e.ok(['delete', 'rs', live.metadata.name, '--cascade=foreground', '--timeout=60s']);
  t.same(
    (await podsOf(e, `pod-template-hash=${live.metadata.labels['pod-template-hash']}`)).filter((p) => !p.metadata.deletionTimestamp),
    [],
    'foreground deletion removed the pods before the ReplicaSet',
  );

  // background (kubectl's default): the Deployment goes at once, then the garbage collector takes the rest
  await e.ok(['delete', 'rs', '-l', 'app=web']);
  await e.ok(['apply', '-f', '-'], MANIFEST);
  t.match(await e.ok(['rollout', 'status', 'deployment/web', '--timeout=60s']), /successfully rolled out/);
  await e.ok(['delete', 'deployment', 'web']);
  const gone = await until(
    async () => [...(await replicaSets(e)), ...(await podsOf(e, 'app=web'))],
    (left) => left.length === 0,
  );
  t.same(gone, [], "the Deployment's ReplicaSet and pods are garbage-collected");
});

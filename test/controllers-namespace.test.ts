/**
 * Namespace lifecycle, resource quota status and the pod garbage collector end to end,
 * with the real kubectl and the controllers of kube-controller-manager that own them:
 *   - a ResourceQuota's status.used counts the namespace's pods, services, config maps,
 *     secrets and CPU requests, and stays put (no rewrites) once converged;
 *   - `kubectl delete ns X` returns, the namespace controller empties the namespace and
 *     finalizes it, and the namespace and its objects are gone;
 *   - a pod bound to a node that does not exist is marked Failed and force-deleted by PodGC.
 * No nodes: the pods stay unscheduled, so deleting them leaves them to PodGC's
 * unscheduled-terminating pass when the API server keeps them for a grace period.
 */
import t from 'tap';
import { e2eCluster } from './helpers/e2e.js';
import { hasKubectl } from './helpers/kubectl.js';
import { jsonOf, sleep, until } from './helpers/poll.js';

const VERSION = '1.33';
const NS = 'quota-demo';

const manifests = (ns: string) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'List',
    items: [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: ns }, data: { a: '1' } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'token', namespace: ns }, stringData: { t: 'x' } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: ns }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'web', namespace: ns, labels: { app: 'web' } },
        spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'app', image: 'busybox:1.36', resources: { requests: { cpu: '100m', memory: '64Mi' } } }] },
      },
      // for PodGC: bound to a node that does not exist
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stray', namespace: 'default' }, spec: { nodeName: 'ghost', containers: [{ name: 'app', image: 'busybox:1.36' }] } },
    ],
  });

t.test('namespace deletion, quota status and PodGC with the real kubectl', { skip: !hasKubectl(VERSION) && `kubectl ${VERSION} is not installed` }, async (t) => {
  t.setTimeout(60_000);
  const e = await e2eCluster(t, VERSION, {
    controllers: {
      leaderElection: false,
      only: ['namespace', 'resourcequota', 'pod-garbage-collector', 'serviceaccount'],
      namespace: { deletionGracePeriodMs: 100, contentRemainingRequeueMs: 200 },
      podGC: { gcCheckPeriodMs: 200, quarantineMs: 300 },
      resourceQuota: { fullResyncMs: 60_000 },
    },
  });

  await e.ok(["create", "namespace", NS]);
  await e.ok(['create', 'quota', 'q', '-n', NS, '--hard=pods=5,configmaps=5,secrets=5,services=5,requests.cpu=2,requests.memory=1Gi,count/services=5']);
  await e.ok(['apply', '-f', '-'], manifests(NS));

  const want = { pods: '1', configmaps: '1', secrets: '1', services: '1', 'count/services': '1', 'requests.cpu': '100m', 'requests.memory': '64Mi' };
  const quota = await until(
    () => jsonOf(e, ['get', 'resourcequota', 'q', '-n', NS]),
    (q) => Object.entries(want).every(([k, v]) => q?.status?.used?.[k] === v),
    15_000,
  );
  t.same(quota?.status?.used, want, 'status.used counts what is in the namespace');
  t.same(quota?.status?.hard, { pods: '5', configmaps: '5', secrets: '5', services: '5', 'count/services': '5', 'requests.cpu': '2', 'requests.memory': '1Gi' }, 'status.hard = spec.hard');

  // steady state: once converged the controller writes nothing more
  const rv = quota?.metadata?.resourceVersion;
  await sleep(700);
  t.equal((await jsonOf(e, ['get', 'resourcequota', 'q', '-n', NS]))?.metadata?.resourceVersion, rv, 'no further quota writes');

  // a counted object goes away: used follows
  await e.ok(['delete', 'configmap', 'settings', '-n', NS]);
  const after = await until(
    () => jsonOf(e, ['get', 'resourcequota', 'q', '-n', NS]),
    (q) => q?.status?.used?.configmaps === '0',
    10_000,
  );
  t.equal(after?.status?.used?.configmaps, '0', 'a deleted config map is no longer counted');

  // kubectl delete ns waits for the namespace to go: the controller must empty and finalize it
  await e.ok(['delete', 'namespace', NS, '--timeout=30s']);
  const gone = await e.kubectl(['get', 'namespace', NS]);
  t.not(gone.code, 0, 'the namespace is gone');
  t.match(gone.stderr, /NotFound/);
  const left = await jsonOf(e, ['get', 'pods,services,secrets,configmaps,resourcequotas,serviceaccounts', '-n', NS]);
  t.same(left?.items ?? [], [], `nothing left in ${NS}`);

  // PodGC: the pod bound to a node that does not exist (created with the rest) was failed and force-deleted
  const stray = await until(
    () => e.kubectl(['get', 'pod', 'stray', '-n', 'default']),
    (r) => r.code !== 0,
    10_000,
  );
  t.match(stray.stderr, /NotFound/, 'the orphaned pod was collected');
});

/**
 * The Deployment controller end to end with the real kubectl (1.33, and `rollout
 * history` with 1.27) on 2 simulated nodes with the scheduler, the ReplicaSet controller
 * and the garbage collector: `rollout status` succeeds after apply, `set image` rolls out
 * a new ReplicaSet and empties the old one, `rollout history` lists revisions with their
 * change-cause, `rollout undo` brings revision 1's template back as revision 3,
 * `rollout pause` holds a new template back until `rollout resume`, `rollout restart`
 * rolls out, `scale` resizes, `kubectl get deploy` shows the right columns, and nothing
 * is written once the Deployment has converged.
 */
import t, { type Test } from 'tap';
import { clientFromKubeconfig } from '../client/create-client.js';
import type { KubeClient } from '../client/types.js';
import { e2eCluster, type E2e } from './helpers/e2e.js';
import { hasKubectl, kubectlFor } from './helpers/kubectl.js';
import { sleep, until } from './helpers/poll.js';
import { fastNodes, webDeployment } from './helpers/workloads.js';

const VERSION = '1.33';
const OLD_VERSION = '1.27';

const MANIFEST = webDeployment();

// reads go through our own client (fast); every command under test is the real kubectl
const replicaSets = async (c: KubeClient) => (await c.resource('apps/v1', 'ReplicaSet').list({ namespace: 'default', labelSelector: 'app=web' })).items as any[];
const getDeploy = async (c: KubeClient) => (await c.resource('apps/v1', 'Deployment').get('web', { namespace: 'default' })) as any;
const revisionOf = (obj: any) => obj?.metadata?.annotations?.['deployment.kubernetes.io/revision'];
const imageOf = (rs: any) => rs.spec.template.spec.containers[0].image;
const started = Date.now();
const rolledOut = async (t: Test, e: E2e) => {
  t.match(await e.ok(['rollout', 'status', 'deploy/web', '--timeout=30s']), /deployment "web" successfully rolled out/);
  t.comment(`rolled out at ${Date.now() - started} ms`);
};

t.test('kubectl rollout, scale and get against the Deployment controller', { skip: !hasKubectl(VERSION) && `kubectl ${VERSION} not installed` }, async (t) => {
  const e = await e2eCluster(t, VERSION, fastNodes(2, { controllers: { leaderElection: false, only: ['deployment', 'replicaset', 'garbage-collector'] } }));
  const c = clientFromKubeconfig(e.cluster.kubeconfig);
  t.teardown(() => c.close());

  await e.ok(['apply', '-f', '-'], MANIFEST);
  await rolledOut(t, e);
  let rss = await replicaSets(c);
  t.equal(rss.length, 1, 'one ReplicaSet');
  const first = rss[0];
  t.match(first.metadata.name, /^web-[bcdfghjklmnpqrstvwxz2456789]+$/, 'named by the pod-template-hash');
  t.equal(first.metadata.labels['pod-template-hash'], first.metadata.name.slice('web-'.length));
  t.equal(revisionOf(first), '1');

  // set image: a second ReplicaSet takes over, the first is emptied
  await e.ok(['set', 'image', 'deploy/web', 'app=nginx:1.26']);
  await e.ok(['annotate', 'deploy/web', 'kubernetes.io/change-cause=set image 1.26', '--overwrite']);
  await rolledOut(t, e);
  rss = await until(
    () => replicaSets(c),
    (list) => list.some((rs) => rs.metadata.annotations?.['kubernetes.io/change-cause'] === 'set image 1.26'),
  );
  t.equal(rss.length, 2, 'a new ReplicaSet for the new template');
  t.same(rss.find((rs) => rs.metadata.name === first.metadata.name)?.spec.replicas, 0, 'the old one is scaled to 0');
  const second = rss.find((rs) => rs.metadata.name !== first.metadata.name);
  t.equal(revisionOf(second), '2');
  t.equal(imageOf(second), 'nginx:1.26');

  const history = await e.ok(['rollout', 'history', 'deploy/web']);
  t.match(history, /REVISION\s+CHANGE-CAUSE/);
  t.match(history, /\n1\s+first\n/);
  t.match(history, /\n2\s+set image 1\.26\n/);
  const old = await kubectlFor(OLD_VERSION, e.cluster.kubeconfigPath);
  t.teardown(old.cleanup);
  const oldHistory = await old.kubectl(['rollout', 'history', 'deploy/web']);
  t.equal(oldHistory.code, 0, `kubectl ${OLD_VERSION} rollout history`);
  t.match(oldHistory.stdout, /\n2\s+set image 1\.26\n/);

  // undo: revision 1's ReplicaSet comes back as revision 3
  await e.ok(['rollout', 'undo', 'deploy/web']);
  await rolledOut(t, e);
  const undone = await until(
    () => replicaSets(c),
    (list) => revisionOf(list.find((rs) => rs.metadata.name === first.metadata.name)) === '3',
  );
  t.equal(undone.length, 2, 'no third ReplicaSet');
  const back = undone.find((rs) => rs.metadata.name === first.metadata.name);
  t.equal(revisionOf(back), '3', 'the first ReplicaSet is revision 3');
  t.equal(back.metadata.annotations['deployment.kubernetes.io/revision-history'], '1');
  t.equal(back.spec.replicas, 3);
  const deploy = await getDeploy(c);
  t.equal(revisionOf(deploy), '3');
  t.equal(deploy?.spec.template.spec.containers[0].image, 'nginx:1.25');
  t.match(await e.ok(['rollout', 'history', 'deploy/web']), /\n2\s+set image 1\.26\n3\s+first\n/);

  // pause: a new template waits; resume rolls it out
  await e.ok(['rollout', 'pause', 'deploy/web']);
  await e.ok(['set', 'image', 'deploy/web', 'app=nginx:1.27']);
  const paused = await until(
    () => getDeploy(c),
    (d) => d?.status?.observedGeneration === d?.metadata.generation && d?.status?.conditions?.some((c: any) => c.type === 'Progressing' && c.reason === 'DeploymentPaused'),
  );
  t.match(paused?.status.conditions, [{}, { type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' }]);
  await sleep(300);
  t.equal((await replicaSets(c)).length, 2, 'paused: no new ReplicaSet');
  await e.ok(['rollout', 'resume', 'deploy/web']);
  await rolledOut(t, e);
  rss = await replicaSets(c);
  t.equal(rss.length, 3, 'resumed: the new template rolled out');
  t.ok(rss.some((rs) => imageOf(rs) === 'nginx:1.27' && rs.spec.replicas === 3 && revisionOf(rs) === '4'));

  // restart: a template annotation, so a new ReplicaSet
  await e.ok(['rollout', 'restart', 'deploy/web']);
  await rolledOut(t, e);
  rss = await replicaSets(c);
  t.equal(rss.length, 4, 'restart rolls out a new ReplicaSet');
  const restarted = rss.find((rs) => revisionOf(rs) === '5');
  t.ok(restarted?.spec.template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt'], 'with the restartedAt annotation');
  t.same(
    rss.filter((rs) => rs !== restarted).map((rs) => rs.spec.replicas),
    [0, 0, 0],
    'every older ReplicaSet at 0',
  );

  // scale
  await e.ok(['scale', 'deploy/web', '--replicas=5']);
  await rolledOut(t, e);
  const table = await until(
    () => e.ok(['get', 'deploy', 'web']),
    (out) => /web\s+5\/5\s+5\s+5\s/.test(out),
  );
  t.match(table, /NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE/);
  t.match(table, /web\s+5\/5\s+5\s+5\s/, 'READY 5/5, UP-TO-DATE 5, AVAILABLE 5');
  const scaled = await getDeploy(c);
  t.match(scaled?.status, { replicas: 5, updatedReplicas: 5, readyReplicas: 5, availableReplicas: 5 });
  const condition = (type: string) => scaled?.status.conditions.find((c: any) => c.type === type);
  t.match(condition('Available'), { status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' });
  t.match(condition('Progressing'), { status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${restarted.metadata.name}" has successfully progressed.` });

  // converged: nothing changes any more
  const versions = async () => {
    const d = await getDeploy(c);
    return [d?.metadata.resourceVersion, ...(await replicaSets(c)).map((rs) => `${rs.metadata.name}@${rs.metadata.resourceVersion}`).sort()].join(' ');
  };
  const before = await versions();
  await sleep(1_500);
  t.equal(await versions(), before, 'no writes to the Deployment or its ReplicaSets once converged');
});

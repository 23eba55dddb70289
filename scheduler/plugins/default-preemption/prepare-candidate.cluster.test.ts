// The API writes of a preemption against a real API server (as the scheduler's user):
// the DisruptionTarget condition lands through a strategic status patch and survives the
// graceful delete, the delete takes the uid precondition, and a nomination is cleared
// with a null in a status patch — the shapes the fake client in the other tests records.
import type { V1Pod } from '@kubernetes/client-node';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import t from 'tap';
import { FakeClock } from '../../../client/clock.js';
import { createClient } from '../../../client/create-client.js';
import type { KubeObject } from '../../../client/types.js';
import { startCluster } from '../../../cli/start-cluster.js';
import { newPodInfo } from '../../framework/node-info.js';
import { prepareCandidate } from './prepare-candidate.js';

t.test('prepareCandidate against the API server', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-h6-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const cluster = await startCluster({ dataDir: join(dir, 'data'), port: 0, store: 'memory', nodes: 0, logLevel: 'silent', scheduler: false, controllers: false });
  t.teardown(() => cluster.stop());
  const client = createClient({ server: cluster.url, ca: cluster.ca, ...cluster.credentials('system:kube-scheduler') });
  t.teardown(() => client.close());
  const pods = client.resource<KubeObject>('v1', 'Pod');

  const pod = (name: string, extra: Partial<V1Pod['spec']> = {}): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'busybox' }], ...extra },
  });
  const victim = (await pods.create(pod('victim', { nodeName: 'n1' }))) as V1Pod;
  await pods.create(pod('lesser'));
  const lesser = (await pods.patch('lesser', 'merge', { status: { nominatedNodeName: 'n1' } }, { namespace: 'default', subresource: 'status' })) as V1Pod;
  t.equal(lesser.status?.nominatedNodeName, 'n1');

  const preemptor = { metadata: { name: 'p', namespace: 'default', uid: 'uid-p' }, spec: { priority: 100, schedulerName: 'default-scheduler', containers: [] } } as V1Pod;
  const events: string[] = [];
  const status = await prepareCandidate(
    {
      client,
      events: { event: (o, type, reason, message) => events.push(`${o.metadata?.name} ${type} ${reason} ${message}`) },
      logger: pino({ level: 'silent' }),
      now: () => new FakeClock().now(),
      profileName: 'default-scheduler',
    },
    { nominatedPodsForNode: (n) => (n === 'n1' ? [newPodInfo(lesser)] : []) },
    { nodeName: 'n1', victims: [victim], numPdbViolations: 0 },
    preemptor,
  );
  t.same(status, { code: 'Success', reasons: [] });
  t.same(events, ['victim Normal Preempted Preempted by pod uid-p on node n1']);

  // a bound pod is deleted gracefully: it stays, terminating, with the condition
  const after = (await pods.get('victim', { namespace: 'default' })) as V1Pod;
  t.ok(after.metadata?.deletionTimestamp, 'terminating');
  t.match(after.status?.conditions?.find((c) => c.type === 'DisruptionTarget'), {
    status: 'True',
    reason: 'PreemptionByScheduler',
    message: 'default-scheduler: preempting to accommodate a higher priority pod',
  });
  const cleared = (await pods.get('lesser', { namespace: 'default' })) as V1Pod;
  t.notOk(cleared.status?.nominatedNodeName, 'nomination cleared');
});

/**
 * The event recorder against a real API server (startCluster, memory store): recorded
 * events are listable with the right fields, and a repeat is aggregated on the server.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { issueClientCert } from '../../cli/pki/pki.js';
import { startCluster } from '../../cli/start-cluster.js';
import { FakeClock } from '../clock.js';
import { createClient } from '../create-client.js';
import { createEventRecorder } from './create-event-recorder.js';
import type { CoreEvent } from './make-event.js';

const silentLogger = { debug() {}, warn() {}, error() {} };

t.test('recorded events reach the API server', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-events-'));
  const cluster = await startCluster({ dataDir: join(dir, 'data'), port: 0, store: 'memory', nodes: 0, logLevel: 'silent', scheduler: false, controllers: false });
  const { cert, key } = await issueClientCert(cluster.pki, 'system:node:k8ts-node-1', ['system:nodes']);
  const client = createClient({ server: cluster.url, ca: cluster.ca, cert, key });
  t.teardown(async () => {
    client.close();
    await cluster.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const clock = new FakeClock(Date.UTC(2026, 0, 1, 12));
  const rec = createEventRecorder({ client, clock, logger: silentLogger as never, source: { component: 'kubelet', host: 'k8ts-node-1' } });
  t.teardown(() => rec.stop());
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', uid: 'pod-uid', resourceVersion: '3' } };
  const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'k8ts-node-1', uid: 'node-uid' } };

  rec.event(pod, 'Normal', 'Pulling', 'Pulling image "nginx"', { fieldPath: 'spec.containers{web}' });
  clock.step(5_000);
  rec.event(pod, 'Normal', 'Pulling', 'Pulling image "nginx"', { fieldPath: 'spec.containers{web}' });
  rec.event(node, 'Normal', 'NodeReady', 'Node k8ts-node-1 status is now: NodeReady');
  await rec.flush();

  const list = await client.resource<CoreEvent>('v1', 'Event').list({ namespace: 'default' });
  const byReason = Object.fromEntries(list.items.map((e) => [e.reason, e]));
  t.equal(list.items.length, 2, 'the repeat was aggregated, not created');
  t.match(byReason.Pulling, {
    metadata: { name: /^web\.[0-9a-f]+$/, namespace: 'default' },
    involvedObject: { apiVersion: 'v1', kind: 'Pod', name: 'web', namespace: 'default', uid: 'pod-uid', resourceVersion: '3', fieldPath: 'spec.containers{web}' },
    type: 'Normal',
    message: 'Pulling image "nginx"',
    source: { component: 'kubelet', host: 'k8ts-node-1' },
    reportingComponent: 'kubelet',
    reportingInstance: 'k8ts-node-1',
    firstTimestamp: '2026-01-01T12:00:00Z',
    lastTimestamp: '2026-01-01T12:00:05Z',
    count: 2,
  });
  t.match(byReason.NodeReady, { involvedObject: { kind: 'Node', name: 'k8ts-node-1', uid: 'node-uid' }, count: 1 });
});

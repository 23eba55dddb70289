/**
 * Leader election against a real API server (startCluster, memory store), on the real
 * clock with second-scale timings (a Lease's duration is whole seconds): the Lease the
 * server stores has the right fields, a successor takes over once the leader stops
 * renewing, and a released Lease (empty holder) is taken at the next attempt.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startCluster } from '../../cli/start-cluster.js';
import { realClock } from '../clock.js';
import { createClient } from '../create-client.js';
import type { LeaseObject } from './lease-object.js';
import { runLeaderElection } from './run-leader-election.js';

const timings = { leaseDurationMs: 1_000, renewDeadlineMs: 600, retryPeriodMs: 100 };

t.test('leader election over a real Lease', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-leader-'));
  const cluster = await startCluster({ dataDir: join(dir, 'data'), port: 0, store: 'memory', nodes: 0, logLevel: 'silent', scheduler: false, controllers: false });
  const client = createClient({ server: cluster.url, ca: cluster.ca, ...cluster.credentials('system:kube-scheduler') });
  t.teardown(async () => {
    client.close();
    await cluster.stop();
    await rm(dir, { recursive: true, force: true });
  });
  const leases = client.resource<LeaseObject>('coordination.k8s.io/v1', 'Lease');
  const lease = { namespace: 'kube-system', name: 'kube-scheduler' };

  const start = (identity: string, releaseOnCancel: boolean) => {
    const stop = new AbortController();
    let resolveLeading!: () => void;
    const leading = new Promise<void>((resolve) => (resolveLeading = resolve));
    const done = runLeaderElection({ client, clock: realClock, lease, identity, ...timings, releaseOnCancel, signal: stop.signal, onStartedLeading: () => resolveLeading() });
    return { stop: () => stop.abort(), leading, done };
  };

  const a = start('a', false);
  await a.leading;
  const held = await leases.get(lease.name, { namespace: lease.namespace });
  t.match(held.spec, { holderIdentity: 'a', leaseDurationSeconds: 1, leaseTransitions: 0, renewTime: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/ });

  const b = start('b', true);
  let bLeads = false;
  void b.leading.then(() => (bLeads = true));
  await new Promise((resolve) => setTimeout(resolve, 300));
  t.notOk(bLeads, 'b waits while a renews');

  a.stop(); // no release: b must wait out the lease duration
  await a.done;
  const stoppedAt = Date.now();
  await b.leading;
  t.ok(Date.now() - stoppedAt >= 500, 'b took over only after the lease ran out');
  t.match((await leases.get(lease.name, { namespace: lease.namespace })).spec, { holderIdentity: 'b', leaseTransitions: 1 });

  const c = start('c', false);
  b.stop(); // releases
  await b.done;
  t.match((await leases.get(lease.name, { namespace: lease.namespace })).spec, { holderIdentity: '' });
  await c.leading;
  t.match((await leases.get(lease.name, { namespace: lease.namespace })).spec, { holderIdentity: 'c', leaseTransitions: 2 });
  c.stop();
  await c.done;
});

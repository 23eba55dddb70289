/**
 * The ServiceAccounts controller and the root CA publisher against a real API server:
 * every active namespace gets a `default` ServiceAccount and the `kube-root-ca.crt`
 * ConfigMap, and both come back when deleted or edited.
 */
import t from 'tap';
import { join } from 'node:path';
import { startCluster } from '../cli/start-cluster.js';
import { createClient } from '../client/create-client.js';
import type { KubeObject } from '../client/types.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function eventually<T>(read: () => Promise<T | undefined>, ms = 15_000): Promise<T | undefined> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read().catch(() => undefined);
    if (v !== undefined || Date.now() > deadline) return v;
    await sleep(50);
  }
}

t.test('default ServiceAccount and kube-root-ca.crt in every namespace', async (t) => {
  const cluster = await startCluster({ dataDir: join(t.testdir(), 'data'), port: 0, store: 'memory', nodes: 0, logLevel: 'silent', scheduler: false });
  const admin = cluster.credentials('admin');
  const client = createClient({ server: cluster.url, ca: cluster.ca, cert: admin.cert, key: admin.key });
  t.teardown(async () => {
    client.close();
    await cluster.stop();
  });
  const accounts = client.resource('v1', 'ServiceAccount');
  const configMaps = client.resource('v1', 'ConfigMap');
  const sa = (ns: string) => eventually(() => accounts.get('default', { namespace: ns }));
  const ca = (ns: string) => eventually(() => configMaps.get('kube-root-ca.crt', { namespace: ns }) as Promise<KubeObject & { data?: Record<string, string> }>);

  for (const ns of ['default', 'kube-system']) {
    t.ok(await sa(ns), `default ServiceAccount in ${ns}`);
    t.equal((await ca(ns))?.data?.['ca.crt'], cluster.ca, `the cluster CA in ${ns}`);
  }
  const token = await client.resource('v1', 'ServiceAccount').createSubresource('default', 'token', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} }, { namespace: 'default' });
  t.match((token as { status?: { token?: string } }).status?.token, /^[\w-]+\.[\w-]+\.[\w-]+$/, 'a token for default (what `kubectl create token default` asks)');

  await client.resource('v1', 'Namespace').create({ metadata: { name: 'team-a' } });
  const first = await sa('team-a');
  t.ok(first, 'a new namespace gets its account');
  t.ok(await ca('team-a'), 'and the CA');

  await accounts.delete('default', { namespace: 'team-a' });
  const again = await eventually(async () => {
    const now = await accounts.get('default', { namespace: 'team-a' });
    return now.metadata?.uid !== first?.metadata?.uid ? now : undefined;
  });
  t.ok(again, 'a deleted default account is made again');

  const cm = (await ca('team-a'))!;
  await configMaps.update({ ...cm, data: { 'ca.crt': 'not a CA' } } as KubeObject);
  const restored = await eventually(async () => {
    const now = (await configMaps.get('kube-root-ca.crt', { namespace: 'team-a' })) as KubeObject & { data?: Record<string, string> };
    return now.data?.['ca.crt'] === cluster.ca ? now : undefined;
  });
  t.ok(restored, 'an edited CA ConfigMap is put back');
});

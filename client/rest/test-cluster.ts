/**
 * Test helper for client/ tests: one real API server (startCluster, memory store, no
 * nodes, no scheduler or controllers writing to its objects) in a temp dir, and an admin
 * client for it; both torn down with the test.
 * Tests may import cli/ (the wiring point); client/ code itself never does.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import { startCluster, type Cluster } from '../../cli/start-cluster.js';
import { createClient } from '../create-client.js';
import type { KubeClient } from '../types.js';

export interface TestCluster {
  cluster: Cluster;
  client: KubeClient;
  /** a client for another built-in identity, closed at teardown */
  clientAs(user: string): KubeClient;
}

export async function startTestCluster(t: Test, extra: { tokenAuthFile?: string; storeCompactionWindowMs?: number } = {}): Promise<TestCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-client-'));
  const cluster = await startCluster({ dataDir: join(dir, 'data'), port: 0, store: 'memory', nodes: 0, logLevel: 'silent', scheduler: false, controllers: false, ...extra });
  const clients: KubeClient[] = [];
  const clientAs = (user: string) => {
    const { cert, key } = cluster.credentials(user);
    const c = createClient({ server: cluster.url, ca: cluster.ca, cert, key });
    clients.push(c);
    return c;
  };
  const client = clientAs('admin');
  t.teardown(async () => {
    for (const c of clients) c.close();
    await cluster.stop();
    await rm(dir, { recursive: true, force: true });
  });
  return { cluster, client, clientAs };
}

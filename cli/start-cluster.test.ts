import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import { DataDirInUseError } from './data-dir-lock.js';
import { UsageError } from './errors.js';
import { startCluster, type Cluster, type ClusterOptions } from './start-cluster.js';

type T = { teardown(fn: () => unknown): void };

async function tempDir(t: T): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-start-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A cluster on a free port; stopped (before its dir is removed) when the test ends. */
async function start(t: T, dataDir: string, extra: ClusterOptions = {}): Promise<Cluster> {
  const cluster = await startCluster({ dataDir, port: 0, logLevel: 'silent', ...extra });
  t.teardown(() => cluster.stop());
  return cluster;
}

t.test('two clusters in one process both serve and both stop', async (t) => {
  const [dirA, dirB] = [await tempDir(t), await tempDir(t)];
  const a = await start(t, dirA, { store: 'memory' });
  const b = await start(t, dirB); // level store
  t.not(a.url, b.url);
  t.not(a.clusterId, b.clusterId);
  for (const c of [a, b]) {
    t.match(c.clusterId, /^[0-9a-f]{8}$/);
    t.match(c.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    t.equal(c.kubeconfigPath, join(c.dataDir, 'kubeconfig'));
    t.equal(await readFile(c.kubeconfigPath, 'utf8'), c.kubeconfig);
    t.equal(parse(c.kubeconfig).clusters[0].cluster.server, c.url);
    const res = await fetch(`${c.url}/version`);
    t.equal(res.status, 200);
    t.match(await res.json(), { major: '1', minor: '33' });
  }
  await a.stop();
  await b.stop();
  await a.stop(); // idempotent
  await t.rejects(fetch(`${a.url}/healthz`), 'a no longer listens');
  t.notOk(existsSync(join(dirA, 'k8ts.lock')), 'lock released');
  t.notOk(existsSync(join(dirB, 'k8ts.lock')), 'lock released');
});

t.test('the same data dir twice in one process is refused, and the first keeps serving', async (t) => {
  const dir = await tempDir(t);
  const first = await start(t, dir, { store: 'memory' });
  await t.rejects(startCluster({ dataDir: dir, port: 0, store: 'memory', logLevel: 'silent' }), new DataDirInUseError(dir, process.pid));
  t.equal((await fetch(`${first.url}/readyz`)).status, 200);
  t.ok(existsSync(join(dir, 'k8ts.lock')), 'the failed start did not release the lock of the first');
});

t.test('the cluster id and the store survive a restart', async (t) => {
  const dir = await tempDir(t);
  const first = await start(t, dir);
  await first.stop();
  const second = await start(t, dir);
  t.equal(second.clusterId, first.clusterId);
});

t.test('bad options are a UsageError before anything is created', async (t) => {
  const dir = join(await tempDir(t), 'never');
  await t.rejects(startCluster({ dataDir: dir, port: 99999 }), new UsageError('port must be an integer 0-65535, got 99999'));
  t.notOk(existsSync(dir));
});

t.test('a failed listen releases everything', async (t) => {
  const dir = await tempDir(t);
  const a = await start(t, dir, { store: 'memory' });
  const port = Number(new URL(a.url).port);
  const dirB = await tempDir(t);
  await t.rejects(startCluster({ dataDir: dirB, port, store: 'memory', logLevel: 'silent' }), {
    name: 'StartupError',
    message: `cannot listen on 127.0.0.1:${port}: address already in use`,
  });
  t.notOk(existsSync(join(dirB, 'k8ts.lock')), 'lock released');
  t.notOk(existsSync(join(dirB, 'kubeconfig')), 'no kubeconfig: never ready');
});

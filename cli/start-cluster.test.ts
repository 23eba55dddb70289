import { X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import { httpsGet } from '../test/helpers/https-get.js';
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
  const cluster = await startCluster({ dataDir, port: 0, logLevel: 'silent', runtime: 'simulated', ...extra });
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
    t.match(c.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    t.equal(c.kubeconfigPath, join(c.dataDir, 'kubeconfig'));
    t.equal(await readFile(c.kubeconfigPath, 'utf8'), c.kubeconfig);
    t.equal(parse(c.kubeconfig).clusters[0].cluster.server, c.url);
    const res = await httpsGet(`${c.url}/version`, { ca: c.ca });
    t.equal(res.status, 200);
    t.match(res.json(), { major: '1', minor: '33' });
  }
  t.not(a.ca, b.ca, 'each cluster has its own CA');
  await a.stop();
  await b.stop();
  await a.stop(); // idempotent
  await t.rejects(httpsGet(`${a.url}/healthz`, { ca: a.ca }), 'a no longer listens');
  t.notOk(existsSync(join(dirA, 'k8ts.lock')), 'lock released');
  t.notOk(existsSync(join(dirB, 'k8ts.lock')), 'lock released');
});

t.test('the same data dir twice in one process is refused, and the first keeps serving', async (t) => {
  const dir = await tempDir(t);
  const first = await start(t, dir, { store: 'memory' });
  await t.rejects(startCluster({ dataDir: dir, port: 0, store: 'memory', logLevel: 'silent' }), new DataDirInUseError(dir, process.pid));
  t.equal((await httpsGet(`${first.url}/readyz`, { ca: first.ca })).status, 200);
  t.ok(existsSync(join(dir, 'k8ts.lock')), 'the failed start did not release the lock of the first');
});

t.test('the cluster id, the store and the certificates survive a restart', async (t) => {
  const dir = await tempDir(t);
  const first = await start(t, dir, { nodes: 2 });
  await first.stop();
  const pkiFiles = async () => Object.fromEntries(await Promise.all((await readdir(join(dir, 'pki'))).map(async (f) => [f, await readFile(join(dir, 'pki', f), 'utf8')])));
  const before = await pkiFiles();
  const second = await start(t, dir, { nodes: 2 });
  t.equal(second.clusterId, first.clusterId);
  t.same(second.pki.issued, [], 'nothing made on restart');
  t.same(await pkiFiles(), before, 'the same files');
  t.equal(second.ca, first.ca);
  t.equal((await httpsGet(`${second.url}/version`, { ca: first.ca })).status, 200, 'the old CA still verifies the server');
});

t.test('the kubeconfig embeds the CA and the admin certificate; component credentials', async (t) => {
  const dir = await tempDir(t);
  const c = await start(t, dir, { store: 'memory', nodes: 2 });
  const config = parse(c.kubeconfig);
  const decode = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');
  t.equal(decode(config.clusters[0].cluster['certificate-authority-data']), c.ca);
  const admin = c.credentials('admin');
  t.equal(decode(config.users[0].user['client-certificate-data']), admin.cert);
  t.equal(decode(config.users[0].user['client-key-data']), admin.key);
  t.equal(new X509Certificate(admin.cert).subject, 'O=system:masters\nCN=admin');

  const serving = new X509Certificate(c.pki.serving.cert);
  t.equal(serving.checkIP('127.0.0.1'), '127.0.0.1');
  t.equal(serving.checkHost('localhost', { subject: 'never' }), 'localhost');

  // [user, groups]
  const identities: Array<[string, string[]]> = [
    ['admin', ['system:masters']],
    ['system:kube-scheduler', []],
    ['system:kube-controller-manager', []],
    ['system:node:k8ts-node-1', ['system:nodes']],
    ['system:node:k8ts-node-2', ['system:nodes']],
  ];
  for (const [user, groups] of identities) {
    const { cert, key, ...identity } = c.credentials(user);
    t.same(identity, { user, groups }, user);
    // authenticated: past 401 to the not-found handler
    t.equal((await httpsGet(`${c.url}/k8ts-test/nowhere`, { ca: c.ca, cert, key })).status, 404, user);
  }
  t.throws(() => c.credentials('system:node:k8ts-node-3'), /no built-in credentials for user "system:node:k8ts-node-3"/);
  t.equal((await httpsGet(`${c.url}/k8ts-test/nowhere`, { ca: c.ca })).status, 401, 'no credentials');
});

t.test('tokenAuthFile and anonymous', async (t) => {
  const dir = await tempDir(t);
  const tokenFile = join(dir, 'tokens.csv');
  await writeFile(tokenFile, 'good-token,alice,1001,"devs,ops"\n');
  const c = await start(t, join(dir, 'data'), { store: 'memory', tokenAuthFile: tokenFile });
  t.equal(c.options.tokenAuthFile, tokenFile);
  t.equal((await httpsGet(`${c.url}/k8ts-test/nowhere`, { ca: c.ca, token: 'good-token' })).status, 404);
  const bad = await httpsGet(`${c.url}/k8ts-test/nowhere`, { ca: c.ca, token: 'bad-token' });
  t.equal(bad.status, 401);
  t.same(bad.json(), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
  t.equal((await httpsGet(`${c.url}/healthz`, { ca: c.ca })).status, 200, 'health stays open');

  const anon = await start(t, await tempDir(t), { store: 'memory', anonymous: true });
  const res = await httpsGet(`${anon.url}/api/v1/namespaces/default/pods`, { ca: anon.ca });
  t.equal(res.status, 403);
  t.match(res.json(), { reason: 'Forbidden', message: /User "system:anonymous" cannot list resource "pods"/ });
});

t.test('a bad token file is a one-line StartupError, and nothing is left running', async (t) => {
  const dir = await tempDir(t);
  const cases: Array<[string | undefined, RegExp]> = [
    [undefined, /^cannot use token auth file .*missing\.csv: ENOENT$/],
    ['tok,alice\n', /^cannot use token auth file .*bad\.csv: line 1: must have at least 3 columns \(token, user name, user uid\), found 2$/],
  ];
  for (const [content, message] of cases) {
    const file = join(dir, content === undefined ? 'missing.csv' : 'bad.csv');
    if (content !== undefined) await writeFile(file, content);
    const dataDir = join(dir, 'data');
    await t.rejects(startCluster({ dataDir, port: 0, store: 'memory', logLevel: 'silent', tokenAuthFile: file }), { name: 'StartupError', message });
    t.notOk(existsSync(join(dataDir, 'k8ts.lock')), 'lock released');
  }
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

t.test('a bad --scheduler-config stops startup with one clear line, before anything listens', async (t) => {
  const dir = t.testdir({ 'scheduler.yaml': 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\npercentageOfNodesToScore: 140\n' });
  await t.rejects(startCluster({ dataDir: join(dir, 'data'), port: 0, store: 'memory', nodes: 0, logLevel: 'silent', schedulerConfig: join(dir, 'scheduler.yaml') }), {
    name: 'StartupError',
    message: /^--scheduler-config .*scheduler\.yaml: percentageOfNodesToScore/,
  });
});

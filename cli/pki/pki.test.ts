import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readdir, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { issueClientCert, kubeletServingNames, loadOrCreatePki, nodeName, servingNames, type PkiOptions } from './pki.js';

type T = { teardown(fn: () => unknown): void };

async function tempDir(t: T): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-pki-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const OPTIONS: PkiOptions = { address: '127.0.0.1', serviceIP: '10.96.0.1', nodes: [nodeName(1), nodeName(2)] };

/** every file in DIR/pki with its content */
async function snapshot(dataDir: string): Promise<Record<string, string>> {
  const dir = join(dataDir, 'pki');
  const files = (await readdir(dir)).sort();
  return Object.fromEntries(await Promise.all(files.map(async (f) => [f, await readFile(join(dir, f), 'utf8')] as const)));
}

t.test('first start makes the CA, the serving and every client certificate; keys are 0600', async (t) => {
  const dir = await tempDir(t);
  const pki = await loadOrCreatePki(dir, OPTIONS);
  t.same(
    pki.issued.map((i) => i.file).sort(),
    ['admin', 'apiserver', 'apiserver-kubelet-client', 'ca', 'kube-controller-manager', 'kube-scheduler', 'kube-scheduler-serving', 'kubelet-k8ts-node-1', 'kubelet-k8ts-node-2', 'kubelet-serving-k8ts-node-1', 'kubelet-serving-k8ts-node-2'],
  );
  t.same(Object.keys(await snapshot(dir)), [
    'admin.crt', 'admin.key', 'apiserver-kubelet-client.crt', 'apiserver-kubelet-client.key', 'apiserver.crt', 'apiserver.key', 'ca.crt', 'ca.key',
    'kube-controller-manager.crt', 'kube-controller-manager.key', 'kube-scheduler-serving.crt', 'kube-scheduler-serving.key', 'kube-scheduler.crt', 'kube-scheduler.key',
    'kubelet-k8ts-node-1.crt', 'kubelet-k8ts-node-1.key', 'kubelet-k8ts-node-2.crt', 'kubelet-k8ts-node-2.key',
    'kubelet-serving-k8ts-node-1.crt', 'kubelet-serving-k8ts-node-1.key', 'kubelet-serving-k8ts-node-2.crt', 'kubelet-serving-k8ts-node-2.key',
  ]);
  t.equal((await stat(pki.dir)).mode & 0o777, 0o700);
  for (const file of await readdir(pki.dir)) {
    t.equal((await stat(join(pki.dir, file))).mode & 0o777, file.endsWith('.key') ? 0o600 : 0o644, file);
  }

  const ca = new X509Certificate(pki.ca.cert);
  t.ok(ca.ca, 'the CA is a CA');
  t.match(ca.subject, /^CN=k8ts-ca@\d+$/);
  t.equal(createPrivateKey(pki.ca.key).asymmetricKeyType, 'ec');

  // [user, subject, key usage]
  const clients: Array<[string, string]> = [
    ['admin', 'O=system:masters\nCN=admin'],
    ['system:kube-scheduler', 'CN=system:kube-scheduler'],
    ['system:kube-controller-manager', 'CN=system:kube-controller-manager'],
    ['system:node:k8ts-node-1', 'O=system:nodes\nCN=system:node:k8ts-node-1'],
    ['system:node:k8ts-node-2', 'O=system:nodes\nCN=system:node:k8ts-node-2'],
  ];
  t.same([...pki.clients.keys()].sort(), clients.map(([user]) => user).sort());
  for (const [user, subject] of clients) {
    const cert = new X509Certificate(pki.clients.get(user)!.cert);
    t.equal(cert.subject, subject, user);
    t.ok(cert.checkIssued(ca) && cert.verify(ca.publicKey), `${user} signed by the CA`);
    t.same(cert.keyUsage, ['1.3.6.1.5.5.7.3.2'], `${user} is for client auth`);
    t.notOk(cert.ca);
  }
  const serving = new X509Certificate(pki.serving.cert);
  t.same(serving.keyUsage, ['1.3.6.1.5.5.7.3.1'], 'serving is for server auth');
  t.ok(serving.verify(ca.publicKey));
});

t.test('serving SANs: loopback, localhost, hostname, --address, the kubernetes service', async (t) => {
  const dir = await tempDir(t);
  const pki = await loadOrCreatePki(dir, { ...OPTIONS, address: '10.1.2.3' });
  const serving = new X509Certificate(pki.serving.cert);
  for (const ip of ['127.0.0.1', '::1', '10.1.2.3', '10.96.0.1']) t.equal(serving.checkIP(ip), ip, ip);
  for (const dns of ['localhost', hostname().toLowerCase(), 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local']) {
    t.equal(serving.checkHost(dns, { subject: 'never' }), dns, dns);
  }
  t.equal(serving.checkIP('10.1.2.4'), undefined);
});

t.test('servingNames: wildcard addresses add no IP', async (t) => {
  // [address, IPs]
  const cases: Array<[string, string[]]> = [
    ['127.0.0.1', ['127.0.0.1', '::1']],
    ['0.0.0.0', ['127.0.0.1', '::1']],
    ['::', ['127.0.0.1', '::1']],
    ['::1', ['127.0.0.1', '::1']],
    ['192.168.1.5', ['127.0.0.1', '::1', '192.168.1.5']],
  ];
  for (const [address, ips] of cases) t.same(servingNames({ address }).ipAddresses, ips, address);
  t.same(servingNames({ address: '0.0.0.0', serviceIP: '10.0.0.1' }).ipAddresses, ['127.0.0.1', '::1', '10.0.0.1']);
});

t.test('a restart reuses every file as it is', async (t) => {
  const dir = await tempDir(t);
  const first = await loadOrCreatePki(dir, OPTIONS);
  const before = await snapshot(dir);
  const second = await loadOrCreatePki(dir, OPTIONS);
  t.same(second.issued, []);
  t.same(await snapshot(dir), before);
  t.equal(second.ca.cert, first.ca.cert);
  t.same(second.clients.get('admin'), first.clients.get('admin'));
});

t.test('a restart makes only what is missing or unusable', async (t) => {
  const dir = await tempDir(t);
  await loadOrCreatePki(dir, OPTIONS);
  const pkiDir = join(dir, 'pki');
  const before = await snapshot(dir);
  const adminKey = createPrivateKey(before['admin.key']!);

  await unlink(join(pkiDir, 'kube-scheduler.key'));
  await writeFile(join(pkiDir, 'kubelet-k8ts-node-1.crt'), 'garbage');
  // node-2's key swapped for admin's: a mismatch
  await writeFile(join(pkiDir, 'kubelet-k8ts-node-2.key'), before['admin.key']!);
  const pki = await loadOrCreatePki(dir, { ...OPTIONS, nodes: [...OPTIONS.nodes, nodeName(3)] });
  t.same(pki.issued.sort((a, b) => a.file.localeCompare(b.file)), [
    { file: 'kube-scheduler', reason: 'missing' },
    { file: 'kubelet-k8ts-node-1', reason: 'unreadable' },
    { file: 'kubelet-k8ts-node-2', reason: 'key does not match the certificate' },
    { file: 'kubelet-k8ts-node-3', reason: 'missing' },
    { file: 'kubelet-serving-k8ts-node-3', reason: 'missing' },
  ]);
  const after = await snapshot(dir);
  for (const file of ['ca.crt', 'ca.key', 'apiserver.crt', 'admin.crt', 'admin.key', 'kube-controller-manager.crt']) t.equal(after[file], before[file], `${file} kept`);
  t.ok(new X509Certificate(after['kubelet-k8ts-node-2.crt']!).checkPrivateKey(createPrivateKey(after['kubelet-k8ts-node-2.key']!)));
  t.notOk(new X509Certificate(after['kubelet-k8ts-node-2.crt']!).checkPrivateKey(adminKey));
});

t.test('a key with a loose mode is made private again', async (t) => {
  const dir = await tempDir(t);
  const { chmod } = await import('node:fs/promises');
  await loadOrCreatePki(dir, OPTIONS);
  await chmod(join(dir, 'pki', 'admin.key'), 0o644);
  await loadOrCreatePki(dir, OPTIONS);
  t.equal((await stat(join(dir, 'pki', 'admin.key'))).mode & 0o777, 0o600);
});

t.test('a new --address that the serving certificates do not cover reissues them alone', async (t) => {
  const dir = await tempDir(t);
  await loadOrCreatePki(dir, OPTIONS);
  const before = await snapshot(dir);
  const moved = await loadOrCreatePki(dir, { ...OPTIONS, address: '10.9.8.7' });
  t.same(moved.issued.map((i) => i.file), ['apiserver', 'kubelet-serving-k8ts-node-1', 'kubelet-serving-k8ts-node-2']);
  t.same(moved.issued[0], { file: 'apiserver', reason: 'SANs do not cover 10.9.8.7' });
  t.equal(new X509Certificate(moved.serving.cert).checkIP('10.9.8.7'), '10.9.8.7');
  const after = await snapshot(dir);
  t.not(after['apiserver.crt'], before['apiserver.crt']);
  t.equal(after['ca.crt'], before['ca.crt']);
  // back to loopback: still covered, nothing to do
  t.same((await loadOrCreatePki(dir, OPTIONS)).issued, []);
});

t.test('a new CA reissues everything it signed', async (t) => {
  const dir = await tempDir(t);
  await loadOrCreatePki(dir, OPTIONS);
  await unlink(join(dir, 'pki', 'ca.key'));
  const pki = await loadOrCreatePki(dir, OPTIONS);
  t.equal(pki.issued.length, 11);
  t.same(pki.issued.filter((i) => i.file !== 'ca').map((i) => i.reason), Array(10).fill('not signed by the current CA'));
  const ca = new X509Certificate(pki.ca.cert);
  for (const client of pki.clients.values()) t.ok(new X509Certificate(client.cert).verify(ca.publicKey), client.user);
  t.ok(new X509Certificate(pki.kubeletClient.cert).verify(ca.publicKey), 'kubelet client');
  for (const [node, pair] of pki.kubeletServing) t.ok(new X509Certificate(pair.cert).verify(ca.publicKey), `${node} serving`);
  t.ok(new X509Certificate(pki.schedulerServing.cert).verify(ca.publicKey), 'scheduler serving');
});

t.test('issueClientCert: more client certificates from the same CA', async (t) => {
  const dir = await tempDir(t);
  const pki = await loadOrCreatePki(dir, OPTIONS);
  const alice = await issueClientCert(pki, 'alice', ['devs', 'ops']);
  t.equal(alice.user, 'alice');
  t.same(alice.groups, ['devs', 'ops']);
  const cert = new X509Certificate(alice.cert);
  t.equal(cert.subject, 'O=devs\nO=ops\nCN=alice');
  t.ok(cert.verify(new X509Certificate(pki.ca.cert).publicKey));
  t.ok(cert.checkPrivateKey(createPrivateKey(alice.key)));
  t.same(await readdir(pki.dir).then((f) => f.filter((n) => n.startsWith('alice'))), [], 'not written to disk');
});

t.test('timing: a restart does not load the X.509 library and is quick', async (t) => {
  const dir = await tempDir(t);
  await loadOrCreatePki(dir, OPTIONS);
  const started = performance.now();
  await loadOrCreatePki(dir, OPTIONS);
  const ms = performance.now() - started;
  t.ok(ms < 200, `restart took ${ms.toFixed(1)} ms`);
});

t.test('the API server\'s kubelet client and each kubelet\'s serving certificate', async (t) => {
  const dir = await tempDir(t);
  const pki = await loadOrCreatePki(dir, { ...OPTIONS, address: '10.1.2.3' });
  const ca = new X509Certificate(pki.ca.cert);
  const client = new X509Certificate(pki.kubeletClient.cert);
  t.equal(client.subject, 'O=system:masters\nCN=kube-apiserver-kubelet-client');
  t.same(client.keyUsage, ['1.3.6.1.5.5.7.3.2']);
  t.ok(client.verify(ca.publicKey));
  t.same([pki.kubeletClient.user, pki.kubeletClient.groups], ['kube-apiserver-kubelet-client', ['system:masters']]);
  t.notOk(pki.clients.has('kube-apiserver-kubelet-client'), 'not one of the API server\'s clients');

  t.same([...pki.kubeletServing.keys()], [nodeName(1), nodeName(2)]);
  const serving = new X509Certificate(pki.kubeletServing.get(nodeName(1))!.cert);
  t.equal(serving.subject, 'O=system:nodes\nCN=system:node:k8ts-node-1');
  t.same(serving.keyUsage, ['1.3.6.1.5.5.7.3.1']);
  t.ok(serving.verify(ca.publicKey));
  for (const ip of ['127.0.0.1', '10.1.2.3']) t.equal(serving.checkIP(ip), ip, ip);
  for (const dns of [nodeName(1), 'localhost']) t.equal(serving.checkHost(dns, { subject: 'never' }), dns, dns);
  t.equal(serving.checkHost(nodeName(2), { subject: 'never' }), undefined, 'not the other node');
  t.same(kubeletServingNames('n', '0.0.0.0'), { dnsNames: ['n', 'localhost'], ipAddresses: ['127.0.0.1'] });
});

t.test('kubelet pairs are reused on restart and reissued when unusable or the address moves', async (t) => {
  const dir = await tempDir(t);
  await loadOrCreatePki(dir, OPTIONS);
  const before = await snapshot(dir);
  t.same((await loadOrCreatePki(dir, OPTIONS)).issued, []);
  t.same(await snapshot(dir), before);

  await unlink(join(dir, 'pki', 'apiserver-kubelet-client.key'));
  // node-1's serving pair replaced by node-2's: the subject is wrong
  await writeFile(join(dir, 'pki', 'kubelet-serving-k8ts-node-1.crt'), before['kubelet-serving-k8ts-node-2.crt']!);
  await writeFile(join(dir, 'pki', 'kubelet-serving-k8ts-node-1.key'), before['kubelet-serving-k8ts-node-2.key']!);
  const repaired = await loadOrCreatePki(dir, OPTIONS);
  t.same(repaired.issued, [
    { file: 'apiserver-kubelet-client', reason: 'missing' },
    { file: 'kubelet-serving-k8ts-node-1', reason: 'subject is not the identity' },
  ]);

  const moved = await loadOrCreatePki(dir, { ...OPTIONS, address: '10.9.8.7' });
  t.same(moved.issued.map((i) => `${i.file}: ${i.reason}`), [
    'apiserver: SANs do not cover 10.9.8.7',
    'kubelet-serving-k8ts-node-1: SANs do not cover 10.9.8.7',
    'kubelet-serving-k8ts-node-2: SANs do not cover 10.9.8.7',
  ]);
});

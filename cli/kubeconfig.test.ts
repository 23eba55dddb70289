import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import { kubeconfigYaml, removeKubeconfig, writeKubeconfig } from './kubeconfig.js';

const CREDENTIALS = { ca: '-----BEGIN CERTIFICATE-----\nCA\n', cert: '-----BEGIN CERTIFICATE-----\nADMIN\n', key: '-----BEGIN PRIVATE KEY-----\nKEY\n' };
const b64 = (s: string) => Buffer.from(s).toString('base64');

t.test('kubeconfig names cluster k8ts, context k8ts, user admin, and embeds the CA and the client certificate', async (t) => {
  t.same(parse(kubeconfigYaml('https://127.0.0.1:6443', CREDENTIALS)), {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'k8ts', cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': b64(CREDENTIALS.ca) } }],
    contexts: [{ name: 'k8ts', context: { cluster: 'k8ts', user: 'admin' } }],
    'current-context': 'k8ts',
    preferences: {},
    users: [{ name: 'admin', user: { 'client-certificate-data': b64(CREDENTIALS.cert), 'client-key-data': b64(CREDENTIALS.key) } }],
  });
});

t.test('written atomically with mode 0600, removable', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-kc-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const path = await writeKubeconfig(dir, 'x: 1\n');
  t.equal(await readFile(path, 'utf8'), 'x: 1\n');
  t.equal((await stat(path)).mode & 0o777, 0o600);
  t.same(await readdir(dir), ['kubeconfig'], 'no temp file left behind');
  await removeKubeconfig(dir);
  await removeKubeconfig(dir);
  t.same(await readdir(dir), []);
});

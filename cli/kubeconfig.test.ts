import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import { kubeconfigYaml, removeKubeconfig, writeKubeconfig } from './kubeconfig.js';

t.test('kubeconfig names cluster k8ts, context k8ts, user admin', async (t) => {
  t.same(parse(kubeconfigYaml('http://127.0.0.1:6443')), {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'k8ts', cluster: { server: 'http://127.0.0.1:6443' } }],
    contexts: [{ name: 'k8ts', context: { cluster: 'k8ts', user: 'admin' } }],
    'current-context': 'k8ts',
    preferences: {},
    users: [{ name: 'admin', user: {} }],
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

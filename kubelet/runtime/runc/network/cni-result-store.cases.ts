import t from 'tap';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CniResultStore } from './cni-result-store.js';

t.test('CniResultStore: save, load, list, remove', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'k8ts-cni-results-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const store = new CniResultStore(join(root, 'cni-results'));

  t.same(await store.list(), [], 'no directory yet: nothing known');
  t.equal(await store.load('abc'), undefined);

  await store.save({ sandboxId: 'b1', netnsPath: '/n/b1', portMappings: [] });
  await store.save({ sandboxId: 'a1', netnsPath: '/n/a1', portMappings: [{ hostPort: 80, containerPort: 8080, protocol: 'tcp' }] });
  await store.save({ sandboxId: 'a1', netnsPath: '/n/a1', portMappings: [{ hostPort: 80, containerPort: 8080, protocol: 'tcp' }], bridgeResult: { ips: [{ address: '10.0.0.2/24' }] } });
  t.same(await store.list(), ['a1', 'b1'], 'sorted ids');
  t.same(await store.load('a1'), {
    sandboxId: 'a1',
    netnsPath: '/n/a1',
    portMappings: [{ hostPort: 80, containerPort: 8080, protocol: 'tcp' }],
    bridgeResult: { ips: [{ address: '10.0.0.2/24' }] },
  }, 'the second save replaced the first');
  t.same(await readdir(store.dir), ['a1.json', 'b1.json'], 'no temp files left');

  await writeFile(join(store.dir, 'broken.json'), '{not json');
  t.equal(await store.load('broken'), undefined, 'an unreadable record is no record');

  await store.remove('a1');
  await store.remove('a1');
  t.same(await store.list(), ['b1', 'broken'], 'remove is idempotent');

  for (const bad of ['../x', '', '.hidden', 'a/b']) {
    await t.rejects(store.save({ sandboxId: bad, netnsPath: '', portMappings: [] }), /invalid sandbox id/, JSON.stringify(bad));
  }
});

import { createPrivateKey, createPublicKey } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { loadOrCreateServiceAccountKey, SA_KEY_FILE, SA_PUB_FILE } from './service-account-key.js';

async function tempDir(t: { teardown(fn: () => unknown): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-sa-key-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

t.test('made at first start (0600 key, 0644 public key), reused after', async (t) => {
  const dir = await tempDir(t);
  const first = await loadOrCreateServiceAccountKey(dir);
  t.equal(first.made, 'missing');
  t.equal((await stat(join(dir, SA_KEY_FILE))).mode & 0o777, 0o600);
  t.equal((await stat(join(dir, SA_PUB_FILE))).mode & 0o777, 0o644);
  t.match(createPrivateKey(first.privateKey), { asymmetricKeyType: 'ec', asymmetricKeyDetails: { namedCurve: 'prime256v1' } });
  t.equal(await readFile(join(dir, SA_PUB_FILE), 'utf8'), first.publicKey);

  const again = await loadOrCreateServiceAccountKey(dir);
  t.equal(again.made, undefined);
  t.equal(again.privateKey, first.privateKey);
  t.equal(again.publicKey, createPublicKey(first.privateKey).export({ format: 'pem', type: 'spki' }).toString());
});

t.test('a key file that is not a key is replaced; a loose mode is tightened', async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, SA_KEY_FILE), 'garbage', { mode: 0o644 });
  const made = await loadOrCreateServiceAccountKey(dir);
  t.equal(made.made, 'unreadable');
  t.not(made.privateKey, 'garbage');

  await chmod(join(dir, SA_KEY_FILE), 0o644);
  t.equal((await loadOrCreateServiceAccountKey(dir)).made, undefined);
  t.equal((await stat(join(dir, SA_KEY_FILE))).mode & 0o777, 0o600);
});

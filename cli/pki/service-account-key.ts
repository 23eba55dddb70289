/**
 * The service account signing key, DATA_DIR/pki/sa.key (and sa.pub beside it), where
 * kubeadm keeps it: made at the first start and reused after, so tokens issued before a
 * restart still verify. An ECDSA P-256 key (kube signs ES256 with one): kubeadm makes
 * RSA, but an RSA 2048 key takes up to a second to generate on a busy machine, on every
 * fresh data dir, and every test cluster is one; a P-256 key takes a millisecond. An RSA
 * key put there by hand works too (RS256). A key file that cannot be read as a private
 * key is replaced (tokens signed with it stop working, as they would in kube).
 */
import { createPrivateKey, createPublicKey, generateKeyPair } from 'node:crypto';
import { chmod, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { writeFileAtomic } from '../write-file-atomic.js';

const generate = promisify(generateKeyPair);

export interface ServiceAccountKey {
  /** PEM PKCS#8 private key */
  privateKey: string;
  /** PEM SPKI public key (what a token verifier outside the API server needs) */
  publicKey: string;
  /** why it was made now ('missing', 'unreadable'), or undefined when reused */
  made?: string;
}

export const SA_KEY_FILE = 'sa.key';
export const SA_PUB_FILE = 'sa.pub';

async function readKey(path: string): Promise<string | undefined> {
  try {
    const pem = await readFile(path, 'utf8');
    if (((await stat(path)).mode & 0o077) !== 0) await chmod(path, 0o600);
    return pem;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Load `pkiDir`/sa.key, or make it (and sa.pub) when missing or unreadable. */
export async function loadOrCreateServiceAccountKey(pkiDir: string): Promise<ServiceAccountKey> {
  const keyPath = join(pkiDir, SA_KEY_FILE);
  const existing = await readKey(keyPath);
  let made = 'missing';
  if (existing !== undefined) {
    try {
      const publicKey = createPublicKey(createPrivateKey(existing)).export({ format: 'pem', type: 'spki' }).toString();
      return { privateKey: existing, publicKey };
    } catch {
      made = 'unreadable';
    }
  }
  const { privateKey, publicKey } = await generate('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: { format: 'pem', type: 'pkcs8' },
    publicKeyEncoding: { format: 'pem', type: 'spki' },
  });
  // private first: a crash in between leaves a stale sa.pub, rewritten next time
  await writeFileAtomic(keyPath, privateKey, 0o600);
  await writeFileAtomic(join(pkiDir, SA_PUB_FILE), publicKey, 0o644);
  return { privateKey, publicKey, made };
}

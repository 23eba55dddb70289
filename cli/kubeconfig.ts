/**
 * The admin kubeconfig written to DIR/kubeconfig once the cluster serves: the server's
 * https URL, the cluster CA (certificate-authority-data) and the admin's client
 * certificate and key (client-certificate-data, client-key-data), all embedded so the
 * file works on its own wherever it is copied.
 */
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { writeFileAtomic } from './write-file-atomic.js';

export const KUBECONFIG_FILE = 'kubeconfig';
export const KUBECONFIG_NAMES = { cluster: 'k8ts', context: 'k8ts', user: 'admin' } as const;

export interface KubeconfigCredentials {
  /** PEM CA that signed the server's certificate */
  ca: string;
  /** PEM client certificate and key */
  cert: string;
  key: string;
}

const base64 = (pem: string) => Buffer.from(pem, 'utf8').toString('base64');

/** A kubeconfig for `server` (https URL) that logs in with `credentials`. */
export function kubeconfigYaml(server: string, credentials: KubeconfigCredentials): string {
  const { cluster, context, user } = KUBECONFIG_NAMES;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster, cluster: { server, 'certificate-authority-data': base64(credentials.ca) } }],
    contexts: [{ name: context, context: { cluster, user } }],
    'current-context': context,
    preferences: {},
    users: [{ name: user, user: { 'client-certificate-data': base64(credentials.cert), 'client-key-data': base64(credentials.key) } }],
  });
}

/** Written atomically and 0600: it holds the admin's private key. */
export async function writeKubeconfig(dataDir: string, yaml: string): Promise<string> {
  const path = join(dataDir, KUBECONFIG_FILE);
  await writeFileAtomic(path, yaml, 0o600);
  return path;
}

/** A kubeconfig left by an earlier run points at a dead server; remove it before starting. */
export async function removeKubeconfig(dataDir: string): Promise<void> {
  await unlink(join(dataDir, KUBECONFIG_FILE)).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
}

/**
 * The admin kubeconfig written to DIR/kubeconfig once the cluster serves.
 * Plain HTTP and no credentials for now: TLS, the CA and the admin client certificate
 * arrive with the next issue and will fill in certificate-authority-data and the user.
 */
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { writeFileAtomic } from './write-file-atomic.js';

export const KUBECONFIG_FILE = 'kubeconfig';
export const KUBECONFIG_NAMES = { cluster: 'k8ts', context: 'k8ts', user: 'admin' } as const;

export function kubeconfigYaml(server: string): string {
  const { cluster, context, user } = KUBECONFIG_NAMES;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster, cluster: { server } }],
    contexts: [{ name: context, context: { cluster, user } }],
    'current-context': context,
    preferences: {},
    users: [{ name: user, user: {} }],
  });
}

/** Written atomically and 0600: it will hold the admin's private key soon. */
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

/**
 * A short random id per cluster, persisted in DIR/cluster-id so it survives restarts.
 * Later issues name host-level things with it (network namespaces, bridges, cgroups),
 * so clusters running side by side on one host never collide.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './write-file-atomic.js';

export const CLUSTER_ID_FILE = 'cluster-id';
const VALID = /^[0-9a-f]{8}$/;

export async function loadOrCreateClusterId(dataDir: string): Promise<string> {
  const path = join(dataDir, CLUSTER_ID_FILE);
  const existing = (await readFile(path, 'utf8').catch(() => '')).trim();
  if (VALID.test(existing)) return existing;
  // 8 hex chars fit in interface names (15 chars max) with a prefix like "k8ts-"
  const id = randomBytes(4).toString('hex');
  await writeFileAtomic(path, `${id}\n`, 0o644);
  return id;
}

/**
 * The container's environment, in containerd's order: the default PATH (WithDefaultPathEnv),
 * HOSTNAME, then the image's Env, then the container's envs — a later entry with the same
 * key replaces the earlier one where it stands (containerd's WithEnv replaces by key), so
 * the container wins over the image and the image over the defaults. The default PATH
 * matters because runc resolves args[0] through the container's PATH: a bare "sh" in an
 * image without Env would otherwise not be found.
 */
import type { KeyValue } from '../../../cri/api.js';

export const DEFAULT_PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

const keyOf = (entry: string): string => {
  const eq = entry.indexOf('=');
  return eq === -1 ? entry : entry.slice(0, eq);
};

/** Appends entries to list, an entry whose key is already there replacing it where it stands. */
function replaceOrAppend(list: string[], entries: readonly string[]): void {
  for (const entry of entries) {
    const key = keyOf(entry);
    const at = list.findIndex((existing) => keyOf(existing) === key);
    if (at === -1) list.push(entry);
    else list[at] = entry;
  }
}

export function mergeEnv(hostname: string, imageEnv: readonly string[] | undefined | null, containerEnvs: readonly KeyValue[]): string[] {
  const env: string[] = [DEFAULT_PATH_ENV];
  replaceOrAppend(env, [`HOSTNAME=${hostname}`]);
  replaceOrAppend(env, imageEnv ?? []);
  replaceOrAppend(
    env,
    containerEnvs.map((kv) => `${kv.key}=${kv.value}`),
  );
  return env;
}

/**
 * imagePullSecrets → registry credentials, the way kube's credentialprovider does it:
 * - a Secret of type kubernetes.io/dockerconfigjson contributes its `.dockerconfigjson`
 *   `auths`; one of type kubernetes.io/dockercfg its `.dockercfg` (the same map, bare);
 *   an entry's `auth` (base64 "user:password") overrides its username/password.
 * - Keys are registry locations: `https://` / `http://` dropped, a `/v1/` or `/v2/` path
 *   meaning the bare host; the keyring's index is sorted in reverse so the most specific
 *   location (`quay.io/team`) is tried before the host (`quay.io`).
 * - An image matches a key when host parts match one for one (a part may be a glob such
 *   as `*.example.com`), the ports are equal, and the key's path is a prefix of the image's
 *   repository path. Docker Hub images (`busybox`, `docker.io/x`, `index.docker.io/x`) also
 *   fall back to credentials stored for `index.docker.io` (what `docker login` writes). As in
 *   kube, `registry-1.docker.io` is not an alias for it.
 * - Every matching credential is returned, in index order; the puller tries them in turn.
 * - A pull secret that cannot be read is not fatal: kube warns (event
 *   FailedToRetrieveImagePullSecret) and pulls with what it has, possibly anonymously.
 */
import type { V1Pod, V1Secret } from '@kubernetes/client-node';
import type { AuthConfig } from '../cri/api.js';
import { parseImageReference } from '../images/image-reference.js';

export const DOCKER_CONFIG_JSON_TYPE = 'kubernetes.io/dockerconfigjson';
export const DOCKER_CONFIG_JSON_KEY = '.dockerconfigjson';
export const DOCKERCFG_TYPE = 'kubernetes.io/dockercfg';
export const DOCKERCFG_KEY = '.dockercfg';
const DEFAULT_REGISTRY_HOST = 'index.docker.io';

export interface RegistryCredential {
  username: string;
  password: string;
}

interface DockerConfigEntry {
  username?: string;
  password?: string;
  auth?: string;
  email?: string;
}

/** kube's DockerConfig: registry location → entry, with `auth` decoded into username/password */
export function parseDockerConfig(json: string, kind: 'dockerconfigjson' | 'dockercfg'): Map<string, RegistryCredential> {
  const parsed = JSON.parse(json) as Record<string, unknown>;
  const auths = (kind === 'dockerconfigjson' ? (parsed['auths'] ?? {}) : parsed) as Record<string, DockerConfigEntry>;
  const result = new Map<string, RegistryCredential>();
  for (const [location, entry] of Object.entries(auths)) {
    let username = entry?.username ?? '';
    let password = entry?.password ?? '';
    if (entry?.auth) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) throw new Error('unable to parse auth field, must be formatted as base64(username:password)');
      username = decoded.slice(0, colon);
      password = decoded.slice(colon + 1);
    }
    result.set(location, { username, password });
  }
  return result;
}

/** the dockercfg of one pull secret, or undefined when it is of another type or empty (kube ignores those) */
export function dockerConfigOfSecret(secret: V1Secret): Map<string, RegistryCredential> | undefined {
  const data = secret.data ?? {};
  const decode = (v: string) => Buffer.from(v, 'base64').toString('utf8');
  if (secret.type === DOCKER_CONFIG_JSON_TYPE && data[DOCKER_CONFIG_JSON_KEY]) return parseDockerConfig(decode(data[DOCKER_CONFIG_JSON_KEY]), 'dockerconfigjson');
  if (secret.type === DOCKERCFG_TYPE && data[DOCKERCFG_KEY]) return parseDockerConfig(decode(data[DOCKERCFG_KEY]), 'dockercfg');
  return undefined;
}

export interface Keyring {
  /** keys, most specific first */
  index: string[];
  credentials: Map<string, RegistryCredential[]>;
}

/** kube's BasicDockerKeyring.Add, over every config in order */
export function buildKeyring(configs: Array<Map<string, RegistryCredential>>): Keyring {
  const credentials = new Map<string, RegistryCredential[]>();
  for (const config of configs) {
    for (const [location, credential] of config) {
      const key = keyringKey(location);
      if (key === undefined) continue;
      credentials.set(key, [...(credentials.get(key) ?? []), credential]);
    }
  }
  const index = [...credentials.keys()].sort().reverse();
  return { index, credentials };
}

function keyringKey(location: string): string | undefined {
  const { host, path: rawPath } = splitHostAndPath(location.replace(/^https?:\/\//, ''));
  if (host === '') return undefined;
  const path = rawPath.startsWith('/v2/') || rawPath.startsWith('/v1/') ? rawPath.slice(3) : rawPath;
  return path.length > 0 && path !== '/' ? host + path : host;
}

/** Go's url.Parse on a schemeless location, reduced to what matching needs; query and fragment dropped */
function splitHostAndPath(value: string): { host: string; path: string } {
  const clean = value.replace(/[?#].*$/, '');
  const slash = clean.indexOf('/');
  return slash < 0 ? { host: clean, path: '' } : { host: clean.slice(0, slash), path: clean.slice(slash) };
}

/** the repository an image is pulled from, as kube's Lookup sees it: `docker.io/library/busybox` */
export function repositoryOf(image: string): string {
  try {
    return parseImageReference(image).name;
  } catch {
    return image;
  }
}

export function lookupCredentials(keyring: Keyring, image: string): RegistryCredential[] {
  const repository = repositoryOf(image);
  const found: RegistryCredential[] = [];
  for (const key of keyring.index) if (urlsMatch(key, repository)) found.push(...keyring.credentials.get(key)!);
  if (found.length > 0) return found;
  if (isDefaultRegistryMatch(repository)) return [...(keyring.credentials.get(DEFAULT_REGISTRY_HOST) ?? [])];
  return [];
}

function isDefaultRegistryMatch(image: string): boolean {
  const slash = image.indexOf('/');
  const first = slash < 0 ? image : image.slice(0, slash);
  if (first === '') return false;
  if (slash < 0) return true;
  if (first === 'docker.io' || first === DEFAULT_REGISTRY_HOST) return true;
  return !/[.:]/.test(first);
}

interface SchemelessUrl {
  hostParts: string[];
  port: string;
  path: string;
}

function parseSchemeless(value: string): SchemelessUrl {
  const { host, path } = splitHostAndPath(value);
  // net.SplitHostPort: a trailing :port is split off (brackets of an IPv6 literal removed)
  const hostPort = /^(.*):(\d*)$/.exec(host);
  const hostname = (hostPort ? hostPort[1]! : host).replace(/^\[(.*)\]$/, '$1');
  return { hostParts: hostname.split('.'), port: hostPort ? hostPort[2]! : '', path };
}

/** kube's URLsMatch: host parts glob-match one for one, ports equal, the key's path a prefix of the target's */
export function urlsMatch(glob: string, target: string): boolean {
  const g = parseSchemeless(glob);
  const t = parseSchemeless(target);
  if (g.port !== t.port || g.hostParts.length !== t.hostParts.length) return false;
  if (!t.path.startsWith(g.path)) return false;
  return g.hostParts.every((part, i) => globMatch(part, t.hostParts[i]!));
}

/** filepath.Match for one host label: `*` any run, `?` one character, `[...]` a class */
function globMatch(pattern: string, value: string): boolean {
  const source = pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  try {
    return new RegExp(`^${source}$`).test(value);
  } catch {
    return false;
  }
}

/** the CRI AuthConfig kube sends for one credential (only username and password are carried) */
export const authConfigOf = (credential: RegistryCredential): AuthConfig => ({
  username: credential.username,
  password: credential.password,
  auth: '',
  serverAddress: '',
  identityToken: '',
  registryToken: '',
});

export interface PullSecretReader {
  getSecret(namespace: string, name: string): Promise<V1Secret>;
}

/**
 * The credentials for `image` from the pod's imagePullSecrets. Unreadable secrets are named
 * in `onMissing` (kube's FailedToRetrieveImagePullSecret) and skipped; a malformed config
 * throws, failing the pull as in kube.
 */
export async function pullCredentialsFor(pod: V1Pod, image: string, reader: PullSecretReader, onMissing: (names: string[]) => void): Promise<AuthConfig[]> {
  const refs = pod.spec?.imagePullSecrets ?? [];
  if (refs.length === 0) return [];
  const namespace = pod.metadata?.namespace ?? 'default';
  const configs: Array<Map<string, RegistryCredential>> = [];
  const missing: string[] = [];
  for (const ref of refs) {
    const name = ref.name ?? '';
    let secret: V1Secret;
    try {
      secret = await reader.getSecret(namespace, name);
    } catch {
      missing.push(name);
      continue;
    }
    const config = dockerConfigOfSecret(secret);
    if (config) configs.push(config);
  }
  if (missing.length > 0) onMissing(missing);
  return lookupCredentials(buildKeyring(configs), image).map(authConfigOf);
}

/** kube's warning when some pull secrets could not be read */
export const missingPullSecretsMessage = (names: string[]): string =>
  `Unable to retrieve some image pull secrets (${names.join(', ')}); attempting to pull the image may not succeed.`;

/**
 * A kubeconfig's current context resolved to what the client needs: the server URL, the
 * CA, and either a client certificate + key or a bearer token. Data fields
 * (certificate-authority-data, client-certificate-data, client-key-data) are base64 PEM;
 * file fields (certificate-authority, client-certificate, client-key, tokenFile) are read
 * relative to `baseDir` (kubectl resolves them against the kubeconfig's own directory).
 * Each missing piece is named in the error, so a broken file says what to fix.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parse } from 'yaml';

export interface KubeconfigConnection {
  /** the context, cluster and user names used */
  context: string;
  cluster: string;
  user: string;
  server: string;
  ca: string;
  cert?: string;
  key?: string;
  token?: string;
}

export interface ParseKubeconfigOptions {
  /** a context other than current-context */
  context?: string;
  /** where relative file paths point (default: the working directory) */
  baseDir?: string;
  /** how files are read (tests) */
  readFile?: (path: string) => string;
}

export class KubeconfigError extends Error {
  override name = 'KubeconfigError';
}

type Named = { name?: unknown; [entry: string]: unknown };

function findNamed(list: unknown, section: string, entry: string, name: string): Record<string, unknown> {
  const items = Array.isArray(list) ? (list as Named[]) : [];
  const found = items.find((i) => i && typeof i === 'object' && i.name === name);
  if (!found) throw new KubeconfigError(`kubeconfig: no ${entry} named "${name}" in ${section}`);
  const body = found[entry];
  if (!body || typeof body !== 'object') throw new KubeconfigError(`kubeconfig: ${section} entry "${name}" has no ${entry} section`);
  return body as Record<string, unknown>;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function decodeBase64(value: string, field: string, owner: string): string {
  const text = Buffer.from(value, 'base64').toString('utf8');
  if (!text.includes('-----BEGIN')) throw new KubeconfigError(`kubeconfig: ${owner}'s ${field} is not base64-encoded PEM`);
  return text;
}

export function parseKubeconfig(text: string, opts: ParseKubeconfigOptions = {}): KubeconfigConnection {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new KubeconfigError(`kubeconfig: not valid YAML: ${(err as Error).message}`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new KubeconfigError('kubeconfig: the document is not a mapping (expected kind: Config)');
  const config = doc as Record<string, unknown>;
  const read = opts.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  const readRelative = (path: string, what: string): string => {
    const full = isAbsolute(path) || !opts.baseDir ? path : resolve(opts.baseDir, path);
    try {
      return read(full);
    } catch (err) {
      throw new KubeconfigError(`kubeconfig: cannot read ${what} ${full}: ${(err as Error).message}`);
    }
  };

  const contextName = opts.context ?? str(config['current-context']);
  if (!contextName) throw new KubeconfigError('kubeconfig: no current-context is set (and no context was asked for)');
  const context = findNamed(config.contexts, 'contexts', 'context', contextName);
  const clusterName = str(context.cluster);
  const userName = str(context.user);
  if (!clusterName) throw new KubeconfigError(`kubeconfig: context "${contextName}" names no cluster`);
  if (!userName) throw new KubeconfigError(`kubeconfig: context "${contextName}" names no user`);

  const cluster = findNamed(config.clusters, 'clusters', 'cluster', clusterName);
  const server = str(cluster.server);
  if (!server) throw new KubeconfigError(`kubeconfig: cluster "${clusterName}" has no server`);
  if (!server.startsWith('https://')) throw new KubeconfigError(`kubeconfig: cluster "${clusterName}" server ${server} is not https://`);
  const caData = str(cluster['certificate-authority-data']);
  const caFile = str(cluster['certificate-authority']);
  const ca = caData ? decodeBase64(caData, 'certificate-authority-data', `cluster "${clusterName}"`) : caFile ? readRelative(caFile, `cluster "${clusterName}" certificate-authority`) : undefined;
  if (!ca) throw new KubeconfigError(`kubeconfig: cluster "${clusterName}" has no certificate-authority-data or certificate-authority (insecure-skip-tls-verify is not supported)`);

  const user = findNamed(config.users, 'users', 'user', userName);
  const owner = `user "${userName}"`;
  if (user.exec || user['auth-provider']) throw new KubeconfigError(`kubeconfig: ${owner} uses exec or auth-provider credentials, which this client does not support`);
  const certData = str(user['client-certificate-data']);
  const keyData = str(user['client-key-data']);
  const certFile = str(user['client-certificate']);
  const keyFile = str(user['client-key']);
  const cert = certData ? decodeBase64(certData, 'client-certificate-data', owner) : certFile ? readRelative(certFile, `${owner} client-certificate`) : undefined;
  const key = keyData ? decodeBase64(keyData, 'client-key-data', owner) : keyFile ? readRelative(keyFile, `${owner} client-key`) : undefined;
  const tokenFile = str(user.tokenFile);
  const token = str(user.token) ?? (tokenFile ? readRelative(tokenFile, `${owner} tokenFile`).trim() : undefined);

  if (cert && !key) throw new KubeconfigError(`kubeconfig: ${owner} has a client certificate but no client-key-data or client-key`);
  if (key && !cert) throw new KubeconfigError(`kubeconfig: ${owner} has a client key but no client-certificate-data or client-certificate`);
  if (!cert && !token) throw new KubeconfigError(`kubeconfig: ${owner} has no credentials (client-certificate-data + client-key-data, or token)`);

  return { context: contextName, cluster: clusterName, user: userName, server, ca, ...(cert && key ? { cert, key } : {}), ...(token ? { token } : {}) };
}

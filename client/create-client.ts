/**
 * createClient(): the KubeClient of client/types.ts, wired from its parts — one HTTPS
 * transport (keep-alive pool), one RESTMapper over discovery, ResourceClients on demand,
 * and a registry of running watches so close() ends them along with the pool.
 * clientFromKubeconfig() does the same from a kubeconfig's current context.
 */
import { X509Certificate } from 'node:crypto';
import { RestMapper, serverResources } from './discovery/rest-mapper.js';
import { parseKubeconfig, type ParseKubeconfigOptions } from './kubeconfig/parse-kubeconfig.js';
import { createResourceClient } from './rest/resource-client.js';
import { createTransport } from './rest/transport.js';
import type { KubeClient, KubeObject } from './types.js';

export interface ClientOptions {
  /** https://host:port */
  server: string;
  /** PEM CA of the cluster */
  ca: string;
  /** PEM client certificate and key */
  cert?: string;
  key?: string;
  /** bearer token, instead of (or besides) a client certificate */
  token?: string;
  /** sent as User-Agent; defaults to k8ts/<user> with the certificate's common name */
  userAgent?: string;
  /** connections in the keep-alive pool (default 32) */
  maxSockets?: number;
}

/** the CN of a PEM certificate, or undefined when it cannot be read */
function commonName(certPem: string | undefined): string | undefined {
  if (!certPem) return undefined;
  try {
    const subject = new X509Certificate(certPem).subject;
    return /(?:^|\n)CN=([^\n]+)/.exec(subject)?.[1];
  } catch {
    return undefined;
  }
}

export function createClient(opts: ClientOptions): KubeClient {
  if (!opts.cert && !opts.token) throw new Error('createClient: give a client certificate (cert + key) or a token');
  const user = commonName(opts.cert);
  const userAgent = opts.userAgent ?? `k8ts/${user ?? 'client'}`;
  const transport = createTransport({ ...opts, userAgent });
  const mapper = new RestMapper((path) => transport.request('GET', path));
  const watches = new Set<() => void>();
  let closed = false;
  const trackWatch = (stop: () => void) => {
    if (closed) stop();
    watches.add(stop);
    return () => void watches.delete(stop);
  };
  const mapping = (apiVersion: string, kind: string) => mapper.mapping(apiVersion, kind);

  return {
    userAgent,
    mapping,
    serverResources: (opts) => serverResources((path) => transport.request('GET', path), opts),
    resource<T extends KubeObject = KubeObject>(apiVersion: string, kind: string) {
      return createResourceClient<T>(apiVersion, kind, { transport, mapping, trackWatch });
    },
    close() {
      closed = true;
      transport.close();
      for (const stop of [...watches]) stop();
      watches.clear();
    },
  };
}

/** A client for a kubeconfig's current context (or opts.context). */
export function clientFromKubeconfig(text: string, opts: ParseKubeconfigOptions & Pick<ClientOptions, 'userAgent' | 'maxSockets'> = {}): KubeClient {
  const c = parseKubeconfig(text, opts);
  return createClient({ server: c.server, ca: c.ca, ...(c.cert ? { cert: c.cert, key: c.key } : {}), ...(c.token ? { token: c.token } : {}), ...(opts.userAgent ? { userAgent: opts.userAgent } : {}), ...(opts.maxSockets ? { maxSockets: opts.maxSockets } : {}) });
}

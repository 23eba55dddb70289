/**
 * The HTTPS transport under every REST call: one keep-alive agent per client (so a
 * controller's steady stream of small requests reuses a few TLS connections instead of
 * handshaking each time), trusting the cluster CA and presenting a client certificate or
 * a bearer token. Bodies are JSON both ways. A non-2xx answer becomes an ApiError built
 * from the server's Status; a failure to reach the server stays the original error.
 */
import https from 'node:https';
import { createSecureContext } from 'node:tls';
import { ApiError, asStatus, syntheticStatus } from '../api-error.js';

export interface Credentials {
  /** PEM CA the server's certificate must chain to */
  ca: string;
  /** PEM client certificate and key (client-certificate authentication) */
  cert?: string;
  key?: string;
  /** bearer token (token-file or service account authentication) */
  token?: string;
}

export interface TransportOptions extends Credentials {
  /** https://host:port, no trailing path */
  server: string;
  userAgent: string;
  /** concurrent connections to the server; more requests queue in the agent */
  maxSockets?: number;
}

export interface RequestOptions {
  query?: URLSearchParams;
  /** serialised as JSON */
  body?: unknown;
  /** defaults to application/json when there is a body */
  contentType?: string;
  signal?: AbortSignal;
}

export interface Transport {
  readonly server: string;
  readonly userAgent: string;
  readonly credentials: Credentials;
  request<T = unknown>(method: string, path: string, opts?: RequestOptions): Promise<T>;
  /** destroy the pooled connections; later requests fail */
  close(): void;
}

export function createTransport(opts: TransportOptions): Transport {
  const base = new URL(opts.server);
  if (base.protocol !== 'https:') throw new Error(`the server URL must be https:// (got ${JSON.stringify(opts.server)})`);
  if ((opts.cert === undefined) !== (opts.key === undefined)) throw new Error('a client certificate needs its key (give both cert and key, or neither)');
  // one secure context for every connection: left to the agent, each new connection parses
  // the PEM CA, certificate and key again (a few % of a busy node's CPU in bench:pods)
  const secureContext = createSecureContext({ ca: opts.ca, ...(opts.cert ? { cert: opts.cert, key: opts.key } : {}) });
  const agent = new https.Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 32, secureContext });
  let closed = false;
  const credentials: Credentials = { ca: opts.ca, ...(opts.cert ? { cert: opts.cert, key: opts.key } : {}), ...(opts.token ? { token: opts.token } : {}) };

  const request = <T>(method: string, path: string, ro: RequestOptions = {}): Promise<T> => {
    if (closed) return Promise.reject(new Error('the client is closed'));
    const url = new URL(path, base);
    if (ro.query) url.search = ro.query.toString();
    const payload = ro.body === undefined ? undefined : Buffer.from(JSON.stringify(ro.body), 'utf8');
    const headers: Record<string, string | number> = { Accept: 'application/json', 'User-Agent': opts.userAgent };
    if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
    if (payload) {
      headers['Content-Type'] = ro.contentType ?? 'application/json';
      headers['Content-Length'] = payload.length;
    }
    return new Promise<T>((resolve, reject) => {
      const req = https.request(url, { method, agent, headers, ...(ro.signal ? { signal: ro.signal } : {}) }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const code = res.statusCode ?? 0;
          let parsed: unknown;
          let parseError: unknown;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch (err) {
            parseError = err;
          }
          if (code >= 200 && code < 300) {
            if (parseError) return reject(new Error(`${method} ${url.pathname}: the server answered ${code} with a body that is not JSON: ${text.slice(0, 200)}`));
            return resolve((parsed ?? {}) as T);
          }
          reject(new ApiError(asStatus(parsed) ?? syntheticStatus(code, text, res.statusMessage)));
        });
      });
      req.on('error', reject);
      req.end(payload);
    });
  };

  return {
    server: base.origin,
    userAgent: opts.userAgent,
    credentials,
    request,
    close() {
      closed = true;
      agent.destroy();
    },
  };
}

/**
 * Opens one proxied request to a kubelet (the dialing half of kube's UpgradeAwareHandler):
 * TLS with the API server's kubelet-client certificate, the kubelet's serving certificate
 * checked against the cluster CA unless insecureSkipTLSVerify, any method, the client's
 * body streamed through, and an upgrade request's `101 Switching Protocols` handed back
 * with the raw kubelet socket so the caller can splice it to the client's.
 *
 * Node's HTTP client parses the kubelet's response head (bounded by Node's header size
 * limit), so a kubelet that answers an upgrade with an error — the kubelet says what went
 * wrong in plain text BEFORE upgrading — comes back as an ordinary response to relay.
 * A kubelet that cannot be reached is a 503 naming the node, as for pods/log.
 */
import { request as httpsRequest } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { Duplex, Readable } from 'node:stream';
import type { KubeletClientCredentials } from '../catalogue/server-services.js';
import { apiErrors } from '../errors/api-error.js';

export interface KubeletEndpoint {
  nodeName: string;
  host: string;
  port: number;
}

export interface KubeletConnectRequest {
  endpoint: KubeletEndpoint;
  /** path and query on the kubelet, already encoded: /exec/ns/pod/c?command=ls&output=1 */
  path: string;
  method: string;
  /** flat [name, value, …] list (see proxy-headers.ts), Host included */
  headers: string[];
  credentials: KubeletClientCredentials;
  insecureSkipTLSVerify?: boolean;
  /** the client's request body (plain requests only) */
  body?: Readable;
  /** aborts the attempt (the client left) */
  signal?: AbortSignal;
  /** connecting and the kubelet's response head must take no longer */
  timeoutMs: number;
}

export type KubeletAnswer =
  | { kind: 'upgraded'; response: IncomingMessage; socket: Duplex; head: Buffer }
  | { kind: 'response'; response: IncomingMessage };

export function connectToKubelet(r: KubeletConnectRequest): Promise<KubeletAnswer> {
  const { endpoint, credentials } = r;
  const where = `the kubelet on node "${endpoint.nodeName}" (${endpoint.host}:${endpoint.port})`;
  return new Promise((resolve, reject) => {
    let settled = false;
    const req = httpsRequest({
      host: endpoint.host,
      port: endpoint.port,
      method: r.method,
      path: r.path,
      headers: r.headers,
      cert: credentials.cert,
      key: credentials.key,
      ca: credentials.ca,
      rejectUnauthorized: !r.insecureSkipTLSVerify,
      // SNI only for names; the certificate is checked against the IP SAN either way
      ...(isIP(endpoint.host) ? {} : { servername: endpoint.host }),
      agent: false,
      timeout: r.timeoutMs,
    });
    // not Node's `signal` option: that would also tear down a socket already upgraded
    const onAbort = () => {
      if (!settled) req.destroy(new Error('cancelled'));
    };
    r.signal?.addEventListener('abort', onAbort, { once: true });
    const settle = () => {
      settled = true;
      r.signal?.removeEventListener('abort', onAbort);
    };
    req.on('timeout', () => req.destroy(new Error(`no answer within ${r.timeoutMs} ms`)));
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (settled) return;
      settle();
      if (r.signal?.aborted) return reject(apiErrors.unavailable(`the request to ${where} was cancelled`));
      const code = err.code && err.message && !err.message.includes(err.code) ? `${err.code} (${err.message})` : (err.code ?? err.message);
      reject(apiErrors.unavailable(`unable to reach ${where}: ${code}`));
    });
    req.on('upgrade', (response, socket, head) => {
      // the timeout guarded the handshake only; an idle stream is the kubelet's to end
      socket.setTimeout(0);
      if (settled) return void socket.destroy();
      settle();
      resolve({ kind: 'upgraded', response, socket, head });
    });
    req.on('response', (response) => {
      req.setTimeout(0);
      if (settled) return void response.destroy();
      settle();
      resolve({ kind: 'response', response });
    });
    if (r.signal?.aborted) onAbort();
    if (r.body) {
      r.body.on('error', (err) => req.destroy(err));
      r.body.pipe(req);
    } else {
      req.end();
    }
  });
}

/**
 * The scheduler's own small HTTPS port (kube-scheduler has one too), for the learning lab:
 *
 *   GET /debug/decisions              the newest decisions, one summary line each
 *   GET /debug/decisions/NS/NAME      the full per-node table for one pod
 *   GET /debug/scheduler              queue lengths, cache size, bindings in flight
 *   GET /healthz                      ok
 *
 * Clients must present a certificate from the cluster CA (the admin kubeconfig's works:
 * curl --cacert ca.crt --cert admin.crt --key admin.key). Listens on 127.0.0.1 only.
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { DecisionLog } from './decision-log.js';
import { decisionSummary } from './decision.js';

export interface DecisionServerOptions {
  log: DecisionLog;
  /** what /debug/scheduler shows */
  stats?: () => unknown;
  tls: { cert: string; key: string; ca: string };
  /** 0 = any free port */
  port?: number;
  address?: string;
}

export interface DecisionServer {
  url: string;
  close(): Promise<void>;
}

function send(res: import('node:http').ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body, null, 2) + '\n';
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export async function startDecisionServer(opts: DecisionServerOptions): Promise<DecisionServer> {
  const server: Server = createServer({ cert: opts.tls.cert, key: opts.tls.key, ca: opts.tls.ca, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://scheduler');
    if (req.method !== 'GET') return send(res, 405, { message: 'only GET' });
    if (url.pathname === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end('ok');
    }
    if (url.pathname === '/debug/scheduler') return send(res, 200, opts.stats?.() ?? {});
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== 'debug' || parts[1] !== 'decisions') return send(res, 404, { message: `no such path ${url.pathname}; try /debug/decisions` });
    if (parts.length === 2) {
      const limit = Math.min(5000, Math.max(1, Number(url.searchParams.get('limit') ?? 100) || 100));
      return send(res, 200, {
        decisions: opts.log.recent(limit).map((d) => ({ pod: d.pod, time: d.time, outcome: d.outcome, node: d.node, summary: decisionSummary(d), message: d.message })),
      });
    }
    if (parts.length === 4) {
      const d = opts.log.get(parts[2]!, parts[3]!);
      if (!d) return send(res, 404, { message: `no scheduling decision recorded for pod ${parts[2]}/${parts[3]}` });
      const { table, ...rest } = d;
      return send(res, 200, { ...rest, summary: decisionSummary(d), nodes: table ? table() : null, ...(table ? {} : { note: 'the per-node table is kept for the newest decisions only' }) });
    }
    return send(res, 404, { message: 'use /debug/decisions or /debug/decisions/NAMESPACE/NAME' });
  });
  server.on('tlsClientError', () => undefined); // a client without a certificate is its own problem
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.address ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://${opts.address ?? '127.0.0.1'}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

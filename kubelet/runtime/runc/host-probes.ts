/**
 * httpGet and tcpSocket probes dialled from the host, as the real kubelet dials them: the
 * pod's IP sits on this runtime's bridge, so the host reaches it directly (no nsenter).
 * Results and messages follow kubelet's prober (pkg/probe/http, pkg/probe/tcp): any status
 * in [200, 400) succeeds, redirects are not followed to other hosts, and a failure says why
 * in the words the Unhealthy event carries.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { ProbeAction, ProbeContainerResponse } from '../../cri/api.js';

const ok = (): ProbeContainerResponse => ({ result: 'SUCCESS', message: '' });
const failure = (message: string): ProbeContainerResponse => ({ result: 'FAILURE', message });

/** kube's probe User-Agent: kube-probe/<major>.<minor> */
const USER_AGENT = 'kube-probe/1.33';

export function httpProbe(get: NonNullable<ProbeAction['httpGet']>, timeoutMs: number): Promise<ProbeContainerResponse> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = { 'User-Agent': USER_AGENT, Accept: '*/*' };
    for (const h of get.httpHeaders) headers[h.name] = h.value;
    const request = get.scheme === 'HTTPS' ? httpsRequest : httpRequest;
    const url = `${get.scheme.toLowerCase()}://${get.host.includes(':') ? `[${get.host}]` : get.host}:${get.port}${get.path.startsWith('/') ? '' : '/'}${get.path}`;
    const req = request(url, { method: 'GET', headers, timeout: timeoutMs, rejectUnauthorized: false }, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      if (code >= 200 && code < 400) resolve(ok());
      else resolve(failure(`HTTP probe failed with statuscode: ${code}`));
    });
    req.on('timeout', () => {
      req.destroy();
      resolve(failure(`Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`));
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve(failure(`Get "${url}": ${dialError(get.host, get.port, err)}`)));
    req.end();
  });
}

export function tcpProbe(tcp: NonNullable<ProbeAction['tcpSocket']>, timeoutMs: number): Promise<ProbeContainerResponse> {
  return new Promise((resolve) => {
    const socket = connect({ host: tcp.host, port: tcp.port });
    const done = (result: ProbeContainerResponse) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(failure(`dial tcp ${tcp.host}:${tcp.port}: i/o timeout`)));
    socket.once('connect', () => done(ok()));
    socket.once('error', (err: NodeJS.ErrnoException) => done(failure(dialError(tcp.host, tcp.port, err))));
  });
}

/** Go's net error text: "dial tcp 10.244.1.5:8080: connect: connection refused" */
function dialError(host: string, port: number, err: NodeJS.ErrnoException): string {
  const what =
    err.code === 'ECONNREFUSED' ? 'connect: connection refused' : err.code === 'EHOSTUNREACH' ? 'connect: no route to host' : err.code === 'ECONNRESET' ? 'read: connection reset by peer' : err.message;
  return `dial tcp ${host}:${port}: ${what}`;
}

import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { issueClientCert, loadOrCreatePki, type CertAndKey, type Pki } from '../../cli/pki/pki.js';
import { createCertificateAuthority, issueCertificate } from '../../cli/pki/x509.js';
import { formatCriLogLine } from '../logs/cri-log-format.js';
import { apiServerOnly, startKubeletServer, type KubeletServer } from './kubelet-server.js';

const T0 = Date.UTC(2026, 10, 24, 12, 0, 0);
const silent = { warn: () => undefined, debug: () => undefined, info: () => undefined };

interface Response {
  code: number;
  body: string;
  contentType: string | undefined;
}

/** GET over HTTPS trusting `ca`; `onChunk` sees the body as it streams */
function get(port: number, path: string, ca: string, client?: CertAndKey, onChunk?: (text: string) => void): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port, path, ca, ...(client ? { cert: client.cert, key: client.key } : {}), agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
        onChunk?.(body);
      });
      res.on('end', () => resolve({ code: res.statusCode ?? 0, body, contentType: res.headers['content-type'] }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

t.test('the kubelet server: authentication, authorization and /containerLogs', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'k8ts-kubelet-server-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const pki: Pki = await loadOrCreatePki(dataDir, { address: '127.0.0.1', nodes: ['node-a'] });
  const logPath = join(dataDir, '0.log');
  await writeFile(logPath, [formatCriLogLine(T0, 'stdout', 'one'), formatCriLogLine(T0 + 1000, 'stderr', 'two'), formatCriLogLine(T0 + 2000, 'stdout', 'three')].join(''));
  let running = true;
  const server: KubeletServer = await startKubeletServer({
    address: '127.0.0.1',
    port: 0,
    tls: { ...pki.kubeletServing.get('node-a')!, clientCA: pki.ca.cert },
    authorizedClients: apiServerOnly,
    locateContainer: async (namespace, pod, container, previous) =>
      namespace === 'default' && pod === 'web' && container === 'app' && !previous ? { logPath, isRunning: async () => running } : undefined,
    logger: silent,
    logPollIntervalMs: 5,
  });
  t.teardown(() => server.close());
  const ca = pki.ca.cert;
  const apiserver = pki.kubeletClient;

  // [name, path, client, code, body]
  const alice = await issueClientCert(pki, 'alice', ['devs']);
  const otherCa = await createCertificateAuthority('other', 1);
  const stranger = await issueCertificate(otherCa, { commonName: 'kube-apiserver-kubelet-client', organizations: ['system:masters'], usage: 'client', validDays: 1 });
  const cases: Array<[string, string, CertAndKey | undefined, number, string | RegExp]> = [
    ['no certificate', '/healthz', undefined, 401, 'Unauthorized'],
    ['a certificate from another CA', '/healthz', stranger, 401, 'Unauthorized'],
    ['a user the kubelet does not serve', '/healthz', alice, 403, 'Forbidden (user=alice, verb=get, resource=nodes, subresource=proxy)'],
    ['healthz', '/healthz', apiserver, 200, 'ok'],
    ['the whole log', '/containerLogs/default/web/app', apiserver, 200, 'one\ntwo\nthree\n'],
    ['tail and timestamps', '/containerLogs/default/web/app?tailLines=1&timestamps=true', apiserver, 200, '2026-11-24T12:00:02.000000000Z three\n'],
    ['sinceTime and limitBytes', '/containerLogs/default/web/app?sinceTime=2026-11-24T12:00:01Z&limitBytes=6', apiserver, 200, 'two\nth'],
    ['unknown container', '/containerLogs/default/web/nope', apiserver, 400, 'container "nope" in pod "web" is not available'],
    ['no previous instance', '/containerLogs/default/web/app?previous=true', apiserver, 400, 'previous terminated container "app" in pod "web" not found'],
    ['negative tail', '/containerLogs/default/web/app?tailLines=-1', apiserver, 400, 'tailLines: must be greater than or equal to 0'],
    ['not a number', '/containerLogs/default/web/app?limitBytes=ten', apiserver, 400, /^limitBytes: invalid value "ten"/],
    ['since twice', '/containerLogs/default/web/app?sinceSeconds=5&sinceTime=2026-11-24T12:00:01Z', apiserver, 400, 'at most one of `sinceTime` or `sinceSeconds` may be specified'],
    ['another path', '/pods', apiserver, 404, /not found/i],
  ];
  for (const [name, path, client, code, body] of cases) {
    const res = await get(server.port, path, ca, client);
    t.equal(res.code, code, `${name}: code`);
    if (typeof body === 'string') t.equal(res.body, body, `${name}: body`);
    else t.match(res.body, body, `${name}: body`);
    if (code === 200) t.match(res.contentType, /^text\/plain/, `${name}: content type`);
  }

  // follow: the body streams as records are appended and ends when the container stops
  let sawFirst!: () => void;
  const first = new Promise<void>((r) => (sawFirst = r));
  const followed = get(server.port, '/containerLogs/default/web/app?follow=true&tailLines=1', ca, apiserver, (body) => {
    if (body === 'three\n') sawFirst();
  });
  await first;
  await appendFile(logPath, formatCriLogLine(T0 + 3000, 'stdout', 'four'));
  running = false;
  const res = await followed;
  t.equal(res.body, 'three\nfour\n');
});

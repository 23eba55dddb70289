/**
 * pods/log end to end: a real cluster (startCluster), a real kubelet HTTPS server on a
 * port published in a Node's status, a CRI log file in a temp dir, and both a raw HTTPS
 * client and the real kubectl asking for logs through the API server.
 */
import { appendFile, writeFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import t from 'tap';
import { issueCertificate } from '../../../cli/pki/x509.js';
import { formatCriLogLine } from '../../../kubelet/logs/cri-log-format.js';
import { apiServerOnly, startKubeletServer } from '../../../kubelet/server/kubelet-server.js';
import { e2eCluster } from '../../../test/helpers/e2e.js';
import { hasKubectl } from '../../../test/helpers/kubectl.js';
import { kubeletSinceTime } from './pod-log.js';

const KUBECTL = '1.33';
const T0 = Date.UTC(2026, 10, 24, 12, 0, 0);
const silent = { warn: () => undefined, debug: () => undefined, info: () => undefined };

interface Response {
  code: number;
  body: string;
  contentType: string | undefined;
}

t.test('pods/log through the API server to the kubelet', { skip: hasKubectl(KUBECTL) ? false : `kubectl ${KUBECTL} not installed` }, async (t) => {
  const e2e = await e2eCluster(t, KUBECTL);
  const { cluster } = e2e;
  const admin = cluster.credentials('admin');

  const call = (method: string, path: string, body?: unknown, onChunk?: (text: string) => void): Promise<Response> =>
    new Promise((resolve, reject) => {
      const url = new URL(path, cluster.url);
      const req = httpsRequest(
        { host: url.hostname, port: url.port, path: url.pathname + url.search, method, ca: cluster.ca, cert: admin.cert, key: admin.key, agent: false, headers: { 'content-type': 'application/json', accept: 'application/json, */*' } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
            onChunk?.(text);
          });
          res.on('end', () => resolve({ code: res.statusCode ?? 0, body: text, contentType: res.headers['content-type'] }));
        },
      );
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  const create = async (path: string, obj: unknown) => {
    const r = await call('POST', path, obj);
    if (r.code !== 201) throw new Error(`POST ${path}: ${r.code} ${r.body}`);
  };

  // the kubelet: serving certificate from the cluster CA, log file in a temp dir
  const dir = t.testdir();
  const logPath = join(dir, '0.log');
  await writeFile(logPath, [formatCriLogLine(T0, 'stdout', 'hello'), formatCriLogLine(T0 + 1000, 'stderr', 'from the '), formatCriLogLine(T0 + 2000, 'stdout', 'kubelet')].join(''));
  let running = true;
  // how often a follower asked whether the container still runs: > 0 means someone follows
  let polls = 0;
  const serving = await issueCertificate(cluster.pki.ca, { commonName: 'system:node:log-node', organizations: ['system:nodes'], usage: 'server', ipAddresses: ['127.0.0.1'], dnsNames: ['log-node'], validDays: 1 });
  const kubelet = await startKubeletServer({
    address: '127.0.0.1',
    port: 0,
    tls: { ...serving, clientCA: cluster.ca },
    authorizedClients: apiServerOnly,
    locateContainer: async (namespace, pod, container, previous) => {
      if (namespace !== 'default' || pod !== 'web' || container !== 'app' || previous) return undefined;
      return {
        logPath,
        isRunning: async () => {
          polls++;
          return running;
        },
      };
    },
    logger: silent,
    logPollIntervalMs: 5,
  });
  t.teardown(() => kubelet.close());

  const node = (name: string, port?: number) => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name },
    status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], ...(port !== undefined ? { daemonEndpoints: { kubeletEndpoint: { Port: port } } } : {}) },
  });
  await create('/api/v1/nodes', node('log-node', kubelet.port));
  await create('/api/v1/nodes', node('portless'));
  await create('/api/v1/nodes', node('dead-node', 1)); // nothing listens on port 1
  const pod = (name: string, nodeName: string | undefined, containers: string[], inits: string[] = []) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      ...(nodeName ? { nodeName } : {}),
      containers: containers.map((c) => ({ name: c, image: 'busybox' })),
      ...(inits.length ? { initContainers: inits.map((c) => ({ name: c, image: 'busybox' })) } : {}),
    },
  });
  await create('/api/v1/namespaces/default/pods', pod('web', 'log-node', ['app']));
  await create('/api/v1/namespaces/default/pods', pod('multi', 'log-node', ['a', 'b'], ['setup']));
  await create('/api/v1/namespaces/default/pods', pod('pair', 'log-node', ['a', 'b']));
  // kube's server ignores kubectl's default-container annotation: kubectl resolves it before asking
  const annotated = pod('annotated', 'log-node', ['a', 'b']);
  await create('/api/v1/namespaces/default/pods', { ...annotated, metadata: { ...annotated.metadata, annotations: { 'kubectl.kubernetes.io/default-container': 'b' } } });
  await create('/api/v1/namespaces/default/pods', pod('pending', undefined, ['app']));
  await create('/api/v1/namespaces/default/pods', pod('lost', 'portless', ['app']));
  await create('/api/v1/namespaces/default/pods', pod('orphan', 'dead-node', ['app']));

  const base = '/api/v1/namespaces/default/pods';
  // [name, path, code, body (exact text, or the Status message)]
  const cases: Array<[string, string, number, string | RegExp]> = [
    ['the whole log', `${base}/web/log`, 200, 'hello\nfrom the \nkubelet\n'],
    ['container given', `${base}/web/log?container=app`, 200, 'hello\nfrom the \nkubelet\n'],
    ['tail and timestamps', `${base}/web/log?tailLines=1&timestamps=true`, 200, '2026-11-24T12:00:02.000000000Z kubelet\n'],
    ['sinceTime and limitBytes', `${base}/web/log?sinceTime=2026-11-24T12:00:01Z&limitBytes=4`, 200, 'from'],
    ['sinceTime reaches the kubelet in whole seconds, as kube sends it', `${base}/web/log?sinceTime=2026-11-24T12:00:01.5Z`, 200, 'from the \nkubelet\n'],
    ['an unknown pod', `${base}/nope/log`, 404, 'pods "nope" not found'],
    ['an unknown container', `${base}/web/log?container=nope`, 400, 'container nope is not valid for pod web'],
    ['several containers and init containers', `${base}/multi/log`, 400, 'a container name must be specified for pod multi, choose one of: [setup a b]'],
    ['several containers', `${base}/pair/log`, 400, 'a container name must be specified for pod pair, choose one of: [a b]'],
    ['several containers, default-container annotated', `${base}/annotated/log`, 400, 'a container name must be specified for pod annotated, choose one of: [a b]'],
    ['an unscheduled pod', `${base}/pending/log`, 400, 'pod pending does not have a host assigned'],
    ['negative tailLines', `${base}/web/log?tailLines=-1`, 422, 'PodLogOptions "web" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0'],
    ['since twice', `${base}/web/log?sinceSeconds=5&sinceTime=2026-11-24T12:00:01Z`, 422, 'PodLogOptions "web" is invalid: : Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified'],
    ['zero limitBytes', `${base}/web/log?limitBytes=0`, 422, 'PodLogOptions "web" is invalid: limitBytes: Invalid value: 0: must be greater than 0'],
    ['a malformed number', `${base}/web/log?tailLines=ten`, 400, /invalid syntax/],
    ['the kubelet\'s own error', `${base}/web/log?previous=true`, 400, 'previous terminated container "app" in pod "web" not found'],
    ['a node without a kubelet port', `${base}/lost/log`, 503, /node "portless" reports no kubelet port/],
    ['a kubelet that cannot be reached', `${base}/orphan/log`, 503, /unable to reach the kubelet on node "dead-node" \(127\.0\.0\.1:1\): ECONNREFUSED/],
  ];
  for (const [name, path, code, want] of cases) {
    const r = await call('GET', path);
    t.equal(r.code, code, `${name}: code (${r.body.slice(0, 200)})`);
    if (code === 200) {
      t.equal(r.body, want, `${name}: body`);
      t.match(r.contentType, /^text\/plain/, `${name}: content type`);
    } else {
      const status = JSON.parse(r.body) as { kind: string; message: string; code: number };
      t.equal(status.kind, 'Status');
      t.equal(status.code, code);
      if (typeof want === 'string') t.equal(status.message, want, `${name}: message`);
      else t.match(status.message, want, `${name}: message`);
    }
  }

  await t.test('follow streams through the API server as lines arrive', async (t) => {
    let sawFirst!: () => void;
    const first = new Promise<void>((r) => (sawFirst = r));
    const done = call('GET', `${base}/web/log?follow=true&tailLines=1`, undefined, (text) => text === 'kubelet\n' && sawFirst());
    await first; // the API server passed the first bytes on before the log ended
    await appendFile(logPath, formatCriLogLine(T0 + 3000, 'stdout', 'appended'));
    running = false;
    const r = await done;
    t.equal(r.code, 200);
    t.equal(r.body, 'kubelet\nappended\n');
    running = true;
  });

  await t.test('kubectl logs', async (t) => {
    t.equal(await e2e.ok(['logs', 'web']), 'hello\nfrom the \nkubelet\nappended\n');
    t.match(await e2e.ok(['logs', 'web', '--tail=1', '--timestamps']), /^2026-11-24T12:00:03\.000000000Z appended\n$/);
    t.match(await e2e.fails(['logs', 'web', '--previous']), /Error from server \(BadRequest\): previous terminated container "app" in pod "web" not found/);

    // -f: kubectl streams until the container stops
    const before = polls;
    const following = e2e.kubectl(['logs', '-f', 'web', '--tail=1']);
    // wait until the kubelet follows (kubectl's request went through the API server)
    for (let i = 0; i < 1000 && polls === before; i++) await new Promise((r) => setTimeout(r, 10));
    await appendFile(logPath, formatCriLogLine(T0 + 4000, 'stdout', 'while following'));
    await new Promise((r) => setTimeout(r, 50));
    running = false;
    const r = await following;
    t.equal(r.code, 0, r.stderr);
    t.equal(r.stdout, 'appended\nwhile following\n');
  });
});

t.test('sinceTime is forwarded in whole seconds (Go time.RFC3339)', async (t) => {
  const cases: Array<[string, string]> = [
    ['2026-11-24T12:00:01Z', '2026-11-24T12:00:01Z'],
    ['2026-11-24T12:00:01.999999999Z', '2026-11-24T12:00:01Z'],
    ['2026-11-24T14:00:01.5+02:00', '2026-11-24T12:00:01Z'],
    ['1969-12-31T23:59:59.5Z', '1969-12-31T23:59:59Z'],
  ];
  for (const [given, sent] of cases) t.equal(kubeletSinceTime(given), sent, given);
});

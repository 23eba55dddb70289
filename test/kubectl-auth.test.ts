/**
 * The real kubectl (1.33 and 1.27) against a cluster over TLS: the generated kubeconfig
 * (CA + admin client certificate) works, a component certificate works, a token from
 * --token-auth-file works, a wrong token gets kubectl's "You must be logged in" line.
 * (A kubeconfig user with no credentials at all makes kubectl prompt for a password
 * instead of calling, so "no credentials -> 401" is tested over plain HTTPS elsewhere.)
 * Skipped where the kubectl binaries are not installed.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { stringify } from 'yaml';
import { kubeconfigYaml } from '../cli/kubeconfig.js';
import { startCluster, type Cluster } from '../cli/start-cluster.js';

const KUBECTL_DIR = '/usr/lib/google-cloud-sdk/bin';
const VERSIONS = ['1.33', '1.27'].filter((v) => existsSync(join(KUBECTL_DIR, `kubectl.${v}`)));
// a path that is never served: authenticated callers get 404, others 401
const NOWHERE = '/k8ts-test/nowhere';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

let dir: string;
let cluster: Cluster;

function kubectl(version: string, ...args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    // HOME: kubectl's discovery cache goes to a temp dir, not the user's ~/.kube
    const child = execFile(join(KUBECTL_DIR, `kubectl.${version}`), args, { env: { PATH: process.env['PATH'] ?? '', HOME: dir }, timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
    child.stdin?.end(); // never wait for a prompt's answer
  });
}

/** A kubeconfig that trusts the cluster CA and has `user` (no credentials when empty). */
async function kubeconfigFile(name: string, user: Record<string, string>): Promise<string> {
  const path = join(dir, `${name}.kubeconfig`);
  const yaml = stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'k8ts', cluster: { server: cluster.url, 'certificate-authority-data': Buffer.from(cluster.ca).toString('base64') } }],
    contexts: [{ name: 'k8ts', context: { cluster: 'k8ts', user: name } }],
    'current-context': 'k8ts',
    users: [{ name, user }],
  });
  await writeFile(path, yaml, { mode: 0o600 });
  return path;
}

t.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'k8ts-kubectl-'));
  const tokenFile = join(dir, 'tokens.csv');
  await writeFile(tokenFile, 'good-token,alice,1001,"devs"\n');
  cluster = await startCluster({ dataDir: join(dir, 'data'), port: 0, store: 'memory', logLevel: 'silent', tokenAuthFile: tokenFile, scheduler: false, controllers: false });
});
t.teardown(async () => {
  await cluster?.stop();
  await rm(dir, { recursive: true, force: true });
});

if (VERSIONS.length === 0) t.comment(`no kubectl in ${KUBECTL_DIR}: skipped`);

for (const version of VERSIONS) {
  t.test(`kubectl ${version}`, async (t) => {
    const admin = cluster.kubeconfigPath;

    const v = await kubectl(version, '--kubeconfig', admin, 'version', '-o', 'json');
    t.equal(v.code, 0, v.stderr);
    t.match(JSON.parse(v.stdout), { serverVersion: { major: '1', minor: '33', gitVersion: /^v1\.33\.0-k8ts\./ } });

    const raw = await kubectl(version, '--kubeconfig', admin, 'get', '--raw', '/version');
    t.equal(raw.code, 0, raw.stderr);
    t.match(JSON.parse(raw.stdout), { major: '1', minor: '33' });

    // authenticated as admin: past 401, to a 404
    const adminNowhere = await kubectl(version, '--kubeconfig', admin, 'get', '--raw', NOWHERE);
    t.equal(adminNowhere.code, 1);
    t.match(adminNowhere.stderr, /NotFound/);

    const scheduler = cluster.credentials('system:kube-scheduler');
    const schedulerConfig = join(dir, 'scheduler.kubeconfig');
    await writeFile(schedulerConfig, kubeconfigYaml(cluster.url, { ca: cluster.ca, cert: scheduler.cert, key: scheduler.key }), { mode: 0o600 });
    const componentNowhere = await kubectl(version, '--kubeconfig', schedulerConfig, 'get', '--raw', NOWHERE);
    t.match(componentNowhere.stderr, /NotFound/, 'a component certificate authenticates');

    const tokenOnly = await kubeconfigFile('nobody', {});
    const goodToken = await kubectl(version, '--kubeconfig', tokenOnly, '--token', 'good-token', 'get', '--raw', NOWHERE);
    t.match(goodToken.stderr, /NotFound/, 'a token from the token file authenticates');
    t.equal((await kubectl(version, '--kubeconfig', tokenOnly, '--token', 'good-token', 'get', '--raw', '/version')).code, 0);

    const badToken = await kubectl(version, '--kubeconfig', tokenOnly, '--token', 'bad-token', 'get', '--raw', NOWHERE);
    t.equal(badToken.code, 1);
    t.equal(badToken.stderr.trim(), 'error: You must be logged in to the server (Unauthorized)');
  });
}

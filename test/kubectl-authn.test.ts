/**
 * End to end: service account tokens and the review APIs through the real kubectl (1.27
 * and 1.30; 1.32+ send protobuf bodies for these, not served yet): `create token` and
 * logging in with that token, `auth whoami` for admin and for the service account,
 * `auth can-i` and `auth can-i --list`, and a TokenRequest / TokenReview posted with
 * `create --raw`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { stringify } from 'yaml';
import { startCluster, type Cluster } from '../index.js';
import { hasKubectl, kubectlFor } from './helpers/kubectl.js';

const VERSIONS = ['1.27', '1.30'];
const ISSUER = 'https://kubernetes.default.svc.cluster.local';

/** the claims of a JWT, unchecked */
const claimsOf = (token: string): Record<string, unknown> => JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

// one cluster for every kubectl version: each asks about its own service account
let dataDir: string;
let cluster: Cluster;
let tokenConfig: string;

t.before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'k8ts-authn-'));
  cluster = await startCluster({ dataDir, port: 0, store: 'memory', nodes: 0, logLevel: 'silent', scheduler: false, controllers: false });
  // a kubeconfig whose user has no certificate, so that --token is the only credential
  tokenConfig = join(dataDir, 'token.kubeconfig');
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'k8ts', cluster: { server: cluster.url, 'certificate-authority-data': Buffer.from(cluster.ca).toString('base64') } }],
    contexts: [{ name: 'k8ts', context: { cluster: 'k8ts', user: 'sa' } }],
    'current-context': 'k8ts',
    users: [{ name: 'sa', user: {} }],
  };
  await writeFile(tokenConfig, stringify(config), { mode: 0o600 });
});
t.teardown(async () => {
  await cluster?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

for (const version of VERSIONS) {
  t.test(`kubectl ${version}`, { skip: hasKubectl(version) ? false : `kubectl ${version} is not installed` }, async (t) => {
    const { kubectl, cleanup } = await kubectlFor(version, cluster.kubeconfigPath);
    t.teardown(cleanup);
    const run = (args: string[], stdin?: string) => kubectl(args, stdin !== undefined ? { stdin } : {});
    const ok = async (args: string[], stdin?: string) => {
      const r = await run(args, stdin);
      t.equal(r.code, 0, `kubectl ${args.join(' ')} exits 0${r.code ? `: ${r.stderr}` : ''}`);
      return r.stdout;
    };
    // kubectlFor's --kubeconfig comes first; a later one wins
    const asToken = (token: string, args: string[]) => run(['--kubeconfig', tokenConfig, '--token', token, ...args]);
    const sa = `builder-${version.replace('.', '-')}`;

    await ok(['create', 'serviceaccount', sa]);
    const uid = (await ok(['get', 'sa', sa, '-o', 'jsonpath={.metadata.uid}'])).trim();

    t.test('create token, then use it', async (t) => {
      const token = (await ok(['create', 'token', sa])).trim();
      t.match(claimsOf(token), {
        iss: ISSUER,
        aud: [ISSUER],
        sub: `system:serviceaccount:default:${sa}`,
        'kubernetes.io': { namespace: 'default', serviceaccount: { name: sa, uid } },
      });
      const pods = await asToken(token, ['get', 'pods']);
      t.equal(pods.code, 0, pods.stderr);
      const whoami = await asToken(token, ['auth', 'whoami']);
      t.equal(whoami.code, 0, whoami.stderr);
      t.match(whoami.stdout, new RegExp(`Username\\s+system:serviceaccount:default:${sa}`));
      t.match(whoami.stdout, /Groups\s+\[system:serviceaccounts system:serviceaccounts:default system:authenticated\]/);

      const other = (await ok(['create', 'token', sa, '--audience', 'vault'])).trim();
      const refused = await asToken(other, ['get', 'pods']);
      t.equal(refused.stderr.trim(), 'error: You must be logged in to the server (Unauthorized)', 'a token for another audience does not log in');

      const short = await run(['create', 'token', sa, '--duration', '5m']);
      t.not(short.code, 0);
      t.match(short.stderr, /spec\.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes/);
      const missing = await run(['create', 'token', 'nobody']);
      t.match(missing.stderr, /serviceaccounts "nobody" not found/);
    });

    t.test('a token bound to a pod', async (t) => {
      const pod = `web-${version.replace('.', '-')}`;
      await ok(['run', pod, '--image=nginx']);
      const podUid = (await ok(['get', 'pod', pod, '-o', 'jsonpath={.metadata.uid}'])).trim();
      const token = (await ok(['create', 'token', sa, '--bound-object-kind', 'Pod', '--bound-object-name', pod])).trim();
      t.match(claimsOf(token), { 'kubernetes.io': { pod: { name: pod, uid: podUid } } });
      const whoami = await asToken(token, ['auth', 'whoami']);
      t.match(whoami.stdout, new RegExp(`authentication.kubernetes.io/pod-name\\s+\\[${pod}\\]`));
      const gone = await run(['create', 'token', sa, '--bound-object-kind', 'Pod', '--bound-object-name', 'gone']);
      t.match(gone.stderr, /pods "gone" not found/);
    });

    t.test('the review kinds in discovery', async (t) => {
      const authz = await ok(['api-resources', '--api-group=authorization.k8s.io']);
      t.match(authz, /^localsubjectaccessreviews\s+authorization\.k8s\.io\/v1\s+true\s+LocalSubjectAccessReview$/m);
      for (const kind of ['SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview']) {
        t.match(authz, new RegExp(`^${kind.toLowerCase()}s\\s+authorization\\.k8s\\.io/v1\\s+false\\s+${kind}$`, 'm'));
      }
      const authn = await ok(['api-resources', '--api-group=authentication.k8s.io']);
      t.match(authn, /^selfsubjectreviews\s+authentication\.k8s\.io\/v1\s+false\s+SelfSubjectReview$/m);
      t.match(authn, /^tokenreviews\s+authentication\.k8s\.io\/v1\s+false\s+TokenReview$/m);
    });

    t.test('auth whoami as admin', async (t) => {
      const out = await ok(['auth', 'whoami']);
      t.match(out, /^ATTRIBUTE\s+VALUE$/m);
      t.match(out, /^Username\s+admin$/m);
      t.match(out, /^Groups\s+\[system:masters system:authenticated\]$/m);
    });

    t.test('auth can-i', async (t) => {
      t.equal((await ok(['auth', 'can-i', 'create', 'pods'])).trim(), 'yes');
      t.equal((await ok(['auth', 'can-i', 'get', '/healthz'])).trim(), 'yes');
      const list = await ok(['auth', 'can-i', '--list']);
      t.match(list, /^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs$/m);
      t.match(list, /^\*\.\*\s+\[\]\s+\[\]\s+\[\*\]$/m);
      t.match(list, /^\s+\[\*\]\s+\[\]\s+\[\*\]$/m);
    });

    t.test('TokenRequest and TokenReview through create --raw', async (t) => {
      const request = JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 600 } });
      const issued = JSON.parse(await ok(['create', '--raw', `/api/v1/namespaces/default/serviceaccounts/${sa}/token`, '-f', '-'], request)) as {
        spec: { expirationSeconds: number; audiences: string[] };
        status: { token: string; expirationTimestamp: string };
      };
      t.same(issued.spec.audiences, [ISSUER]);
      t.equal(issued.spec.expirationSeconds, 600);
      const review = JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: issued.status.token } });
      const reviewed = JSON.parse(await ok(['create', '--raw', '/apis/authentication.k8s.io/v1/tokenreviews', '-f', '-'], review)) as Record<string, unknown>;
      t.match(reviewed, {
        kind: 'TokenReview',
        status: { authenticated: true, audiences: [ISSUER], user: { username: `system:serviceaccount:default:${sa}`, uid } },
      });
    });
  });
}

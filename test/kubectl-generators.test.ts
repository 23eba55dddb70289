/**
 * End to end: every `kubectl create <generator>` with the real kubectl (1.27, 1.28, 1.30,
 * 1.32, 1.33), plus `create token`, `auth can-i` (and --list) and `auth whoami`. From 1.32
 * kubectl's typed clients send these bodies as protobuf, before that as JSON, so the
 * same assertions cover both decoders. Each generator prints "<kind>/<name> created" and
 * the stored object carries the fields the generator set.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { e2eCluster } from './helpers/e2e.js';
import { hasKubectl } from './helpers/kubectl.js';

// the oldest, the first to send protobuf bodies (1.32) and the newest keep the suite within
// its time budget; K8TS_KUBECTL_VERSIONS=1.27,1.28,…,1.33 runs every installed one
const VERSIONS = process.env.K8TS_KUBECTL_VERSIONS?.split(',') ?? ['1.27', '1.32', '1.33'];
const OPENSSL = ['/usr/bin/openssl', '/bin/openssl'].find((p) => existsSync(p));

// several kubectl versions, one cluster each: more than tap's default per-file limit
t.setTimeout(600_000);

const b64 = (s: string) => Buffer.from(s).toString('base64');
const unb64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

/** A throwaway self-signed certificate and key for `create secret tls`. */
async function throwawayCert(dir: string): Promise<{ cert: string; key: string }> {
  const cert = join(dir, 'tls.crt');
  const key = join(dir, 'tls.key');
  await promisify(execFile)(OPENSSL!, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=g.example.com', '-keyout', key, '-out', cert]);
  return { cert, key };
}

for (const version of VERSIONS) {
  t.test(`kubectl ${version}`, { skip: hasKubectl(version) ? false : `kubectl ${version} is not installed` }, async (t) => {
    const { kubectl, ok } = await e2eCluster(t, version, { controllers: {} }); // the ServiceAccounts controller makes `default`
    const jsonOf = async (args: string[]) => JSON.parse(await ok([...args, '-o', 'json'])) as Record<string, any>;
    /** runs a generator and checks kubectl's one line of output */
    const create = async (args: string[], printed: string) => t.equal(await ok(['create', ...args]), `${printed} created\n`, `create ${args[0]}: ${printed} created`);

    t.test('configmap and secrets', async (t) => {
      await create(['configmap', 'g-cm', '--from-literal=a=1', '--from-literal=b=two'], 'configmap/g-cm');
      t.same((await jsonOf(['get', 'cm', 'g-cm'])).data, { a: '1', b: 'two' });

      await create(['secret', 'generic', 'g-sec', '--from-literal=user=admin', '--type=Opaque'], 'secret/g-sec');
      t.match(await jsonOf(['get', 'secret', 'g-sec']), { type: 'Opaque', data: { user: b64('admin') } });

      await create(
        ['secret', 'docker-registry', 'g-reg', '--docker-server=registry.example.com', '--docker-username=u', '--docker-password=p', '--docker-email=u@example.com'],
        'secret/g-reg',
      );
      const reg = await jsonOf(['get', 'secret', 'g-reg']);
      t.equal(reg.type, 'kubernetes.io/dockerconfigjson');
      const config = JSON.parse(unb64(reg.data['.dockerconfigjson'] ?? '')) as { auths: Record<string, { username: string; password: string; auth: string }> };
      t.match(config.auths['registry.example.com'], { username: 'u', password: 'p', auth: b64('u:p') });
    });

    t.test('secret tls', { skip: OPENSSL ? false : 'no openssl on this machine' }, async (t) => {
      const dir = await mkdtemp(join(tmpdir(), 'k8ts-tls-'));
      t.teardown(() => rm(dir, { recursive: true, force: true }));
      const { cert, key } = await throwawayCert(dir);
      await create(['secret', 'tls', 'g-tls', `--cert=${cert}`, `--key=${key}`], 'secret/g-tls');
      const tls = await jsonOf(['get', 'secret', 'g-tls']);
      t.equal(tls.type, 'kubernetes.io/tls');
      t.match(unb64(tls.data['tls.crt'] ?? ''), /^-----BEGIN CERTIFICATE-----/);
      t.match(unb64(tls.data['tls.key'] ?? ''), /-----BEGIN PRIVATE KEY-----/);
    });

    t.test('namespace and serviceaccount', async (t) => {
      await create(['namespace', 'g-ns'], 'namespace/g-ns');
      t.match(await ok(['get', 'ns', 'g-ns']), /^g-ns\s+Active\s+\d+s$/m);
      await create(['serviceaccount', 'g-sa'], 'serviceaccount/g-sa');
      t.equal((await jsonOf(['get', 'sa', 'g-sa'])).metadata.namespace, 'default');
      await create(['serviceaccount', 'g-sa', '-n', 'g-ns'], 'serviceaccount/g-sa');
      t.equal((await jsonOf(['get', 'sa', 'g-sa', '-n', 'g-ns'])).metadata.namespace, 'g-ns', 'the namespace comes from the URL');
    });

    t.test('workloads: deployment, job, cronjob', async (t) => {
      await create(['deployment', 'g-dep', '--image=nginx:1.25', '--replicas=2', '--port=80'], 'deployment.apps/g-dep');
      const dep = await jsonOf(['get', 'deploy', 'g-dep']);
      t.match(dep, {
        metadata: { labels: { app: 'g-dep' } },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'g-dep' } },
          template: { metadata: { labels: { app: 'g-dep' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80, protocol: 'TCP' }] }] } },
          strategy: { type: 'RollingUpdate' },
        },
      });

      await create(['job', 'g-job', '--image=busybox', '--', 'echo', 'hi'], 'job.batch/g-job');
      const job = await jsonOf(['get', 'job', 'g-job']);
      t.match(job.spec.template.spec, { restartPolicy: 'Never', containers: [{ name: 'g-job', image: 'busybox', command: ['echo', 'hi'] }] });

      await create(['cronjob', 'g-cj', '--image=busybox', '--schedule=*/5 * * * *', '--', 'date'], 'cronjob.batch/g-cj');
      const cj = await jsonOf(['get', 'cj', 'g-cj']);
      t.equal(cj.spec.schedule, '*/5 * * * *');
      t.match(cj.spec.jobTemplate.spec.template.spec, { restartPolicy: 'OnFailure', containers: [{ name: 'g-cj', image: 'busybox', command: ['date'] }] });
    });

    t.test('services: clusterip and nodeport', async (t) => {
      await create(['service', 'clusterip', 'g-svc', '--tcp=80:8080'], 'service/g-svc');
      const svc = await jsonOf(['get', 'svc', 'g-svc']);
      t.match(svc.spec, { type: 'ClusterIP', selector: { app: 'g-svc' }, ports: [{ name: '80-8080', port: 80, targetPort: 8080, protocol: 'TCP' }] });
      t.match(svc.spec.clusterIP, /^10\.96\.\d+\.\d+$/, 'a cluster IP is allocated');

      await create(['service', 'nodeport', 'g-np', '--tcp=80:8080'], 'service/g-np');
      const np = await jsonOf(['get', 'svc', 'g-np']);
      t.equal(np.spec.type, 'NodePort');
      const nodePort = np.spec.ports[0].nodePort as number;
      t.ok(nodePort >= 30000 && nodePort <= 32767, `a node port is allocated: ${nodePort}`);
      t.match(await ok(['get', 'svc', 'g-np']), new RegExp(`^g-np\\s+NodePort\\s+10\\.96\\.\\d+\\.\\d+\\s+<none>\\s+80:${nodePort}/TCP\\s+\\d+s$`, 'm'));
    });

    t.test('rbac: role, rolebinding, clusterrole, clusterrolebinding', async (t) => {
      await create(['role', 'g-role', '--verb=get,list', '--resource=pods'], 'role.rbac.authorization.k8s.io/g-role');
      t.same((await jsonOf(['get', 'role', 'g-role'])).rules, [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }]);
      await create(['rolebinding', 'g-rb', '--role=g-role', '--user=jane'], 'rolebinding.rbac.authorization.k8s.io/g-rb');
      t.match(await jsonOf(['get', 'rolebinding', 'g-rb']), {
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'g-role' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'jane' }],
      });
      await create(['clusterrole', 'g-cr', '--verb=get', '--resource=nodes'], 'clusterrole.rbac.authorization.k8s.io/g-cr');
      t.same((await jsonOf(['get', 'clusterrole', 'g-cr'])).rules, [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }]);
      await create(['clusterrolebinding', 'g-crb', '--clusterrole=g-cr', '--group=devs', '--serviceaccount=default:g-sa'], 'clusterrolebinding.rbac.authorization.k8s.io/g-crb');
      t.match(await jsonOf(['get', 'clusterrolebinding', 'g-crb']), {
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'g-cr' },
        subjects: [
          { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'devs' },
          { kind: 'ServiceAccount', name: 'g-sa', namespace: 'default' },
        ],
      });
    });

    t.test('quota, priorityclass, poddisruptionbudget, ingress', async (t) => {
      await create(['quota', 'g-q', '--hard=pods=10,cpu=2'], 'resourcequota/g-q');
      t.same((await jsonOf(['get', 'quota', 'g-q'])).spec.hard, { pods: '10', cpu: '2' });

      await create(['priorityclass', 'g-pc', '--value=1000', '--description=for tests'], 'priorityclass.scheduling.k8s.io/g-pc');
      t.match(await jsonOf(['get', 'pc', 'g-pc']), { value: 1000, description: 'for tests', preemptionPolicy: 'PreemptLowerPriority' });

      await create(['poddisruptionbudget', 'g-pdb', '--selector=app=g-dep', '--min-available=1'], 'poddisruptionbudget.policy/g-pdb');
      t.match((await jsonOf(['get', 'pdb', 'g-pdb'])).spec, { minAvailable: 1, selector: { matchLabels: { app: 'g-dep' } } });

      await create(['ingress', 'g-ing', '--rule=g.example.com/=g-svc:80'], 'ingress.networking.k8s.io/g-ing');
      t.match((await jsonOf(['get', 'ing', 'g-ing'])).spec.rules, [
        { host: 'g.example.com', http: { paths: [{ path: '/', pathType: 'Exact', backend: { service: { name: 'g-svc', port: { number: 80 } } } }] } },
      ]);
    });

    t.test('create token, auth can-i, auth whoami', async (t) => {
      const token = (await ok(['create', 'token', 'g-sa'])).trim();
      t.match(token, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'a JWT: three base64url parts');
      const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sub?: string };
      t.equal(claims.sub, 'system:serviceaccount:default:g-sa');
      // on a real cluster kube-controller-manager makes "default" in every namespace
      const forDefault = await kubectl(['create', 'token', 'default']);
      t.equal(forDefault.code, 0, `create token default: ${forDefault.stderr}`);
      t.equal(await ok(['auth', 'can-i', 'create', 'pods']), 'yes\n');
      t.equal(await ok(['auth', 'can-i', 'create', 'pods', '-n', 'g-ns']), 'yes\n');
      t.match(await ok(['auth', 'can-i', '--list']), /^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs$/m);
      const whoami = await ok(['auth', 'whoami']);
      t.match(whoami, /^ATTRIBUTE\s+VALUE$/m);
      t.match(whoami, /^Username\s+admin$/m);
    });
  });
}

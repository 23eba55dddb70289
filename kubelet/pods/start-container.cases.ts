/**
 * Starting containers through the pod workers (simulated runtime, FakePodClient): the env
 * from ConfigMaps/Secrets/services reaches createContainer, command/args are expanded,
 * the security context is mapped, a config that cannot be built waits with
 * CreateContainerConfigError (and recovers once the object exists), runAsNonRoot against an
 * image without USER is refused, and imagePullSecrets become the pull's auth.
 */
import type { V1Pod } from '@kubernetes/client-node';
import t, { type Test } from 'tap';
import type { ContainerConfig, PodSandboxConfig } from '../cri/api.js';
import { makePod, startHarness, type Harness } from './testing/pod-manager-harness.js';

const harness = (t: Test): Harness => {
  const h = startHarness({ logRoot: t.testdir() });
  t.teardown(() => h.stop());
  h.client.putObject({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubernetes', namespace: 'default' }, spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443 }] } });
  return h;
};
const b64 = (s: string) => Buffer.from(s).toString('base64');
const created = (h: Harness): ContainerConfig[] => h.calls.filter((c) => c.method === 'createContainer').map((c) => (c.req as { config: ContainerConfig }).config);
const waiting = (h: Harness, name: string) => h.status(name).containerStatuses?.[0]?.state?.waiting;

t.test('env, expanded command, security context and sandbox Linux config reach the runtime', async (t) => {
  const h = harness(t);
  h.client.putObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default' }, data: { MODE: 'fast' } });
  h.client.putObject({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: 'default' }, type: 'Opaque', data: { PASSWORD: b64('s3cret') } });
  const pod = makePod('env', {
    securityContext: { runAsUser: 1000, fsGroup: 2000, sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }] },
    containers: [
      {
        name: 'main',
        image: 'busybox:1.36',
        command: ['sh', '-c', 'echo $(GREETING) $(MODE)'],
        envFrom: [{ configMapRef: { name: 'cfg' } }],
        env: [
          { name: 'GREETING', value: 'hi-$(MODE)' },
          { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'creds', key: 'PASSWORD' } } },
          { name: 'MY_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        ],
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      },
    ],
  });
  await h.submit(pod);
  t.equal(h.status('env').phase, 'Running');
  const [config] = created(h);
  const env = Object.fromEntries(config!.envs.map((e) => [e.key, e.value]));
  t.match(env, { MODE: 'fast', GREETING: 'hi-fast', PASSWORD: 's3cret', KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_PORT: 'tcp://10.96.0.1:443' });
  t.match(env['MY_IP'], /^10\.244\.1\.\d+$/);
  t.same(config!.command, ['sh', '-c', 'echo hi-fast fast']);
  t.match(config!.linux?.securityContext, { runAsUser: { value: 1000 }, supplementalGroups: [2000], noNewPrivs: true, capabilities: { dropCapabilities: ['ALL'] } });
  const sandbox = h.calls.find((c) => c.method === 'runPodSandbox')?.req as { config: PodSandboxConfig };
  t.same(sandbox.config.linux?.sysctls, { 'net.ipv4.ip_unprivileged_port_start': '0' });
  t.match(sandbox.config.linux?.securityContext, { runAsUser: { value: 1000 }, namespaceOptions: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } });
});

t.test('a missing ConfigMap: CreateContainerConfigError with kube message, then the container starts once it exists', async (t) => {
  const h = harness(t);
  await h.submit(makePod('cfgerr', { containers: [{ name: 'main', image: 'busybox:1.36', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'late', key: 'x' } } }] }] }));
  t.same(waiting(h, 'cfgerr'), { reason: 'CreateContainerConfigError', message: 'configmap "late" not found' });
  t.ok(h.recorder.lines('Failed').includes('Failed: Error: configmap "late" not found'));
  t.same(created(h), [], 'nothing created');
  h.client.putObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late', namespace: 'default' }, data: { y: '1' } });
  await h.tick(10_000);
  t.same(waiting(h, 'cfgerr'), { reason: 'CreateContainerConfigError', message: "couldn't find key x in ConfigMap default/late" });
  h.client.putObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late', namespace: 'default' }, data: { x: 'now' } });
  await h.tick(30_000);
  t.equal(h.status('cfgerr').phase, 'Running');
  t.same(created(h)[0]?.envs.find((e) => e.key === 'X'), { key: 'X', value: 'now' });
});

t.test('runAsNonRoot against an image that runs as root is refused', async (t) => {
  const h = harness(t);
  const pod: V1Pod = makePod('nonroot', { securityContext: { runAsNonRoot: true } });
  await h.submit(pod);
  t.same(waiting(h, 'nonroot'), {
    reason: 'CreateContainerConfigError',
    message: `container has runAsNonRoot and image will run as root (pod: "nonroot_default(${pod.metadata!.uid})", container: main)`,
  });
  const allowed = makePod('nonroot-uid', { securityContext: { runAsNonRoot: true, runAsUser: 1000 } });
  await h.submit(allowed);
  t.equal(h.status('nonroot-uid').phase, 'Running', 'a non-root runAsUser is fine');
});

t.test('imagePullSecrets: matching credentials go to pullImage; a missing secret is only a warning', async (t) => {
  const h = harness(t);
  const dockerconfig = JSON.stringify({ auths: { '127.0.0.1:5000': { auth: b64('alice:pw') }, 'quay.io': { username: 'q', password: 'q' } } });
  h.client.putObject({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'regcred', namespace: 'default' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64(dockerconfig) } });
  await h.submit(
    makePod('private', {
      imagePullSecrets: [{ name: 'gone' }, { name: 'regcred' }],
      containers: [{ name: 'main', image: '127.0.0.1:5000/app:1' }],
    }),
  );
  const pulls = h.calls.filter((c) => c.method === 'pullImage').map((c) => (c.req as { auth?: { username: string; password: string } }).auth);
  t.match(pulls, [{ username: 'alice', password: 'pw' }]);
  t.ok(h.recorder.lines('FailedToRetrieveImagePullSecret').includes('FailedToRetrieveImagePullSecret: Unable to retrieve some image pull secrets (gone); attempting to pull the image may not succeed.'));
  t.equal(h.status('private').phase, 'Running');
});

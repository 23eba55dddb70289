/**
 * The volume manager against a temp dir, a FakeClock and a stub client: the AtomicWriter
 * layout and its updates, configMap/secret payloads (items, modes, optional), the
 * downward API's formats, bound tokens and their refresh, hostPath type checks, subPath
 * safety and the CRI mounts. The tmpfs emptyDir needs root: volumes.host-cases.ts.
 */
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { lstat, mkdir, readdir, readFile, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import t, { type Test } from 'tap';
import { ApiError } from '../../client/api-error.js';
import { FakeClock, flushMicrotasks } from '../../client/clock.js';
import type { KubeClient, KubeObject } from '../../client/types.js';
import { DATA_DIR_NAME, invalidPayloadPath, timestampedDirPrefix, writeAtomically, type Payload } from './atomic-writer.js';
import { invalidSubPath, planContainerMounts, propagationOf, resolveSubPath } from './container-mounts.js';
import { containerResourceValue, fieldPathValue, formatMap, goQuote } from './downward-api.js';
import { emptyDirMemorySizeBytes, tmpfsOptions } from './empty-dir.js';
import { checkHostPathType, setUpHostPath } from './host-path.js';
import { keyPayload } from './key-payload.js';
import { mountsUnder, parseMountInfo } from './mountinfo.js';
import { createPodVolumes } from './pod-volumes.js';
import { refreshAtMs } from './service-account-token.js';
import { VolumeSetUpError } from './types.js';
import { volumeDirectory } from './volume-paths.js';

const logger = pino({ level: 'silent' });
const payload = (files: Record<string, string | [string, number]>): Payload =>
  new Map(Object.entries(files).map(([p, v]) => [p, typeof v === 'string' ? { content: Buffer.from(v), mode: 0o644 } : { content: Buffer.from(v[0]), mode: v[1] }]));
const mode = async (path: string) => (await stat(path)).mode & 0o7777;

/** a client that serves objects by kind/namespace/name and answers TokenRequests */
class StubClient {
  readonly objects = new Map<string, KubeObject>();
  readonly tokenRequests: Array<{ name: string; namespace?: string; body: any }> = [];
  tokenCounter = 0;
  constructor(private readonly clock: FakeClock) {}
  put(kind: string, obj: KubeObject) {
    this.objects.set(`${kind}/${obj.metadata?.namespace ?? ''}/${obj.metadata?.name}`, obj);
  }
  get client(): KubeClient {
    return {
      resource: (_apiVersion: string, kind: string) => ({
        get: async (name: string, opts?: { namespace?: string }) => {
          const obj = this.objects.get(`${kind}/${opts?.namespace ?? ''}/${name}`);
          if (!obj) throw new ApiError({ code: 404, reason: 'NotFound', message: `${kind.toLowerCase()}s "${name}" not found` });
          return structuredClone(obj);
        },
        createSubresource: async (name: string, _sub: string, body: any, opts?: { namespace?: string }) => {
          this.tokenRequests.push({ name, ...(opts?.namespace ? { namespace: opts.namespace } : {}), body });
          const exp = new Date(this.clock.now() + body.spec.expirationSeconds * 1000).toISOString();
          return { ...body, status: { token: `token-${++this.tokenCounter}`, expirationTimestamp: exp } };
        },
      }),
    } as unknown as KubeClient;
  }
}

const basePod = (volumes: V1Pod['spec'] extends infer S ? (S extends { volumes?: infer V } ? V : never) : never, extra: Partial<V1Pod['spec']> = {}): V1Pod => ({
  metadata: { name: 'web', namespace: 'ns1', uid: 'uid-1', labels: { app: 'web', tier: 'front' }, annotations: { note: 'say "hi"\n' } },
  spec: { nodeName: 'node-a', containers: [{ name: 'c', image: 'busybox', resources: { limits: { cpu: '500m' } } }], volumes, ...extra } as V1Pod['spec'],
});

const setup = (t: Test) => {
  const base = t.testdir();
  const root = join(base, 'pods');
  const clock = new FakeClock();
  const stub = new StubClient(clock);
  stub.put('Node', { metadata: { name: 'node-a' }, status: { allocatable: { cpu: '2', memory: '4Gi' } } });
  const volumes = createPodVolumes({ rootDir: root, client: stub.client, clock, nodeName: 'node-a', logger });
  t.teardown(() => volumes.close());
  return { base, root, clock, stub, volumes };
};

t.test('AtomicWriter: layout, atomic update, removed keys disappear, no-op writes nothing', async (t) => {
  const dir = join(t.testdir(), 'vol');
  t.equal(await writeAtomically(dir, payload({ a: 'one', 'conf/b': ['two', 0o600] }), Date.UTC(2026, 0, 2, 3, 4, 5)), true);
  const ts = await readlink(join(dir, DATA_DIR_NAME));
  t.match(ts, /^\.\.2026_01_02_03_04_05\./);
  t.equal(await readlink(join(dir, 'a')), '..data/a');
  t.equal(await readlink(join(dir, 'conf')), '..data/conf');
  t.equal(await readFile(join(dir, 'a'), 'utf8'), 'one');
  t.equal(await readFile(join(dir, 'conf/b'), 'utf8'), 'two');
  t.equal(await mode(join(dir, ts, 'conf/b')), 0o600);
  t.equal(await mode(join(dir, ts, 'a')), 0o644);

  t.equal(await writeAtomically(dir, payload({ a: 'one', 'conf/b': ['two', 0o600] }), Date.UTC(2026, 0, 3)), false, 'same content: nothing written');
  t.equal(await readlink(join(dir, DATA_DIR_NAME)), ts);

  t.equal(await writeAtomically(dir, payload({ a: 'uno', c: 'three' }), Date.UTC(2026, 0, 4)), true);
  const ts2 = await readlink(join(dir, DATA_DIR_NAME));
  t.not(ts2, ts);
  t.equal(await readFile(join(dir, 'a'), 'utf8'), 'uno');
  t.equal(await readFile(join(dir, 'c'), 'utf8'), 'three');
  t.notOk(existsSync(join(dir, 'conf')), 'the removed key is gone');
  t.notOk(existsSync(join(dir, ts)), 'the old timestamped dir is gone');
  t.same((await readdir(dir)).sort(), [ts2, '..data', 'a', 'c'].sort());

  t.equal(await writeAtomically(dir, payload({ a: ['uno', 0o400], c: 'three' }), Date.UTC(2026, 0, 5)), true, 'a mode change rewrites');
  t.equal(await mode(join(dir, 'a')), 0o400);
});

t.test('AtomicWriter rejects paths outside the volume', async (t) => {
  const cases: Array<[string, string | undefined]> = [
    ['a/b', undefined],
    ['/etc/passwd', 'invalid path: must be relative path'],
    ['../x', "invalid path: must not contain '..'"],
    ['a/../../x', "invalid path: must not contain '..'"],
    ['..data', "invalid path: must not start with '..'"],
    ['x'.repeat(256), 'invalid path: filenames must be less than or equal to 255 characters'],
  ];
  for (const [path, want] of cases) t.equal(invalidPayloadPath(path), want, path.slice(0, 20));
  await t.rejects(writeAtomically(join(t.testdir(), 'v'), payload({ '../escape': 'x' }), 0), /must not contain/);
  t.equal(timestampedDirPrefix(Date.UTC(2026, 10, 24, 21, 5, 9)), '..2026_11_24_21_05_09.');
});

t.test('configMap/secret payloads: all keys, items with paths and modes, optional', async (t) => {
  const keys = new Map([
    ['a', Buffer.from('A')],
    ['b', Buffer.from('B')],
  ]);
  const cases: Array<{ name: string; items?: Array<{ key: string; path: string; mode?: number }>; optional?: boolean; want?: Record<string, [string, number]>; error?: string; kind?: 'configmap' | 'secret' }> = [
    { name: 'every key, defaultMode', want: { a: ['A', 0o640], b: ['B', 0o640] } },
    { name: 'items', items: [{ key: 'a', path: 'x/y', mode: 0o400 }], want: { 'x/y': ['A', 0o400] } },
    { name: 'missing key', items: [{ key: 'zz', path: 'z' }], error: 'configmap references non-existent config key: zz' },
    { name: 'missing secret key', kind: 'secret', items: [{ key: 'zz', path: 'z' }], error: 'references non-existent secret key: zz' },
    { name: 'missing key, optional', items: [{ key: 'zz', path: 'z' }, { key: 'b', path: 'b' }], optional: true, want: { b: ['B', 0o640] } },
  ];
  for (const c of cases) {
    const run = () => keyPayload({ kind: c.kind ?? 'configmap', ...(c.items ? { items: c.items } : {}), ...(c.optional ? { optional: true } : {}) }, keys, 0o640);
    if (c.error) t.throws(run, { message: c.error }, c.name);
    else t.same(Object.fromEntries([...run()].map(([p, f]) => [p, [f.content.toString(), f.mode]])), c.want, c.name);
  }
});

t.test('configMap and secret volumes through setUp: refresh, optional, kube messages', async (t) => {
  const { root, stub, volumes } = setup(t);
  stub.put('ConfigMap', { metadata: { name: 'app', namespace: 'ns1' }, data: { 'app.conf': 'v1' }, binaryData: { bin: Buffer.from([1, 2]).toString('base64') } });
  stub.put('Secret', { metadata: { name: 'creds', namespace: 'ns1' }, data: { password: Buffer.from('s3cret').toString('base64') } });
  const pod = basePod([
    { name: 'config', configMap: { name: 'app' } },
    { name: 'creds', secret: { secretName: 'creds', defaultMode: 0o400 } },
    { name: 'maybe', configMap: { name: 'absent', optional: true } },
  ]);
  await volumes.setUp(pod);
  const cm = volumeDirectory(root, 'uid-1', 'configmap', 'config');
  t.equal(await readFile(join(cm, 'app.conf'), 'utf8'), 'v1');
  t.same([...(await readFile(join(cm, 'bin')))], [1, 2]);
  const secret = volumeDirectory(root, 'uid-1', 'secret', 'creds');
  t.equal(await readFile(join(secret, 'password'), 'utf8'), 's3cret', 'base64 decoded');
  t.equal(await mode(join(secret, 'password')), 0o400);
  const maybe = volumeDirectory(root, 'uid-1', 'configmap', 'maybe');
  t.same(await readdir(join(maybe, DATA_DIR_NAME)), [], 'missing + optional: an empty volume');

  stub.put('ConfigMap', { metadata: { name: 'app', namespace: 'ns1' }, data: { other: 'v2' } });
  await volumes.setUp(pod);
  t.equal(await readFile(join(cm, 'other'), 'utf8'), 'v2', 'refreshed on the next setUp');
  t.notOk(existsSync(join(cm, 'app.conf')));

  const broken = basePod([{ name: 'config', configMap: { name: 'missing' } }, { name: 's', secret: { secretName: 'gone' } }, { name: 'claim', persistentVolumeClaim: { claimName: 'c' } }]);
  broken.metadata!.uid = 'uid-2';
  const err = await volumes.setUp(broken).then(
    () => undefined,
    (e: unknown) => e,
  );
  t.ok(err instanceof VolumeSetUpError);
  t.same((err as VolumeSetUpError).messages, [
    'MountVolume.SetUp failed for volume "config" : configmap "missing" not found',
    'MountVolume.SetUp failed for volume "s" : secret "gone" not found',
    'MountVolume.SetUp failed for volume "claim" : persistentVolumeClaim volume type not supported by k8ts yet',
  ]);
});

t.test('downward API: Go quoting, sorted maps, field paths, resources with divisors and node allocatable', async (t) => {
  const quotes: Array<[string, string]> = [
    ['plain', '"plain"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['a\\b\nc\td', '"a\\\\b\\nc\\td"'],
    ['\x01', '"\\x01"'],
    ['héllo ✓', '"héllo ✓"'],
  ];
  for (const [input, want] of quotes) t.equal(goQuote(input), want, JSON.stringify(input));
  t.equal(formatMap({ z: '1', a: 'x y' }), 'a="x y"\nz="1"');
  t.equal(formatMap(undefined), '');
  const pod = basePod([]);
  t.equal(fieldPathValue(pod, 'metadata.labels'), 'app="web"\ntier="front"');
  t.equal(fieldPathValue(pod, 'metadata.annotations'), 'note="say \\"hi\\"\\n"');
  t.equal(fieldPathValue(pod, "metadata.labels['tier']"), 'front');
  t.equal(fieldPathValue(pod, 'metadata.uid'), 'uid-1');
  t.throws(() => fieldPathValue(pod, 'spec.nodeName'), { message: 'unsupported fieldPath: spec.nodeName' });

  const container: V1Container = { name: 'c', resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '250m' } } };
  const allocatable = { cpu: '2', memory: '4Gi' };
  const cases: Array<[string, string | undefined, string, V1Container?]> = [
    ['limits.cpu', undefined, '1'],
    ['limits.cpu', '1m', '500'],
    ['requests.cpu', '1m', '250'],
    ['requests.cpu', '100m', '3'],
    ['limits.memory', undefined, String(128 * 2 ** 20)],
    ['limits.memory', '1Mi', '128'],
    ['limits.memory', '1Gi', '1'],
    ['requests.memory', undefined, '0'],
    ['limits.memory', '1Mi', '4096', { name: 'nolimit' }],
    ['limits.cpu', '1m', '2000', { name: 'nolimit' }],
  ];
  for (const [resource, divisor, want, c] of cases) t.equal(containerResourceValue(c ?? container, resource, divisor, allocatable), want, `${resource} / ${divisor ?? '1'}${c ? ' (no limit)' : ''}`);
  t.throws(() => containerResourceValue(container, 'limits.gpu', undefined, allocatable), { message: 'unsupported container resource : limits.gpu' });
});

t.test('downwardAPI volume files, with item modes', async (t) => {
  const { root, volumes } = setup(t);
  const pod = basePod([
    {
      name: 'info',
      downwardAPI: {
        defaultMode: 0o600,
        items: [
          { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
          { path: 'name', fieldRef: { fieldPath: 'metadata.name' }, mode: 0o444 },
          { path: 'mem', resourceFieldRef: { containerName: 'c', resource: 'limits.memory', divisor: '1Mi' } },
          { path: 'cpu', resourceFieldRef: { containerName: 'c', resource: 'limits.cpu', divisor: '1m' } },
        ],
      },
    },
  ]);
  await volumes.setUp(pod);
  const dir = volumeDirectory(root, 'uid-1', 'downward-api', 'info');
  t.equal(await readFile(join(dir, 'labels'), 'utf8'), 'app="web"\ntier="front"');
  t.equal(await readFile(join(dir, 'name'), 'utf8'), 'web');
  t.equal(await readFile(join(dir, 'mem'), 'utf8'), '4096', 'no memory limit: node allocatable');
  t.equal(await readFile(join(dir, 'cpu'), 'utf8'), '500');
  t.equal(await mode(join(dir, 'labels')), 0o600);
  t.equal(await mode(join(dir, 'name')), 0o444);
});

t.test('projected: one dir from configMap, secret, downwardAPI and a bound token refreshed by the clock', async (t) => {
  const { root, clock, stub, volumes } = setup(t);
  stub.put('ConfigMap', { metadata: { name: 'kube-root-ca.crt', namespace: 'ns1' }, data: { 'ca.crt': 'CA' } });
  stub.put('Secret', { metadata: { name: 'extra', namespace: 'ns1' }, data: { k: Buffer.from('v').toString('base64') } });
  const pod = basePod(
    [
      {
        name: 'kube-api-access',
        projected: {
          sources: [
            { serviceAccountToken: { path: 'token', expirationSeconds: 3600, audience: 'api' } },
            { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            { secret: { name: 'extra' } },
            { downwardAPI: { items: [{ path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } }] } },
          ],
        },
      },
    ],
    { serviceAccountName: 'robot' },
  );
  await volumes.setUp(pod);
  const dir = volumeDirectory(root, 'uid-1', 'projected', 'kube-api-access');
  t.equal(await readFile(join(dir, 'token'), 'utf8'), 'token-1');
  t.equal(await readFile(join(dir, 'ca.crt'), 'utf8'), 'CA');
  t.equal(await readFile(join(dir, 'k'), 'utf8'), 'v');
  t.equal(await readFile(join(dir, 'namespace'), 'utf8'), 'ns1');
  t.equal(await mode(join(dir, 'token')), 0o644, "kube writes the token with the volume's defaultMode");
  t.same(stub.tokenRequests[0], {
    name: 'robot',
    namespace: 'ns1',
    body: {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { audiences: ['api'], expirationSeconds: 3600, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web', uid: 'uid-1' } },
    },
  });

  await volumes.setUp(pod);
  t.equal(stub.tokenRequests.length, 1, 'a fresh token is reused');
  t.equal(clock.pending, 1, 'one refresh timer for the pod');

  // 80% of 3600 s: the timer refreshes without any sync
  await clock.advance(2880_000 - 1);
  t.equal(stub.tokenRequests.length, 1, 'not before 80% of the lifetime');
  await clock.advance(1);
  for (let i = 0; i < 200 && (await readFile(join(dir, 'token'), 'utf8')) !== 'token-2'; i++) await new Promise((r) => setTimeout(r, 5));
  t.equal(await readFile(join(dir, 'token'), 'utf8'), 'token-2');
  t.equal(stub.tokenRequests.length, 2);

  await volumes.tearDown('uid-1');
  await flushMicrotasks();
  t.equal(clock.pending, 0, 'tearDown stops the timer');
  t.notOk(existsSync(join(root, 'uid-1')));
  await volumes.tearDown('uid-1');
  t.pass('tearDown is idempotent');
});

t.test('token refresh point: 80% of the lifetime, at most 24 h', async (t) => {
  const s = { maxTokenAgeMs: 24 * 3600_000, refreshAtFraction: 0.8, retryAfterFailureMs: 1 };
  t.equal(refreshAtMs({ token: 'x', issuedAtMs: 0, expiresAtMs: 3600_000 }, s), 2880_000);
  t.equal(refreshAtMs({ token: 'x', issuedAtMs: 0, expiresAtMs: 7 * 24 * 3600_000 }, s), 24 * 3600_000);
});

t.test('fsGroup: the group owns AtomicWriter files, group-readable; the token 0640', { skip: process.getuid?.() !== 0 ? 'chown to another group needs root' : false }, async (t) => {
  const { root, volumes } = setup(t);
  const pod = basePod([{ name: 'tok', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }], { securityContext: { fsGroup: 2000 } });
  await volumes.setUp(pod);
  const file = join(volumeDirectory(root, 'uid-1', 'projected', 'tok'), 'token');
  t.equal(await mode(file), 0o640);
  t.equal((await stat(file)).gid, 2000);
});

t.test('hostPath type checks (kube messages) and creation', async (t) => {
  const cases: Array<[string | undefined, Parameters<typeof checkHostPathType>[2], ReturnType<typeof checkHostPathType>]> = [
    [undefined, 'missing', { ok: true }],
    ['DirectoryOrCreate', 'missing', { ok: true, create: 'directory' }],
    ['DirectoryOrCreate', 'file', { ok: false, message: 'hostPath type check failed: /p is not a directory' }],
    ['Directory', 'missing', { ok: false, message: 'hostPath type check failed: /p is not a directory' }],
    ['Directory', 'directory', { ok: true }],
    ['FileOrCreate', 'missing', { ok: true, create: 'file' }],
    ['File', 'directory', { ok: false, message: 'hostPath type check failed: /p is not a file' }],
    ['Socket', 'file', { ok: false, message: 'hostPath type check failed: /p is not a socket file' }],
    ['CharDevice', 'char', { ok: true }],
    ['CharDevice', 'block', { ok: false, message: 'hostPath type check failed: /p is not a character device' }],
    ['BlockDevice', 'char', { ok: false, message: 'hostPath type check failed: /p is not a block device' }],
    ['Weird', 'file', { ok: false, message: 'Weird is an invalid volume type' }],
  ];
  for (const [type, found, want] of cases) t.same(checkHostPathType('/p', type, found), want, `${type} on ${found}`);

  const dir = t.testdir();
  await setUpHostPath(join(dir, 'made'), 'DirectoryOrCreate');
  t.equal(await mode(join(dir, 'made')), 0o755);
  await setUpHostPath(join(dir, 'f'), 'FileOrCreate');
  t.ok((await stat(join(dir, 'f'))).isFile());
  await t.rejects(setUpHostPath(join(dir, 'made'), 'File'), { message: `hostPath type check failed: ${join(dir, 'made')} is not a file` });
  await t.rejects(setUpHostPath('/dev/null', 'BlockDevice'), { message: 'hostPath type check failed: /dev/null is not a block device' });
  await setUpHostPath('/dev/null', 'CharDevice');
});

t.test('mountsFor: paths, read-only rules, propagation, subPath', async (t) => {
  const { base, root, volumes } = setup(t);
  const host = join(base, 'host');
  await mkdir(host);
  const pod = basePod([{ name: 'scratch', emptyDir: {} }, { name: 'cfg', configMap: { name: 'absent', optional: true } }, { name: 'host', hostPath: { path: host } }]);
  pod.spec!.containers[0]!.volumeMounts = [
    { name: 'scratch', mountPath: '/scratch' },
    { name: 'scratch', mountPath: '/sub', subPath: 'a/b', readOnly: true },
    { name: 'cfg', mountPath: '/etc/cfg' },
    { name: 'host', mountPath: '/host', mountPropagation: 'HostToContainer' },
    { name: 'host', mountPath: '/host2', mountPropagation: 'Bidirectional' },
  ];
  await volumes.setUp(pod);
  const scratch = volumeDirectory(root, 'uid-1', 'empty-dir', 'scratch');
  t.equal(await mode(scratch), 0o777, 'emptyDir is world-writable');
  t.same(volumes.mountsFor(pod, pod.spec!.containers[0]!), [
    { containerPath: '/scratch', hostPath: scratch, readonly: false, propagation: 'PROPAGATION_PRIVATE' },
    { containerPath: '/sub', hostPath: join(scratch, 'a/b'), readonly: true, propagation: 'PROPAGATION_PRIVATE' },
    { containerPath: '/etc/cfg', hostPath: volumeDirectory(root, 'uid-1', 'configmap', 'cfg'), readonly: true, propagation: 'PROPAGATION_PRIVATE' },
    { containerPath: '/host', hostPath: host, readonly: false, propagation: 'PROPAGATION_HOST_TO_CONTAINER' },
    { containerPath: '/host2', hostPath: host, readonly: false, propagation: 'PROPAGATION_BIDIRECTIONAL' },
  ]);
  t.ok((await stat(join(scratch, 'a/b'))).isDirectory(), 'the subPath was created');
  t.equal(propagationOf(undefined), 'PROPAGATION_PRIVATE');
  t.equal(propagationOf('None'), 'PROPAGATION_PRIVATE');

  t.equal(invalidSubPath('a/b'), undefined);
  t.equal(invalidSubPath('../x'), "unable to provision SubPath `../x`: must not contain '..'");
  t.equal(invalidSubPath('a/../../x'), "unable to provision SubPath `a/../../x`: must not contain '..'");
  t.equal(invalidSubPath('/etc'), 'error SubPath `/etc` must not be an absolute path');
  const escaping: V1Container = { name: 'c', volumeMounts: [{ name: 'scratch', mountPath: '/x', subPath: '../../etc' }] };
  t.throws(() => planContainerMounts(root, pod, escaping), { message: "unable to provision SubPath `../../etc`: must not contain '..'" });

  // a symlink planted inside a writable volume must not lead out of it
  const outside = join(base, 'outside');
  await mkdir(outside);
  await symlink(outside, join(scratch, 'evil'));
  const viaLink: V1Container = { name: 'c', volumeMounts: [{ name: 'scratch', mountPath: '/x', subPath: 'evil/newdir' }] };
  t.throws(() => volumes.mountsFor(pod, viaLink), /not within volume path/);
  t.notOk(existsSync(join(outside, 'newdir')), 'nothing was created outside the volume');
  const inside: V1Container = { name: 'c', volumeMounts: [{ name: 'scratch', mountPath: '/x', subPath: 'link-in' }] };
  await mkdir(join(scratch, 'real'));
  await symlink('real', join(scratch, 'link-in'));
  t.equal(resolveSubPath(planContainerMounts(root, pod, inside)[0]!).hostPath, join(scratch, 'real'), 'a symlink within the volume resolves');
  t.throws(() => planContainerMounts(root, pod, { name: 'c', volumeMounts: [{ name: 'nope', mountPath: '/n' }] }), /cannot find volume "nope"/);
});

t.test('tearDown removes the pod dir; emptyDir content goes with it', async (t) => {
  const { root, volumes } = setup(t);
  const pod = basePod([{ name: 'scratch', emptyDir: {} }]);
  await volumes.setUp(pod);
  await writeFile(join(volumeDirectory(root, 'uid-1', 'empty-dir', 'scratch'), 'f'), 'x');
  await volumes.tearDown('uid-1');
  t.notOk(existsSync(join(root, 'uid-1')));
  t.ok((await lstat(root)).isDirectory(), 'the root stays');
  await volumes.tearDown('..');
  t.ok(existsSync(root), 'a hostile uid never reaches outside its dir');
});

t.test('mountinfo parsing and tmpfs sizing', async (t) => {
  const text = [
    '22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/vda rw',
    '90 22 0:50 / /data/pods/u1/volumes/kubernetes.io~empty-dir/mem rw,relatime - tmpfs tmpfs rw,size=1024k,mode=777',
    '91 90 0:51 / /data/pods/u1/volumes/kubernetes.io~empty-dir/mem/in\\040space rw - tmpfs tmpfs rw',
    '92 22 0:52 / /data/pods/u10 rw - tmpfs tmpfs rw',
  ].join('\n');
  const entries = parseMountInfo(text);
  t.equal(entries.length, 4);
  t.equal(entries[1]!.superOptions, 'rw,size=1024k,mode=777');
  t.same(
    mountsUnder(entries, '/data/pods/u1').map((e) => e.mountPoint),
    ['/data/pods/u1/volumes/kubernetes.io~empty-dir/mem/in space', '/data/pods/u1/volumes/kubernetes.io~empty-dir/mem'],
    'deepest first; u10 is not under u1',
  );
  const gi = 2 ** 30;
  const withLimits = (limits: string[]): V1Pod => ({ spec: { containers: limits.map((m, i) => ({ name: `c${i}`, resources: m ? { limits: { memory: m } } : {} })) } });
  t.equal(emptyDirMemorySizeBytes(4 * gi, withLimits(['']), undefined), 4 * gi, 'node allocatable by default');
  t.equal(emptyDirMemorySizeBytes(4 * gi, withLimits(['1Gi', '1Gi']), undefined), 2 * gi, 'the pod limit');
  t.equal(emptyDirMemorySizeBytes(4 * gi, withLimits(['1Gi', '']), undefined), 4 * gi, 'a container without a limit: no pod limit');
  t.equal(emptyDirMemorySizeBytes(4 * gi, withLimits(['1Gi']), '64Mi'), 64 * 2 ** 20, 'sizeLimit below');
  t.equal(emptyDirMemorySizeBytes(4 * gi, withLimits(['1Gi']), '8Gi'), gi, 'sizeLimit above the pod limit is capped');
  t.equal(tmpfsOptions(1024), 'size=1024,mode=0777');
});

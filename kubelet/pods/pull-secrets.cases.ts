import type { V1Pod, V1Secret } from '@kubernetes/client-node';
import t from 'tap';
import type { AuthConfig, PodSandboxConfig } from '../cri/api.js';
import { pullWithCredentials } from './image-puller.js';
import {
  buildKeyring,
  dockerConfigOfSecret,
  lookupCredentials,
  missingPullSecretsMessage,
  parseDockerConfig,
  pullCredentialsFor,
  urlsMatch,
  type RegistryCredential,
} from './pull-secrets.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const cred = (username: string): RegistryCredential => ({ username, password: `${username}-pw` });
const config = (entries: Record<string, string>) => new Map(Object.entries(entries).map(([loc, user]) => [loc, cred(user)]));

t.test('docker config parsing: dockerconfigjson, dockercfg, auth field', async (t) => {
  const json = JSON.stringify({ auths: { 'reg.example': { username: 'u', password: 'p' }, 'other.example': { auth: b64('alice:pa:ss'), username: 'ignored' } } });
  t.same([...parseDockerConfig(json, 'dockerconfigjson')], [
    ['reg.example', { username: 'u', password: 'p' }],
    ['other.example', { username: 'alice', password: 'pa:ss' }],
  ]);
  t.same([...parseDockerConfig(JSON.stringify({ 'https://index.docker.io/v1/': { auth: b64('bob:pw'), email: 'b@x' } }), 'dockercfg')], [['https://index.docker.io/v1/', { username: 'bob', password: 'pw' }]]);
  t.throws(() => parseDockerConfig(JSON.stringify({ auths: { r: { auth: b64('nocolon') } } }), 'dockerconfigjson'), { message: /unable to parse auth field/ });

  const secret = (type: string, key: string, value: string): V1Secret => ({ type, data: { [key]: b64(value) } });
  t.ok(dockerConfigOfSecret(secret('kubernetes.io/dockerconfigjson', '.dockerconfigjson', json))?.has('reg.example'));
  t.ok(dockerConfigOfSecret(secret('kubernetes.io/dockercfg', '.dockercfg', JSON.stringify({ 'reg.example': { username: 'u', password: 'p' } })))?.has('reg.example'));
  t.equal(dockerConfigOfSecret(secret('Opaque', '.dockerconfigjson', json)), undefined, 'wrong type ignored');
  t.equal(dockerConfigOfSecret(secret('kubernetes.io/dockercfg', '.dockerconfigjson', json)), undefined, 'type and key must agree');
});

t.test('URL matching like credentialprovider URLsMatch', async (t) => {
  const cases: Array<[string, string, boolean]> = [
    ['reg.example', 'reg.example/app', true],
    ['reg.example', 'reg.example', true],
    ['reg.example', 'other.example/app', false],
    ['reg.example:5000', 'reg.example:5000/app', true],
    ['reg.example:5000', 'reg.example/app', false],
    ['reg.example', 'reg.example:5000/app', false],
    ['127.0.0.1:5000', '127.0.0.1:5000/team/app', true],
    ['reg.example/team', 'reg.example/team/app', true],
    ['reg.example/team', 'reg.example/other/app', false],
    ['*.example', 'reg.example/app', true],
    ['*.example', 'a.reg.example/app', false],
    ['*.reg.example', 'a.reg.example/app', true],
    ['reg.examp?e', 'reg.example/x', false], // as in Go, ? starts a query: the host is reg.examp
  ];
  for (const [glob, target, want] of cases) t.equal(urlsMatch(glob, target), want, `${glob} ~ ${target}`);
});

t.test('keyring lookup: schemes, /v1/ paths, specificity order, Docker Hub aliases', async (t) => {
  const keyring = buildKeyring([
    config({ 'https://reg.example/v2/': 'host-v2', 'reg.example/team': 'team', 'http://127.0.0.1:5000': 'local' }),
    config({ 'reg.example': 'host-plain', 'https://index.docker.io/v1/': 'hub' }),
  ]);
  const users = (image: string) => lookupCredentials(keyring, image).map((c) => c.username);
  const cases: Array<[string, string[]]> = [
    ['reg.example/team/app:1', ['team', 'host-v2', 'host-plain']],
    ['reg.example/other/app', ['host-v2', 'host-plain']],
    ['127.0.0.1:5000/app@sha256:' + 'a'.repeat(64), ['local']],
    ['127.0.0.1:5001/app', []],
    ['busybox', ['hub']],
    ['library/busybox:1.36', ['hub']],
    ['docker.io/someone/app', ['hub']],
    ['index.docker.io/someone/app', ['hub']],
    ['registry-1.docker.io/someone/app', []],
    ['quay.io/x/y', []],
  ];
  for (const [image, want] of cases) t.same(users(image), want, image);
  const hubByName = buildKeyring([config({ 'docker.io': 'hub-short' })]);
  t.same(lookupCredentials(hubByName, 'busybox').map((c) => c.username), ['hub-short'], 'a docker.io key matches the normalised docker.io/library/… name');
});

t.test('pull credentials for a pod: missing secrets are not fatal, several secrets all count', async (t) => {
  const secrets: Record<string, V1Secret> = {
    one: { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64(JSON.stringify({ auths: { '127.0.0.1:5000': { username: 'a', password: 'x' } } })) } },
    two: { type: 'kubernetes.io/dockercfg', data: { '.dockercfg': b64(JSON.stringify({ '127.0.0.1:5000': { auth: b64('b:y') } })) } },
    opaque: { type: 'Opaque', data: { k: b64('v') } },
  };
  const reader = {
    async getSecret(ns: string, name: string) {
      if (ns !== 'shop' || !secrets[name]) throw new Error('secret not found');
      return secrets[name]!;
    },
  };
  const pod = (names: string[]): V1Pod => ({ metadata: { name: 'p', namespace: 'shop' }, spec: { containers: [], imagePullSecrets: names.map((name) => ({ name })) } });
  const missing: string[][] = [];
  const auths = await pullCredentialsFor(pod(['one', 'gone', 'opaque', 'two', 'also-gone']), '127.0.0.1:5000/app:1', reader, (names) => missing.push(names));
  t.same(auths.map((a) => [a.username, a.password]), [['a', 'x'], ['b', 'y']]);
  t.same(auths[0], { username: 'a', password: 'x', auth: '', serverAddress: '', identityToken: '', registryToken: '' });
  t.same(missing, [['gone', 'also-gone']]);
  t.equal(missingPullSecretsMessage(['gone', 'also-gone']), 'Unable to retrieve some image pull secrets (gone, also-gone); attempting to pull the image may not succeed.');
  t.same(await pullCredentialsFor(pod([]), 'x', reader, () => t.fail('no secrets, no warning')), []);
  t.same(await pullCredentialsFor(pod(['one']), 'quay.io/x', reader, () => t.fail('')), [], 'no match: anonymous');
});

t.test('pull tries each credential in turn, anonymous without any', async (t) => {
  const sandboxConfig = {} as PodSandboxConfig;
  const calls: Array<string | undefined> = [];
  const images = {
    async pullImage(req: { auth?: AuthConfig }) {
      calls.push(req.auth?.username);
      if (req.auth?.username !== 'good') throw new Error(`401 for ${req.auth?.username ?? 'anonymous'}`);
      return { imageRef: 'sha256:abc' };
    },
  };
  const auth = (username: string): AuthConfig => ({ username, password: '', auth: '', serverAddress: '', identityToken: '', registryToken: '' });
  t.equal(await pullWithCredentials(images, 'img', sandboxConfig, [auth('bad'), auth('good'), auth('never')]), 'sha256:abc');
  t.same(calls, ['bad', 'good'], 'stops at the first that works');
  calls.length = 0;
  await t.rejects(pullWithCredentials(images, 'img', sandboxConfig, []), { message: '401 for anonymous' });
  t.same(calls, [undefined]);
  await t.rejects(pullWithCredentials(images, 'img', sandboxConfig, [auth('bad'), auth('worse')]), { message: '[401 for bad, 401 for worse]' }, "kube's aggregate error");
  await t.rejects(pullWithCredentials(images, 'img', sandboxConfig, [auth('bad')]), { message: '401 for bad' });
});

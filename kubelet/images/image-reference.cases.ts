import t from 'tap';
import {
  applyDefaultImageTag,
  InvalidImageReferenceError,
  isLoopbackRegistry,
  parseImageReference,
  type ImageReference,
} from './image-reference.js';

const HEX = '5c3cf3ca2b8a5cd9e3d8a7b0b9a3c9f0e1d2c3b4a5968778695a4b3c2d1e0f11';
const DIGEST = `sha256:${HEX}`;

type Want = Omit<ImageReference, 'name'>;

const valid: Array<[string, Want]> = [
  ['busybox', {
    domain: 'docker.io', path: 'library/busybox',
    canonical: 'docker.io/library/busybox:latest', registryReference: 'latest', registryHost: 'registry-1.docker.io',
  }],
  ['busybox:1.36', {
    domain: 'docker.io', path: 'library/busybox', tag: '1.36',
    canonical: 'docker.io/library/busybox:1.36', registryReference: '1.36', registryHost: 'registry-1.docker.io',
  }],
  ['busybox:Latest_1.0-rc', {
    domain: 'docker.io', path: 'library/busybox', tag: 'Latest_1.0-rc',
    canonical: 'docker.io/library/busybox:Latest_1.0-rc', registryReference: 'Latest_1.0-rc', registryHost: 'registry-1.docker.io',
  }],
  ['library/busybox', {
    domain: 'docker.io', path: 'library/busybox',
    canonical: 'docker.io/library/busybox:latest', registryReference: 'latest', registryHost: 'registry-1.docker.io',
  }],
  ['docker.io/busybox', {
    domain: 'docker.io', path: 'library/busybox',
    canonical: 'docker.io/library/busybox:latest', registryReference: 'latest', registryHost: 'registry-1.docker.io',
  }],
  ['index.docker.io/library/busybox:1', {
    domain: 'docker.io', path: 'library/busybox', tag: '1',
    canonical: 'docker.io/library/busybox:1', registryReference: '1', registryHost: 'registry-1.docker.io',
  }],
  ['user/app:v1', {
    domain: 'docker.io', path: 'user/app', tag: 'v1',
    canonical: 'docker.io/user/app:v1', registryReference: 'v1', registryHost: 'registry-1.docker.io',
  }],
  ['my-org/sub.group/app__x', {
    domain: 'docker.io', path: 'my-org/sub.group/app__x',
    canonical: 'docker.io/my-org/sub.group/app__x:latest', registryReference: 'latest', registryHost: 'registry-1.docker.io',
  }],
  ['registry:5000/a/b:tag', {
    domain: 'registry:5000', path: 'a/b', tag: 'tag',
    canonical: 'registry:5000/a/b:tag', registryReference: 'tag', registryHost: 'registry:5000',
  }],
  ['localhost/a', {
    domain: 'localhost', path: 'a',
    canonical: 'localhost/a:latest', registryReference: 'latest', registryHost: 'localhost',
  }],
  ['localhost:5000/a/b/c:1', {
    domain: 'localhost:5000', path: 'a/b/c', tag: '1',
    canonical: 'localhost:5000/a/b/c:1', registryReference: '1', registryHost: 'localhost:5000',
  }],
  ['127.0.0.1:5000/busybox', {
    domain: '127.0.0.1:5000', path: 'busybox',
    canonical: '127.0.0.1:5000/busybox:latest', registryReference: 'latest', registryHost: '127.0.0.1:5000',
  }],
  ['[::1]:5000/x/y:z', {
    domain: '[::1]:5000', path: 'x/y', tag: 'z',
    canonical: '[::1]:5000/x/y:z', registryReference: 'z', registryHost: '[::1]:5000',
  }],
  ['quay.io/org/app', {
    domain: 'quay.io', path: 'org/app',
    canonical: 'quay.io/org/app:latest', registryReference: 'latest', registryHost: 'quay.io',
  }],
  [`host.example/a@${DIGEST}`, {
    domain: 'host.example', path: 'a', digest: DIGEST,
    canonical: `host.example/a@${DIGEST}`, registryReference: DIGEST, registryHost: 'host.example',
  }],
  // Tag and digest: the digest decides what is pulled, and containerd drops the tag.
  [`nginx:1.25@${DIGEST}`, {
    domain: 'docker.io', path: 'library/nginx', tag: '1.25', digest: DIGEST,
    canonical: `docker.io/library/nginx@${DIGEST}`, registryReference: DIGEST, registryHost: 'registry-1.docker.io',
  }],
  [`busybox@sha512:${'ab'.repeat(64)}`, {
    domain: 'docker.io', path: 'library/busybox', digest: `sha512:${'ab'.repeat(64)}`,
    canonical: `docker.io/library/busybox@sha512:${'ab'.repeat(64)}`, registryReference: `sha512:${'ab'.repeat(64)}`,
    registryHost: 'registry-1.docker.io',
  }],
  // Upper case marks a first element as a registry host (repositories are lower case).
  ['Example.COM/a', {
    domain: 'Example.COM', path: 'a',
    canonical: 'Example.COM/a:latest', registryReference: 'latest', registryHost: 'Example.COM',
  }],
  ['FOO/bar', {
    domain: 'FOO', path: 'bar',
    canonical: 'FOO/bar:latest', registryReference: 'latest', registryHost: 'FOO',
  }],
];

t.test('valid references are normalised like containerd', async (t) => {
  for (const [image, want] of valid) {
    const got = parseImageReference(image);
    t.same(got, { ...want, name: `${want.domain}/${want.path}` }, image);
  }
});

const invalid: Array<[string, string]> = [
  ['BUSYBOX', 'invalid reference format: repository name (library/BUSYBOX) must be lowercase'],
  ['foo/Bar', 'invalid reference format: repository name (foo/Bar) must be lowercase'],
  ['localhost:5000/Foo:tag', 'invalid reference format: repository name (Foo) must be lowercase'],
  ['', 'invalid reference format'],
  ['busybox:', 'invalid reference format'],
  ['a//b', 'invalid reference format'],
  ['/busybox', 'invalid reference format'],
  ['busybox/', 'invalid reference format'],
  ['-busybox', 'invalid reference format'],
  ['busybox latest', 'invalid reference format'],
  ['foo:bar:baz', 'invalid reference format'],
  ['https://registry.example/foo', 'invalid reference format'],
  ['registry.example/library//nginx:latest', 'invalid reference format'],
  [`busybox:${'a'.repeat(129)}`, 'invalid reference format'],
  ['busybox:.tag', 'invalid reference format'],
  ['busybox@sha256:abc', 'invalid reference format'],
  [`busybox@sha256:${'a'.repeat(32)}`, 'invalid checksum digest length'],
  [`busybox@md5:${'a'.repeat(32)}`, 'unsupported digest algorithm'],
  [`busybox@sha256:${HEX.toUpperCase()}`, 'invalid checksum digest format'],
  [HEX, `invalid repository name (${HEX}), cannot specify 64-byte hexadecimal strings`],
  ['a'.repeat(256), 'repository name must not be more than 255 characters'],
];

t.test('invalid references fail with distribution/reference messages', async (t) => {
  for (const [image, message] of invalid) {
    t.throws(() => parseImageReference(image), new InvalidImageReferenceError(message), JSON.stringify(image));
  }
});

t.test('the kubelet applies the default tag, keeping the short name', async (t) => {
  const cases: Array<[string, string]> = [
    ['busybox', 'busybox:latest'],
    ['busybox:1.36', 'busybox:1.36'],
    [`busybox@${DIGEST}`, `busybox@${DIGEST}`],
    [`busybox:1@${DIGEST}`, `busybox:1@${DIGEST}`],
    ['localhost:5000/a', 'localhost:5000/a:latest'],
    ['127.0.0.1:5000/busybox', '127.0.0.1:5000/busybox:latest'],
  ];
  for (const [image, want] of cases) t.same(applyDefaultImageTag(image), { ok: true, image: want }, image);
});

t.test('a bad image name gives InvalidImageName with the kubelet message', async (t) => {
  t.same(applyDefaultImageTag('BUSYBOX'), {
    ok: false,
    reason: 'InvalidImageName',
    eventReason: 'InspectFailed',
    message:
      'Failed to apply default image tag "BUSYBOX": couldn\'t parse image name "BUSYBOX": ' +
      'invalid reference format: repository name (library/BUSYBOX) must be lowercase',
  });
  const r = applyDefaultImageTag('registry.example/library//nginx:latest');
  t.equal(r.ok, false);
  if (!r.ok) {
    t.equal(
      r.message,
      'Failed to apply default image tag "registry.example/library//nginx:latest": couldn\'t parse image name ' +
        '"registry.example/library//nginx:latest": invalid reference format',
    );
  }
});

t.test('loopback registries are recognised for plain HTTP', async (t) => {
  const cases: Array<[string, boolean]> = [
    ['localhost', true],
    ['localhost:5000', true],
    ['127.0.0.1:5000', true],
    ['127.0.0.53', true],
    ['[::1]:5000', true],
    ['docker.io', false],
    ['registry:5000', false],
    ['10.0.0.1:5000', false],
    ['localhost.example:5000', false],
  ];
  for (const [domain, want] of cases) t.equal(isLoopbackRegistry(domain), want, domain);
});

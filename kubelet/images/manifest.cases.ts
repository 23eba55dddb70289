import { createHash } from 'node:crypto';
import t from 'tap';
import {
  DigestMismatchError,
  InvalidManifestError,
  parseManifest,
  verifyDescriptor,
  verifyDigest,
  type ParsedManifest,
} from './manifest.js';
import { MediaTypes } from './media-types.js';
import { selectManifest } from './platform.js';

const sha = (s: string): string => `sha256:${createHash('sha256').update(s).digest('hex')}`;
const CONFIG = sha('config');
const LAYER = sha('layer');
const AMD64 = sha('amd64');
const ARM64 = sha('arm64');

const ociManifest = {
  schemaVersion: 2,
  mediaType: MediaTypes.ociManifest,
  config: { mediaType: MediaTypes.ociConfig, digest: CONFIG, size: 100 },
  layers: [{ mediaType: MediaTypes.ociLayerTarGzip, digest: LAYER, size: 1000 }],
};
const dockerManifest = {
  schemaVersion: 2,
  mediaType: MediaTypes.dockerManifest,
  config: { mediaType: MediaTypes.dockerConfig, digest: CONFIG, size: 100 },
  layers: [{ mediaType: MediaTypes.dockerLayerTarGzip, digest: LAYER, size: 1000 }],
};
const entries = [
  { mediaType: MediaTypes.ociManifest, digest: AMD64, size: 400, platform: { architecture: 'amd64', os: 'linux' } },
  { mediaType: MediaTypes.ociManifest, digest: ARM64, size: 400, platform: { architecture: 'arm64', os: 'linux', variant: 'v8' } },
];
const ociIndex = { schemaVersion: 2, mediaType: MediaTypes.ociIndex, manifests: entries };
const dockerList = {
  schemaVersion: 2,
  mediaType: MediaTypes.dockerManifestList,
  manifests: entries.map((e) => ({ ...e, mediaType: MediaTypes.dockerManifest })),
};
const without = <T extends object>(o: T, key: keyof T): Omit<T, typeof key> => {
  const copy = { ...o };
  delete copy[key];
  return copy;
};

t.test('each media type parses', async (t) => {
  const cases: Array<[string, unknown, string | undefined, ParsedManifest['kind'], string]> = [
    ['OCI manifest', ociManifest, MediaTypes.ociManifest, 'manifest', MediaTypes.ociManifest],
    ['Docker v2 manifest', dockerManifest, MediaTypes.dockerManifest, 'manifest', MediaTypes.dockerManifest],
    ['OCI index', ociIndex, MediaTypes.ociIndex, 'index', MediaTypes.ociIndex],
    ['Docker manifest list', dockerList, MediaTypes.dockerManifestList, 'index', MediaTypes.dockerManifestList],
    ['media type from the Content-Type', without(dockerManifest, 'mediaType'), `${MediaTypes.dockerManifest}; charset=utf-8`, 'manifest', MediaTypes.dockerManifest],
    ['media type from the body under a generic Content-Type', ociIndex, 'application/json', 'index', MediaTypes.ociIndex],
    ['OCI layout manifest without mediaType or header', without(ociManifest, 'mediaType'), undefined, 'manifest', MediaTypes.ociManifest],
    ['OCI layout index without mediaType or header', without(ociIndex, 'mediaType'), undefined, 'index', MediaTypes.ociIndex],
  ];
  for (const [name, body, contentType, kind, mediaType] of cases) {
    const bytes = new TextEncoder().encode(JSON.stringify(body));
    const parsed = parseManifest(bytes, contentType);
    t.equal(parsed.kind, kind, `${name}: kind`);
    t.equal(parsed.mediaType, mediaType, `${name}: media type`);
  }
});

t.test('parsed documents carry their descriptors', async (t) => {
  const m = parseManifest(JSON.stringify(ociManifest));
  if (m.kind !== 'manifest') throw new Error('want a manifest');
  t.same(m.manifest.config, ociManifest.config);
  t.same(m.manifest.layers, ociManifest.layers);

  const i = parseManifest(JSON.stringify(ociIndex), MediaTypes.ociIndex);
  if (i.kind !== 'index') throw new Error('want an index');
  t.same(i.index.manifests, entries);
  t.equal(selectManifest(i.index.manifests, { os: 'linux', architecture: 'arm64', variant: 'v8' }).digest, ARM64);
  t.equal(selectManifest(i.index.manifests, { os: 'linux', architecture: 'amd64' }).digest, AMD64);
});

const SCHEMA1 = /^unsupported manifest: Docker schema 1 .* is not supported; push the image again as Docker schema 2 or OCI$/;
const invalid: Array<[string, string, string | undefined, string | RegExp]> = [
  ['not JSON', '{"schemaVersion":', undefined, /^invalid manifest: not JSON/],
  ['a JSON array', '[]', undefined, 'invalid manifest: not a JSON object'],
  ['schema 1 by Content-Type', JSON.stringify({ schemaVersion: 1 }), 'application/vnd.docker.distribution.manifest.v1+prettyjws', SCHEMA1],
  ['schema 1 by body', JSON.stringify({ schemaVersion: 1, name: 'a', tag: 'b', fsLayers: [] }), 'application/json', SCHEMA1],
  ['schema 1 by body mediaType', JSON.stringify({ ...dockerManifest, mediaType: 'application/vnd.docker.distribution.manifest.v1+json' }), undefined, SCHEMA1],
  ['schemaVersion 3', JSON.stringify({ ...ociManifest, schemaVersion: 3 }), undefined, 'invalid manifest: schemaVersion is 3, want 2'],
  ['schemaVersion missing', JSON.stringify(without(ociManifest, 'schemaVersion')), undefined, 'invalid manifest: schemaVersion is undefined, want 2'],
  ['mediaType not a string', JSON.stringify({ ...ociManifest, mediaType: 7 }), undefined, 'invalid manifest: mediaType is not a string'],
  ['body and header disagree', JSON.stringify(ociManifest), MediaTypes.dockerManifest,
    `invalid manifest: body has mediaType ${MediaTypes.ociManifest} but the response's Content-Type is ${MediaTypes.dockerManifest}`],
  ['index served as a manifest', JSON.stringify(without(ociIndex, 'mediaType')), MediaTypes.ociManifest,
    `invalid manifest: expected a manifest (${MediaTypes.ociManifest}) but found an index`],
  ['manifest served as an index', JSON.stringify(without(dockerManifest, 'mediaType')), MediaTypes.dockerManifestList,
    `invalid manifest: expected an index (${MediaTypes.dockerManifestList}) but found a manifest`],
  ['unknown media type', JSON.stringify({ ...ociManifest, mediaType: 'application/vnd.example+json' }), undefined,
    'unsupported manifest media type "application/vnd.example+json"'],
  ['config missing', JSON.stringify(without(ociManifest, 'config')), undefined, 'invalid manifest: config descriptor missing'],
  ['layers missing', JSON.stringify(without(ociManifest, 'layers')), undefined, 'invalid manifest: layers is not a list'],
  ['manifests not a list', JSON.stringify({ ...ociIndex, manifests: {} }), undefined, 'invalid index: manifests is not a list'],
  ['bad layer digest', JSON.stringify({ ...ociManifest, layers: [{ ...ociManifest.layers[0], digest: 'sha256:abc' }] }), undefined,
    'invalid descriptor layers[0]: digest "sha256:abc" is not sha256:<64 hex>'],
  ['upper-case digest', JSON.stringify({ ...ociManifest, config: { ...ociManifest.config, digest: CONFIG.toUpperCase() } }), undefined,
    `invalid descriptor config: digest "${CONFIG.toUpperCase()}" is not sha256:<64 hex>`],
  ['sha512 digest', JSON.stringify({ ...ociManifest, config: { ...ociManifest.config, digest: `sha512:${'a'.repeat(128)}` } }), undefined,
    `invalid descriptor config: digest "sha512:${'a'.repeat(128)}" is not sha256:<64 hex>`],
  ['negative size', JSON.stringify({ ...ociManifest, config: { ...ociManifest.config, size: -1 } }), undefined,
    'invalid descriptor config: size -1 is not a non-negative integer'],
  ['fractional size', JSON.stringify({ ...ociManifest, config: { ...ociManifest.config, size: 1.5 } }), undefined,
    'invalid descriptor config: size 1.5 is not a non-negative integer'],
  ['size as a string', JSON.stringify({ ...ociManifest, config: { ...ociManifest.config, size: '100' } }), undefined,
    'invalid descriptor config: size "100" is not a non-negative integer'],
  ['descriptor without mediaType', JSON.stringify({ ...ociIndex, manifests: [without(entries[0]!, 'mediaType')] }), undefined,
    'invalid descriptor manifests[0]: mediaType missing'],
  ['platform without architecture', JSON.stringify({ ...ociIndex, manifests: [{ ...entries[0], platform: { os: 'linux' } }] }), undefined,
    'invalid descriptor manifests[0]: platform needs os and architecture'],
  ['descriptor not an object', JSON.stringify({ ...ociIndex, manifests: ['x'] }), undefined, 'invalid descriptor manifests[0]: not an object'],
];

t.test('invalid documents are rejected with a clear message', async (t) => {
  for (const [name, body, contentType, message] of invalid) {
    t.throws(() => parseManifest(body, contentType), { name: 'InvalidManifestError', message }, name);
  }
  t.throws(() => parseManifest('[]'), InvalidManifestError);
});

t.test('digest verification', async (t) => {
  const bytes = new TextEncoder().encode('layer');
  t.doesNotThrow(() => verifyDigest(bytes, LAYER), 'matching bytes');
  t.doesNotThrow(() => verifyDigest('layer', LAYER), 'matching string');
  t.doesNotThrow(() => verifyDigest(new Uint8Array(0), 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'), 'empty blob');
  t.throws(() => verifyDigest(bytes, CONFIG), new DigestMismatchError(CONFIG, LAYER));
  t.throws(() => verifyDigest(bytes, CONFIG), { message: `digest mismatch: expected ${CONFIG}, got ${LAYER}` });
  t.throws(() => verifyDigest(bytes, 'sha256:abc'), {
    name: 'InvalidManifestError',
    message: 'invalid digest "sha256:abc": want sha256:<64 lowercase hex>',
  });
  t.doesNotThrow(() => verifyDescriptor(bytes, { digest: LAYER, size: 5 }), 'descriptor matches');
  t.throws(() => verifyDescriptor(bytes, { digest: LAYER, size: 6 }), {
    name: 'DigestMismatchError',
    message: `size mismatch for ${LAYER}: expected 6 bytes, got 5`,
  });
  t.throws(() => verifyDescriptor(bytes, { digest: CONFIG, size: 5 }), DigestMismatchError);
});

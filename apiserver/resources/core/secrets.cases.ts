import t from 'tap';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { secrets } from './secrets.js';
import { cells, create, minutesAgo, stored, update } from './strategy-harness.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const secret = (extra: Record<string, unknown>, annotations?: Record<string, string>): KubeObject => ({
  metadata: { name: 's', namespace: 'default', creationTimestamp: minutesAgo(10), ...(annotations ? { annotations } : {}) },
  ...extra,
});

t.test('definition', async (t) => {
  t.match(secrets, { kind: 'Secret', plural: 'secrets', shortNames: [], modelName: 'V1Secret' });
  t.same(Object.keys(secrets.selectableFields ?? {}), ['type']);
});

t.test('defaults and stringData', async (t) => {
  const { obj, errors } = create(secrets, secret({ data: { a: b64('old'), b: b64('keep') }, stringData: { a: 'new', c: 'plain' } }));
  t.same(errors, []);
  t.same(obj.type, 'Opaque');
  t.same(obj.data, { a: b64('new'), b: b64('keep'), c: b64('plain') }, 'stringData wins and is base64-encoded');
  t.notOk('stringData' in obj);

  const old = stored(secrets, secret({ data: { a: b64('1') } }));
  const updated = update(secrets, secret({ data: { a: b64('1') }, stringData: { b: '2' }, type: 'Opaque' }), old);
  t.same(updated.errors, []);
  t.same(updated.obj.data, { a: b64('1'), b: b64('2') });
  t.notOk('stringData' in updated.obj);
});

t.test('validation', async (t) => {
  const cases: Array<[string, KubeObject, string[]]> = [
    ['opaque', secret({ data: { 'pass.txt': b64('x') } }), []],
    ['tls', secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': b64('c'), 'tls.key': b64('k') } }), []],
    ['tls missing', secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': b64('c') } }), ['data[tls.key]: Required value']],
    ['tls via stringData', secret({ type: 'kubernetes.io/tls', stringData: { 'tls.crt': 'c', 'tls.key': 'k' } }), []],
    ['dockerconfigjson', secret({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('{"auths":{}}') } }), []],
    ['dockerconfigjson missing', secret({ type: 'kubernetes.io/dockerconfigjson' }), ['data[.dockerconfigjson]: Required value']],
    [
      'dockerconfigjson not json',
      secret({ type: 'kubernetes.io/dockerconfigjson', stringData: { '.dockerconfigjson': '{' } }),
      [`data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": ${(() => { try { JSON.parse('{'); } catch (e) { return (e as Error).message; } return ''; })()}`],
    ],
    ['sa token', secret({ type: 'kubernetes.io/service-account-token' }), ['metadata.annotations[kubernetes.io/service-account.name]: Required value']],
    ['sa token ok', secret({ type: 'kubernetes.io/service-account-token' }, { 'kubernetes.io/service-account.name': 'default' }), []],
    ['basic-auth', secret({ type: 'kubernetes.io/basic-auth' }), ['data[username]: Required value', 'data[password]: Required value']],
    ['ssh-auth', secret({ type: 'kubernetes.io/ssh-auth' }), ['data[ssh-privatekey]: Required value']],
    ['not base64', secret({ data: { a: 'not base64!' } }), ['data[a]: Invalid value: "<secret contents redacted>": illegal base64 data at input byte 3']],
    ['unpadded', secret({ data: { a: 'eA' } }), ['data[a]: Invalid value: "<secret contents redacted>": illegal base64 data at input byte 0']],
    ['bad key', secret({ data: { 'a b': b64('x') } }), [`data[a b]: Invalid value: "a b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`]],
    ['too big', secret({ data: { a: Buffer.alloc(1024 * 1024 + 1).toString('base64') } }), ['data: Too long: may not be more than 1048576 bytes']],
  ];
  for (const [name, input, want] of cases) t.same(create(secrets, input).errors, want, name);
});

t.test('update rules', async (t) => {
  const old = stored(secrets, secret({ data: { a: b64('1') } }));
  t.same(update(secrets, secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': b64('c'), 'tls.key': b64('k') } }), old).errors, [
    'type: Invalid value: "kubernetes.io/tls": field is immutable',
  ]);
  t.same(update(secrets, secret({ data: { a: b64('1') } }), old).errors, [], 'type defaulted again: unchanged');
  const frozen = stored(secrets, secret({ data: { a: b64('1') }, immutable: true }));
  t.same(update(secrets, secret({ data: { a: b64('2') }, immutable: true }), frozen).errors, ['data: Forbidden: field is immutable when `immutable` is set']);
  t.same(update(secrets, secret({ stringData: { b: '2' }, data: { a: b64('1') }, immutable: true }), frozen).errors, [
    'data: Forbidden: field is immutable when `immutable` is set',
  ]);
});

t.test('printer cells', async (t) => {
  t.same(cells(secrets, stored(secrets, secret({ data: { a: b64('1'), b: b64('2') } }))), ['s', 'Opaque', 2, '10m']);
  t.same(cells(secrets, stored(secrets, secret({ type: 'kubernetes.io/tls', stringData: { 'tls.crt': 'c', 'tls.key': 'k' } }))), ['s', 'kubernetes.io/tls', 2, '10m']);
  t.equal(secrets.selectableFields!.type!(stored(secrets, secret({}))), 'Opaque');
});

import t from 'tap';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { configmaps } from './configmaps.js';
import { cells, create, minutesAgo, stored, update } from './strategy-harness.js';

const cm = (extra: Record<string, unknown>): KubeObject => ({ metadata: { name: 'cfg', namespace: 'default', creationTimestamp: minutesAgo(3 * 24 * 60) }, ...extra });

t.test('definition', async (t) => {
  t.match(configmaps, { kind: 'ConfigMap', plural: 'configmaps', shortNames: ['cm'], categories: [], modelName: 'V1ConfigMap' });
});

t.test('validation', async (t) => {
  const keyRule = `a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`;
  const cases: Array<[string, KubeObject, string[]]> = [
    ['empty', cm({}), []],
    ['valid', cm({ data: { 'app.properties': 'a=b', KEY_1: 'x' }, binaryData: { 'logo.png': 'iVBORw0KGgo=' } }), []],
    ['bad key', cm({ data: { 'a/b': 'x' } }), [`data[a/b]: Invalid value: "a/b": ${keyRule}`]],
    ['dot-dot key', cm({ data: { '..x': 'x' } }), [`data[..x]: Invalid value: "..x": must not start with '..'`]],
    ['dot key', cm({ data: { '.': 'x' } }), [`data[.]: Invalid value: ".": must not be '.'`]],
    ['key in both', cm({ data: { a: 'x' }, binaryData: { a: 'eA==' } }), ['binaryData[a]: Invalid value: "a": duplicate of key present in data']],
    ['too big', cm({ data: { a: 'x'.repeat(1024 * 1024) } }), [': Too long: may not be more than 1048576 bytes']],
    ['bad base64', cm({ binaryData: { a: 'e$A=' } }), ['binaryData[a]: Invalid value: "<binary data>": illegal base64 data at input byte 1']],
    ['non-string value', cm({ data: { a: 1 } }), ['data[a]: Invalid value: 1: must be a string']],
  ];
  for (const [name, input, want] of cases) t.same(create(configmaps, input).errors, want, name);
});

t.test('immutable', async (t) => {
  const old = stored(configmaps, cm({ data: { a: 'x' }, immutable: true }));
  t.same(update(configmaps, cm({ data: { a: 'x' }, immutable: true, metadata: { ...old.metadata, labels: { x: 'y' } } }), old).errors, [], 'metadata may change');
  t.same(update(configmaps, cm({ data: { a: 'y' }, immutable: true }), old).errors, ['data: Forbidden: field is immutable when `immutable` is set']);
  t.same(update(configmaps, cm({ data: { a: 'x' } }), old).errors, ['immutable: Forbidden: field is immutable when `immutable` is set']);
  const mutable = stored(configmaps, cm({ data: { a: 'x' } }));
  t.same(update(configmaps, cm({ data: { a: 'y' } }), mutable).errors, []);
});

t.test('printer cells', async (t) => {
  t.same(cells(configmaps, cm({ data: { a: '1', b: '2' }, binaryData: { c: 'eA==' } })), ['cfg', 3, '3d']);
  t.same(cells(configmaps, cm({})), ['cfg', 0, '3d']);
});

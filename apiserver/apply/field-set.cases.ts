import t from 'tap';
import { FieldSet } from './field-set.js';
import { fieldsV1Text } from './fields-v1.js';
import { fieldPE, fieldPath, keyPE, pathString, valuePE } from './path-element.js';

const s = (...dotted: string[]) => FieldSet.of(...dotted.map((d) => fieldPath(...d.split('.'))));
const text = (set: FieldSet) => fieldsV1Text(set);

t.test('set algebra', async (t) => {
  const cases: Array<[string, FieldSet, string]> = [
    ['union', s('a', 'b.c').union(s('b.d', 'a')), '{"f:a":{},"f:b":{"f:c":{},"f:d":{}}}'],
    ['intersection', s('a', 'b.c', 'b.d').intersection(s('b.d', 'x')), '{"f:b":{"f:d":{}}}'],
    ['difference', s('a', 'b.c', 'b.d').difference(s('b.d', 'a')), '{"f:b":{"f:c":{}}}'],
    ['difference is not recursive: a member does not remove its children', s('spec', 'spec.replicas').difference(s('spec')), '{"f:spec":{"f:replicas":{}}}'],
    ['recursive difference drops everything under a member', s('spec.replicas', 'status.replicas', 'status').recursiveDifference(s('status')), '{"f:spec":{"f:replicas":{}}}'],
    ['intersection keeps a node that is member on both sides', s('labels', 'labels.app').intersection(s('labels')), '{"f:labels":{}}'],
  ];
  for (const [name, got, want] of cases) t.equal(text(got), want, name);
  t.ok(s('a', 'b.c').equals(s('b.c', 'a')));
  t.notOk(s('a').equals(s('a', 'b')));
  t.ok(s('a').difference(s('a')).isEmpty());
  t.equal(s('a', 'b.c', 'b.d').size(), 3);
});

t.test('membership', async (t) => {
  const set = s('metadata.labels', 'metadata.labels.app');
  t.ok(set.has(fieldPath('metadata', 'labels')));
  t.ok(set.has(fieldPath('metadata', 'labels', 'app')));
  t.notOk(set.has(fieldPath('metadata')), 'a prefix is not a member');
  t.notOk(set.withPrefix(fieldPE('metadata')).isEmpty());
  t.ok(set.withPrefix(fieldPE('spec')).isEmpty());
});

t.test('paths in kube order and human form', async (t) => {
  const set = FieldSet.of(
    [fieldPE('spec'), fieldPE('ports'), keyPE({ port: 80, protocol: 'TCP' }), fieldPE('name')],
    fieldPath('spec', 'replicas'),
    [fieldPE('metadata'), fieldPE('finalizers'), valuePE('x.io/y')],
  );
  t.same(set.paths().map(pathString), ['.metadata.finalizers[="x.io/y"]', '.spec.replicas', '.spec.ports[port=80,protocol="TCP"].name']);
});

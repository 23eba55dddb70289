import t from 'tap';
import { FieldSet } from './field-set.js';
import { fieldsV1Text, fromFieldsV1, toFieldsV1 } from './fields-v1.js';
import { fieldPE, fieldPath, indexPE, keyPE, valuePE } from './path-element.js';

t.test('encoding is kube text exactly', async (t) => {
  const f = fieldPE;
  const cases: Array<[string, FieldSet, string]> = [
    ['empty', new FieldSet(), '{}'],
    ['leaves sorted by name', FieldSet.of(fieldPath('spec', 'replicas'), fieldPath('data', 'b'), fieldPath('data', 'a')), '{"f:data":{"f:a":{},"f:b":{}},"f:spec":{"f:replicas":{}}}'],
    ['member with children writes "." first', FieldSet.of(fieldPath('metadata', 'labels'), fieldPath('metadata', 'labels', 'app')), '{"f:metadata":{"f:labels":{".":{},"f:app":{}}}}'],
    [
      'element kinds: fields < keys < values < indexes',
      FieldSet.of([indexPE(1)], [valuePE('b')], [keyPE({ name: 'x' })], [f('z')], [valuePE(2)], [valuePE(true)], [indexPE(0)]),
      '{"f:z":{},"k:{\\"name\\":\\"x\\"}":{},"v:2":{},"v:\\"b\\"":{},"v:true":{},"i:0":{},"i:1":{}}',
    ],
    [
      'key fields sorted by name, numbers plain',
      FieldSet.of([f('ports'), keyPE({ protocol: 'TCP', containerPort: 80 }), f('containerPort')], [f('ports'), keyPE({ protocol: 'TCP', containerPort: 80 })]),
      '{"f:ports":{"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:containerPort":{}}}}',
    ],
    ['keys compare by value: 8080 after 443', FieldSet.of([keyPE({ port: 8080 })], [keyPE({ port: 443 })]), '{"k:{\\"port\\":443}":{},"k:{\\"port\\":8080}":{}}'],
    ['set items', FieldSet.of([f('metadata'), f('finalizers'), valuePE('b.io/x')], [f('metadata'), f('finalizers'), valuePE('a.io/x')]), '{"f:metadata":{"f:finalizers":{"v:\\"a.io/x\\"":{},"v:\\"b.io/x\\"":{}}}}'],
  ];
  for (const [name, set, want] of cases) {
    t.equal(fieldsV1Text(set), want, name);
    t.ok(fromFieldsV1(want).equals(set), `${name}: decodes back`);
  }
});

t.test('round trips of kube-written text', async (t) => {
  const texts = [
    '{"f:metadata":{"f:annotations":{".":{},"f:deployment.kubernetes.io/revision":{}}}}',
    '{"f:spec":{"f:template":{"f:spec":{"f:containers":{"k:{\\"name\\":\\"nginx\\"}":{".":{},"f:image":{},"f:name":{}}}}}}}',
    '{"f:status":{"f:conditions":{".":{},"k:{\\"type\\":\\"Available\\"}":{".":{},"f:status":{},"f:type":{}}}}}',
  ];
  for (const text of texts) {
    const set = fromFieldsV1(text);
    t.equal(fieldsV1Text(set), text, text);
    t.same(toFieldsV1(set), JSON.parse(text));
  }
  t.equal(fieldsV1Text(fromFieldsV1('{"f:labels":{"f:b":{},".":{},"f:a":{}}}')), '{"f:labels":{".":{},"f:a":{},"f:b":{}}}', 'any input order is read; output is canonical');
});

t.test('decoding', async (t) => {
  const set = fromFieldsV1({ 'f:a': {}, 'r:unknown': {}, 'f:b': { '.': {}, 'f:c': {} }, 'f:d': { 'f:e': {} } });
  t.same(
    set.paths().map((p) => p.map((pe) => (pe.kind === 'field' ? pe.name : '?')).join('.')),
    ['a', 'b', 'b.c', 'd.e'],
    'unknown element kinds are dropped; "." makes the parent a member',
  );
  t.ok(fromFieldsV1('{}').isEmpty());
  t.ok(fromFieldsV1(undefined).isEmpty());
  t.throws(() => fromFieldsV1({ 'x': {} }), /invalid path element/);
});

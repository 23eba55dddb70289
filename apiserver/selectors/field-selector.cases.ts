import t from 'tap';
import type { KubeObject, ResourceDef } from '../catalogue/resource-def.js';
import {
  checkSelectableFields,
  compileFieldSelector,
  escapeFieldValue,
  fieldValue,
  parseFieldSelector,
  requiredFieldValue,
  type FieldRequirement,
} from './field-selector.js';

type Selectable = Pick<ResourceDef, 'selectableFields'>;

const pods: Selectable = {
  selectableFields: {
    'status.phase': (o) => (o.status as { phase?: string } | undefined)?.phase,
    'spec.nodeName': (o) => (o.spec as { nodeName?: string } | undefined)?.nodeName,
  },
};
const configmaps: Selectable = {};

const pod = (name: string, namespace: string, phase?: string, nodeName?: string): KubeObject => ({
  metadata: { name, namespace },
  spec: nodeName === undefined ? {} : { nodeName },
  status: phase === undefined ? {} : { phase },
});

t.test('parses terms, operators and escapes', async (t) => {
  const cases: Array<[string | undefined, FieldRequirement[]]> = [
    [undefined, []],
    ['', []],
    ['a=b', [{ field: 'a', operator: '=', value: 'b' }]],
    ['a==b', [{ field: 'a', operator: '==', value: 'b' }]],
    ['a!=b', [{ field: 'a', operator: '!=', value: 'b' }]],
    ['a=', [{ field: 'a', operator: '=', value: '' }]],
    ['a!=', [{ field: 'a', operator: '!=', value: '' }]],
    [
      'b=2,a=1',
      [
        { field: 'a', operator: '=', value: '1' },
        { field: 'b', operator: '=', value: '2' },
      ],
    ],
    ['a=1,,', [{ field: 'a', operator: '=', value: '1' }]],
    ['a=x\\,y', [{ field: 'a', operator: '=', value: 'x,y' }]],
    ['a=x\\=y', [{ field: 'a', operator: '=', value: 'x=y' }]],
    ['a=x\\\\y', [{ field: 'a', operator: '=', value: 'x\\y' }]],
    ['a=x!y', [{ field: 'a', operator: '=', value: 'x!y' }]],
    ['a!b=c', [{ field: 'a!b', operator: '=', value: 'c' }]],
    ['a=\\=b', [{ field: 'a', operator: '=', value: '=b' }]],
    ['involvedObject.name=x,involvedObject.namespace=ns', [
      { field: 'involvedObject.name', operator: '=', value: 'x' },
      { field: 'involvedObject.namespace', operator: '=', value: 'ns' },
    ]],
  ];
  for (const [input, want] of cases) t.same(parseFieldSelector(input), want, JSON.stringify(input));
});

t.test('parse errors are BadRequest with kube wording', async (t) => {
  const cases: Array<[string, string]> = [
    ['abc', "invalid selector: 'abc'; can't understand 'abc'"],
    ['a=b,zzz', "invalid selector: 'a=b,zzz'; can't understand 'zzz'"],
    ['a=b=c', 'invalid field selector: unescaped character in value: 61'],
    ['a===b', 'invalid field selector: unescaped character in value: 61'],
    ['a=x\\y', 'invalid field selector: invalid escape sequence: \\y'],
    ['a=x\\!', 'invalid field selector: invalid escape sequence: \\!'],
    ['a=x\\', 'invalid field selector: invalid escape sequence: \\'],
  ];
  for (const [input, message] of cases) t.throws(() => parseFieldSelector(input), { reason: 'BadRequest', code: 400, message }, input);
});

t.test('escapeFieldValue round-trips', async (t) => {
  for (const v of ['', 'plain', 'a,b', 'a=b', 'a\\b', '\\,=\\']) {
    t.same(parseFieldSelector(`f=${escapeFieldValue(v)}`), [{ field: 'f', operator: '=', value: v }], v);
  }
});

t.test('checks fields are selectable on the kind', async (t) => {
  const ok = (def: Selectable, sel: string) => t.doesNotThrow(() => checkSelectableFields(def, parseFieldSelector(sel)), sel);
  ok(configmaps, 'metadata.name=a,metadata.namespace!=b');
  ok(pods, 'metadata.name=a,status.phase=Running,spec.nodeName=');
  t.throws(() => checkSelectableFields(pods, parseFieldSelector('status.podIP=1')), { reason: 'BadRequest', message: 'field label not supported: status.podIP' });
  t.throws(() => checkSelectableFields(configmaps, parseFieldSelector('data.x=1')), {
    reason: 'BadRequest',
    message: '"data.x" is not a known field selector: only "metadata.name", "metadata.namespace"',
  });
  t.throws(() => checkSelectableFields({ selectableFields: {} }, parseFieldSelector('toString=1')), { message: 'field label not supported: toString' });
  // the first bad term in kube's (sorted) order is the one reported
  t.throws(() => checkSelectableFields(pods, parseFieldSelector('zeta=1,alpha=2')), { message: 'field label not supported: alpha' });
});

t.test('matches objects: strings, missing fields read as ""', async (t) => {
  const cases: Array<[Selectable, string, KubeObject, boolean]> = [
    [pods, '', pod('a', 'ns'), true],
    [pods, 'metadata.name=a', pod('a', 'ns'), true],
    [pods, 'metadata.name==a', pod('b', 'ns'), false],
    [pods, 'metadata.name!=a', pod('b', 'ns'), true],
    [pods, 'metadata.namespace=ns', pod('a', 'ns'), true],
    [pods, 'metadata.namespace=', { metadata: { name: 'n' } }, true],
    [pods, 'status.phase=Running', pod('a', 'ns', 'Running'), true],
    [pods, 'status.phase=Running', pod('a', 'ns', 'Pending'), false],
    [pods, 'status.phase!=Running', pod('a', 'ns'), true],
    [pods, 'spec.nodeName=', pod('a', 'ns'), true],
    [pods, 'spec.nodeName=', pod('a', 'ns', undefined, 'node1'), false],
    [pods, 'spec.nodeName=node1,status.phase=Running', pod('a', 'ns', 'Running', 'node1'), true],
    [pods, 'spec.nodeName=node1,status.phase=Running', pod('a', 'ns', 'Failed', 'node1'), false],
    [pods, 'metadata.name=a\\,b', pod('a,b', 'ns'), true],
  ];
  for (const [def, sel, obj, want] of cases) t.equal(compileFieldSelector(def, sel)(obj), want, `${sel} on ${JSON.stringify(obj)}`);
  t.throws(() => compileFieldSelector(pods, 'spec.foo=1'), { message: 'field label not supported: spec.foo' });
});

t.test('fieldValue and requiredFieldValue', async (t) => {
  t.equal(fieldValue(pods, pod('a', 'ns', 'Running'), 'status.phase'), 'Running');
  t.equal(fieldValue(pods, pod('a', 'ns'), 'status.phase'), '');
  t.equal(fieldValue(pods, pod('a', 'ns'), 'no.such'), '');
  const reqs = parseFieldSelector('metadata.name=web,status.phase!=Failed');
  t.equal(requiredFieldValue(reqs, 'metadata.name'), 'web');
  t.equal(requiredFieldValue(reqs, 'status.phase'), undefined);
  t.equal(requiredFieldValue(reqs, 'metadata.namespace'), undefined);
});

import t from 'tap';
import { PatchError, UNPROCESSABLE_MESSAGE } from './errors.js';
import { applyJsonPatch, MAX_JSON_PATCH_OPERATIONS, parseJsonPatch } from './json-patch.js';
import type { Json } from './json.js';

type Case = [name: string, doc: Json, patch: unknown, want: Json];

t.test('operations (RFC 6902 appendix A and kube usage)', async (t) => {
  const cases: Case[] = [
    ['add member', { foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux' }], { foo: 'bar', baz: 'qux' }],
    ['add array element', { foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/1', value: 'qux' }], { foo: ['bar', 'qux', 'baz'] }],
    ['add at end index', { foo: ['a'] }, [{ op: 'add', path: '/foo/1', value: 'b' }], { foo: ['a', 'b'] }],
    ['append with -', { foo: ['a'] }, [{ op: 'add', path: '/foo/-', value: { x: 1 } }], { foo: ['a', { x: 1 }] }],
    ['add negative index (Go library extension)', { foo: ['a', 'b'] }, [{ op: 'add', path: '/foo/-1', value: 'z' }], { foo: ['a', 'b', 'z'] }],
    ['add replaces existing member', { foo: 1 }, [{ op: 'add', path: '/foo', value: [1, 2] }], { foo: [1, 2] }],
    ['add nested object', { foo: 'bar' }, [{ op: 'add', path: '/child', value: { grandchild: {} } }], { foo: 'bar', child: { grandchild: {} } }],
    ['add null value', { a: 1 }, [{ op: 'add', path: '/b', value: null }], { a: 1, b: null }],
    ['missing value is null', { a: 1 }, [{ op: 'add', path: '/b' }], { a: 1, b: null }],
    ['remove member', { baz: 'qux', foo: 'bar' }, [{ op: 'remove', path: '/baz' }], { foo: 'bar' }],
    ['remove array element', { foo: ['bar', 'qux', 'baz'] }, [{ op: 'remove', path: '/foo/1' }], { foo: ['bar', 'baz'] }],
    ['remove negative index', { foo: ['a', 'b', 'c'] }, [{ op: 'remove', path: '/foo/-1' }], { foo: ['a', 'b'] }],
    ['replace value', { baz: 'qux', foo: 'bar' }, [{ op: 'replace', path: '/baz', value: 'boo' }], { baz: 'boo', foo: 'bar' }],
    ['replace missing member adds it (evanphx v4)', { a: {} }, [{ op: 'replace', path: '/a/b', value: 1 }], { a: { b: 1 } }],
    ['replace array element', { a: [1, 2] }, [{ op: 'replace', path: '/a/0', value: 9 }], { a: [9, 2] }],
    [
      'move value',
      { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } },
      [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }],
      { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } },
    ],
    ['move array element', { foo: ['all', 'grass', 'cows', 'eat'] }, [{ op: 'move', from: '/foo/1', path: '/foo/3' }], { foo: ['all', 'cows', 'eat', 'grass'] }],
    ['copy value (deep)', { a: { b: [1] } }, [{ op: 'copy', from: '/a', path: '/c' }, { op: 'add', path: '/c/b/-', value: 2 }], { a: { b: [1] }, c: { b: [1, 2] } }],
    ['test then replace', { baz: 'qux', foo: ['a', 2, 'c'] }, [{ op: 'test', path: '/baz', value: 'qux' }, { op: 'test', path: '/foo/1', value: 2 }], { baz: 'qux', foo: ['a', 2, 'c'] }],
    ['test deep equality ignores key order', { a: { x: 1, y: [1, { z: 2 }] } }, [{ op: 'test', path: '/a', value: { y: [1, { z: 2 }], x: 1 } }], { a: { x: 1, y: [1, { z: 2 }] } }],
    ['test missing member against null', { a: 1 }, [{ op: 'test', path: '/b', value: null }], { a: 1 }],
    ['~1 and ~0 escapes', { 'a/b': 1, 'm~n': 2 }, [{ op: 'replace', path: '/a~1b', value: 3 }, { op: 'remove', path: '/m~0n' }], { 'a/b': 3 }],
    ['~01 unescapes to ~1', {}, [{ op: 'add', path: '/~01', value: 1 }], { '~1': 1 }],
    ['empty key', { '': 1 }, [{ op: 'replace', path: '/', value: 2 }], { '': 2 }],
    [
      'kubectl label via json patch on annotation key with a slash',
      { metadata: { annotations: {} } },
      [{ op: 'add', path: '/metadata/annotations/example.com~1owner', value: 'me' }],
      { metadata: { annotations: { 'example.com/owner': 'me' } } },
    ],
    [
      'kubectl rollout undo',
      { metadata: { annotations: { a: '1' } }, spec: { replicas: 2, template: { spec: { containers: [{ name: 'c', image: 'v2' }] } } } },
      [
        { op: 'replace', path: '/spec/template', value: { spec: { containers: [{ name: 'c', image: 'v1' }] } } },
        { op: 'replace', path: '/metadata/annotations', value: { 'deployment.kubernetes.io/revision': '1' } },
      ],
      { metadata: { annotations: { 'deployment.kubernetes.io/revision': '1' } }, spec: { replicas: 2, template: { spec: { containers: [{ name: 'c', image: 'v1' }] } } } },
    ],
    ['null body is an empty patch', { a: 1 }, null, { a: 1 }],
    ['empty patch', { a: 1 }, [], { a: 1 }],
  ];
  for (const [name, doc, patch, want] of cases) {
    const before = structuredClone(doc);
    t.same(applyJsonPatch(doc, patch), want, name);
    t.same(doc, before, `${name}: input untouched`);
  }
});

type ErrorCase = [name: string, doc: Json, patch: unknown, kind: PatchError['kind'], detail: string];

t.test('errors', async (t) => {
  const cases: ErrorCase[] = [
    ['body is an object', {}, { op: 'add' }, 'invalid-patch', 'json: cannot unmarshal object into Go value of type jsonpatch.Patch'],
    ['body is a string', {}, 'x', 'invalid-patch', 'json: cannot unmarshal string into Go value of type jsonpatch.Patch'],
    ['operation is a number', {}, [1], 'invalid-patch', 'json: cannot unmarshal number into Go value of type jsonpatch.Operation'],
    ['unknown op', {}, [{ op: 'frob', path: '/a' }], 'unapplicable', 'Unexpected kind: frob'],
    ['missing op', {}, [{ path: '/a' }], 'unapplicable', 'Unexpected kind: unknown'],
    ['missing path', {}, [{ op: 'add', value: 1 }], 'unapplicable', 'add operation failed to decode path: missing value'],
    ['add under missing parent', { a: {} }, [{ op: 'add', path: '/b/c', value: 1 }], 'unapplicable', 'add operation does not apply: doc is missing path: "/b/c": missing value'],
    ['add through a scalar', { a: 1 }, [{ op: 'add', path: '/a/b', value: 1 }], 'unapplicable', 'add operation does not apply: doc is missing path: "/a/b": missing value'],
    ['add at root pointer', { a: 1 }, [{ op: 'add', path: '', value: {} }], 'unapplicable', 'add operation does not apply: doc is missing path: "": missing value'],
    ['add past the end', { a: [1] }, [{ op: 'add', path: '/a/3', value: 1 }], 'unapplicable', "error in add for path: '/a/3': Unable to access invalid index: 3: invalid index referenced"],
    ['add with non-numeric index', { a: [1] }, [{ op: 'add', path: '/a/x', value: 1 }], 'unapplicable', `error in add for path: '/a/x': value was not a proper array index: 'x': strconv.Atoi: parsing "x": invalid syntax`],
    ['remove missing member', { metadata: { labels: {} } }, [{ op: 'remove', path: '/metadata/labels/app' }], 'unapplicable', "error in remove for path: '/metadata/labels/app': Unable to remove nonexistent key: app: missing value"],
    ['remove past the end', { a: [1] }, [{ op: 'remove', path: '/a/1' }], 'unapplicable', "error in remove for path: '/a/1': Unable to access invalid index: 1: invalid index referenced"],
    ['replace under missing parent', {}, [{ op: 'replace', path: '/spec/replicas', value: 3 }], 'unapplicable', 'replace operation does not apply: doc is missing path: /spec/replicas: missing value'],
    ['replace past the end', { a: [1] }, [{ op: 'replace', path: '/a/1', value: 3 }], 'unapplicable', 'replace operation does not apply: doc is missing key: /a/1: missing value'],
    ['move from missing', { a: {} }, [{ op: 'move', from: '/a/x', path: '/b' }], 'unapplicable', "error in move for path: '/a/x': Unable to remove nonexistent key: x: missing value"],
    ['copy from missing', {}, [{ op: 'copy', from: '/x', path: '/b' }], 'unapplicable', 'copy operation does not apply: doc is missing from path: /x: missing value'],
    ['copy without from', {}, [{ op: 'copy', path: '/b' }], 'unapplicable', 'copy operation failed to decode from: missing value'],
    ['test fails', { spec: { replicas: 2 } }, [{ op: 'test', path: '/spec/replicas', value: 3 }], 'test-failed', 'testing value /spec/replicas failed: test failed'],
    ['test 1 vs "1"', { a: 1 }, [{ op: 'test', path: '/a', value: '1' }], 'test-failed', 'testing value /a failed: test failed'],
    ['test missing member', { a: 1 }, [{ op: 'test', path: '/b', value: 1 }], 'test-failed', 'testing value /b failed: test failed'],
    ['test under missing parent', {}, [{ op: 'test', path: '/a/b', value: 1 }], 'unapplicable', 'test operation does not apply: is missing path: /a/b: missing value'],
  ];
  for (const [name, doc, patch, kind, detail] of cases) {
    t.throws(() => applyJsonPatch(doc, patch), { name: 'PatchError', kind, detail }, name);
  }
});

t.test('a failing operation leaves the input alone (atomic)', async (t) => {
  const doc = { a: 1 };
  t.throws(() => applyJsonPatch(doc, [{ op: 'add', path: '/b', value: 2 }, { op: 'test', path: '/a', value: 9 }]));
  t.same(doc, { a: 1 });
});

t.test('error statuses and kube messages', async (t) => {
  const e422 = (() => {
    try {
      applyJsonPatch({}, [{ op: 'test', path: '/a', value: 1 }]);
    } catch (e) {
      return e as PatchError;
    }
    throw new Error('no error');
  })();
  t.equal(e422.status, 422);
  t.equal(e422.kubeMessage, UNPROCESSABLE_MESSAGE);
  const ops = Array.from({ length: MAX_JSON_PATCH_OPERATIONS + 1 }, () => ({ op: 'test', path: '/a', value: 1 }));
  t.throws(() => parseJsonPatch(ops), {
    name: 'PatchError',
    kind: 'too-large',
    status: 413,
    kubeMessage: `Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001`,
  });
  t.equal(parseJsonPatch(ops.slice(1)).length, MAX_JSON_PATCH_OPERATIONS);
  t.equal(new PatchError('invalid-patch', 'x').status, 400);
  t.equal(new PatchError('server-error', 'boom').kubeMessage, 'boom');
});

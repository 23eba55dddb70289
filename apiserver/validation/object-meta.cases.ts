import t from 'tap';
import type { ObjectMeta } from '../catalogue/resource-def.js';
import { formatFieldError } from '../errors/field-error.js';
import { namespaceMismatch, validateObjectMeta, validateObjectMetaUpdate, type ObjectMetaOptions } from './object-meta.js';

const namespaced: ObjectMetaOptions = { namespaced: true, nameRule: 'dns1123-subdomain', requestNamespace: 'default' };
const cluster: ObjectMetaOptions = { namespaced: false, nameRule: 'dns1123-subdomain', requestNamespace: '' };

const run = (meta: ObjectMeta, opts = namespaced) => validateObjectMeta(meta, opts).map(formatFieldError);

t.test('valid metadata passes', async (t) => {
  t.same(run({ name: 'web', namespace: 'default', labels: { app: 'web', 'app.kubernetes.io/name': '' }, annotations: { 'x.io/y': 'anything at all' } }), []);
  t.same(run({ generateName: 'web-' }), [], 'generateName alone, namespace from the request');
  t.same(run({ name: 'node-1' }, cluster), []);
  t.same(run({ name: 'x', finalizers: ['kubernetes', 'example.com/cleanup'] }), []);
  t.same(
    run({ name: 'x', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u1', controller: true }, { apiVersion: 'v1', kind: 'ConfigMap', name: 'c', uid: 'u2' }] }),
    [],
  );
});

const invalid: Array<[string, ObjectMeta, ObjectMetaOptions, string[]]> = [
  ['no name', {}, namespaced, ['metadata.name: Required value: name or generateName is required']],
  [
    'bad name',
    { name: 'My_Pod' },
    namespaced,
    [
      `metadata.name: Invalid value: "My_Pod": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ],
  ],
  [
    'bad generateName',
    { generateName: 'Web-' },
    namespaced,
    [
      `metadata.generateName: Invalid value: "Web-": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ],
  ],
  ['namespace required', { name: 'x' }, { ...namespaced, requestNamespace: '' }, ['metadata.namespace: Required value']],
  ['namespace forbidden', { name: 'x', namespace: 'default' }, cluster, ['metadata.namespace: Forbidden: not allowed on this type']],
  [
    'namespace mismatch',
    { name: 'x', namespace: 'other' },
    namespaced,
    ['metadata.namespace: Invalid value: "other": the namespace of the provided object does not match the namespace sent on the request'],
  ],
  [
    'label key',
    { name: 'x', labels: { '-app': 'v' } },
    namespaced,
    [
      `metadata.labels: Invalid value: "-app": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    ],
  ],
  [
    'label value',
    { name: 'x', labels: { app: 'a b' } },
    namespaced,
    [
      `metadata.labels: Invalid value: "a b": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    ],
  ],
  ['annotations too big', { name: 'x', annotations: { a: 'x'.repeat(256 * 1024) } }, namespaced, ['metadata.annotations: Too long: may not be more than 262144 bytes']],
  [
    'owner reference fields',
    { name: 'x', ownerReferences: [{ apiVersion: 'apps/', kind: '', name: '', uid: '' }] },
    namespaced,
    [
      'metadata.ownerReferences.apiVersion: Invalid value: "apps/": version must not be empty',
      'metadata.ownerReferences.kind: Invalid value: "": kind must not be empty',
      'metadata.ownerReferences.name: Invalid value: "": name must not be empty',
      'metadata.ownerReferences.uid: Invalid value: "": uid must not be empty',
    ],
  ],
  [
    'two controllers',
    {
      name: 'x',
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'a', uid: '1', controller: true },
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'b', uid: '2', controller: true },
      ],
    },
    namespaced,
    [
      'metadata.ownerReferences: Invalid value: [{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"a","uid":"1","controller":true},{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"b","uid":"2","controller":true}]: Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/a and ReplicaSet/b',
    ],
  ],
  [
    'finalizer not qualified',
    { name: 'x', finalizers: ['cleanup'] },
    namespaced,
    ['metadata.finalizers[0]: Invalid value: "cleanup": name is neither a standard finalizer name nor is it fully qualified'],
  ],
  [
    'orphan and foreground',
    { name: 'x', finalizers: ['orphan', 'foregroundDeletion'] },
    namespaced,
    ['metadata.finalizers: Invalid value: ["orphan","foregroundDeletion"]: finalizer orphan and foregroundDeletion cannot be both set'],
  ],
];

for (const [name, meta, opts, want] of invalid) {
  t.test(name, async (t) => t.same(run(meta, opts), want));
}

t.test('namespaceMismatch', async (t) => {
  t.equal(namespaceMismatch({ namespace: 'a' }, 'b'), 'the namespace of the provided object does not match the namespace sent on the request');
  t.equal(namespaceMismatch({ namespace: 'a' }, 'a'), undefined);
  t.equal(namespaceMismatch({}, 'a'), undefined);
});

t.test('validateObjectMetaUpdate', async (t) => {
  const old: ObjectMeta = { name: 'x', namespace: 'ns', uid: 'u1', creationTimestamp: '2024-01-01T00:00:00Z', generateName: 'x-' };
  const run = (meta: ObjectMeta, o = old) => validateObjectMetaUpdate(meta, o).map(formatFieldError);
  t.same(run({ ...old, labels: { a: 'b' }, generateName: 'other-' }), [], 'labels and generateName may change');
  t.same(run({ name: 'x', namespace: 'ns' }), [], 'omitted uid and creationTimestamp are kept');
  t.same(run({ ...old, name: 'y' }), ['metadata.name: Invalid value: "y": field is immutable']);
  t.same(run({ ...old, namespace: 'other' }), ['metadata.namespace: Invalid value: "other": field is immutable']);
  t.same(run({ ...old, uid: 'u2' }), ['metadata.uid: Invalid value: "u2": field is immutable']);
  t.same(run({ ...old, creationTimestamp: '2025-01-01T00:00:00Z' }), [
    'metadata.creationTimestamp: Invalid value: "2025-01-01T00:00:00Z": field is immutable',
  ]);
  const deleting = { ...old, deletionTimestamp: '2024-01-02T00:00:00Z', finalizers: ['a.io/x'] };
  t.same(run({ ...deleting, finalizers: [] }, deleting), [], 'finalizers may be removed while deleting');
  t.same(run({ ...deleting, finalizers: ['a.io/x', 'b.io/y'] }, deleting), [
    'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b.io/y"}',
  ]);
});

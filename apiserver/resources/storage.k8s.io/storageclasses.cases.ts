import t from 'tap';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { cells, create, minutesAgo, stored, update } from '../core/strategy-harness.js';
import { storageclasses } from './storageclasses.js';

const sc = (extra: Record<string, unknown>, annotations?: Record<string, string>): KubeObject => ({
  metadata: { name: 'standard', creationTimestamp: minutesAgo(60 * 24 * 30), ...(annotations ? { annotations } : {}) },
  provisioner: 'rancher.io/local-path',
  ...extra,
});

t.test('definition', async (t) => {
  t.match(storageclasses, { group: 'storage.k8s.io', kind: 'StorageClass', plural: 'storageclasses', shortNames: ['sc'], namespaced: false, modelName: 'V1StorageClass' });
});

t.test('defaults', async (t) => {
  const { obj } = create(storageclasses, sc({}), '');
  t.equal(obj.reclaimPolicy, 'Delete');
  t.equal(obj.volumeBindingMode, 'Immediate');
  const kept = create(storageclasses, sc({ reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer' }), '').obj;
  t.same([kept.reclaimPolicy, kept.volumeBindingMode], ['Retain', 'WaitForFirstConsumer']);
});

t.test('validation', async (t) => {
  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    ['valid', { parameters: { type: 'gp3' }, allowVolumeExpansion: true, mountOptions: ['debug'] }, []],
    ['no provisioner', { provisioner: '' }, ['provisioner: Required value']],
    [
      'bad provisioner',
      { provisioner: 'a/b/c' },
      [
        "provisioner: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
      ],
    ],
    ['upper-case provisioner is checked lower-cased', { provisioner: 'Example.com/Disk' }, []],
    ['reclaim policy', { reclaimPolicy: 'Recycle' }, ['reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"']],
    ['binding mode', { volumeBindingMode: 'Later' }, ['volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"']],
    ['empty parameter key', { parameters: { '': 'x' } }, ['parameters: Invalid value: "": field can not be empty.']],
    ['topologies', { allowedTopologies: [{ matchLabelExpressions: [{ key: 'topology.kubernetes.io/zone', values: ['a', 'b'] }] }] }, []],
    [
      'bad topology',
      { allowedTopologies: [{ matchLabelExpressions: [{ key: 'zone', values: [] }, { key: 'zone', values: ['a', 'a'] }] }] },
      [
        'allowedTopologies[0].matchLabelExpressions[0].values: Required value',
        'allowedTopologies[0].matchLabelExpressions[1].values[1]: Duplicate value: "a"',
        'allowedTopologies[0].matchLabelExpressions[1].key: Duplicate value: "zone"',
      ],
    ],
    [
      'same term twice',
      { allowedTopologies: [{ matchLabelExpressions: [{ key: 'zone', values: ['a'] }] }, { matchLabelExpressions: [{ key: 'zone', values: ['a'] }] }] },
      ['allowedTopologies[1].matchLabelExpressions: Duplicate value: ""'],
    ],
  ];
  for (const [name, extra, want] of cases) t.same(create(storageclasses, sc(extra), '').errors, want, name);
});

t.test('updates', async (t) => {
  const old = stored(storageclasses, { ...sc({ parameters: { type: 'gp3' } }), metadata: { name: 'standard' } });
  const changed = (extra: Record<string, unknown>) => update(storageclasses, { ...old, ...extra }, old).errors;
  t.same(changed({ allowVolumeExpansion: true, mountOptions: ['ro'] }), [], 'expansion and mount options may change');
  t.same(changed({ parameters: { type: 'io2' } }), ['parameters: Forbidden: updates to parameters are forbidden.']);
  t.same(changed({ provisioner: 'example.com/other' }), ['provisioner: Forbidden: updates to provisioner are forbidden.']);
  t.same(changed({ reclaimPolicy: 'Retain' }), ['reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.']);
  t.same(changed({ volumeBindingMode: 'WaitForFirstConsumer' }), ['volumeBindingMode: Invalid value: "WaitForFirstConsumer": field is immutable']);
  const { reclaimPolicy: _r, volumeBindingMode: _v, ...omitted } = old;
  t.same(update(storageclasses, omitted as KubeObject, old).errors, [], 'omitted policies default to the stored ones');
});

t.test('printer cells', async (t) => {
  t.same(cells(storageclasses, stored(storageclasses, sc({}))), ['standard', 'rancher.io/local-path', 'Delete', 'Immediate', false, '30d']);
  t.same(
    cells(storageclasses, sc({ reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true }, { 'storageclass.kubernetes.io/is-default-class': 'true' })),
    ['standard (default)', 'rancher.io/local-path', 'Retain', 'WaitForFirstConsumer', true, '30d'],
  );
  t.equal(cells(storageclasses, sc({}, { 'storageclass.beta.kubernetes.io/is-default-class': 'true' }))[0], 'standard (default)');
  t.equal(cells(storageclasses, sc({}, { 'storageclass.kubernetes.io/is-default-class': 'false' }))[0], 'standard');
});

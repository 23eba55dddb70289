import t from 'tap';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { cells, create, minutesAgo, stored, update } from '../core/strategy-harness.js';
import { controllerrevisions } from './controllerrevisions.js';

const owner = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u1', controller: true };
const revision = (extra: Record<string, unknown> = {}, ownerReferences: Array<Record<string, unknown>> = [owner]): KubeObject => ({
  metadata: { name: 'web-6d4cf56db6', namespace: 'default', creationTimestamp: minutesAgo(5), ownerReferences },
  data: { spec: { template: { $patch: 'replace' } } },
  revision: 1,
  ...extra,
});

t.test('definition', async (t) => {
  t.match(controllerrevisions, { group: 'apps', kind: 'ControllerRevision', shortNames: [], categories: [], subresources: [], modelName: 'V1ControllerRevision' });
  t.same(controllerrevisions.printerColumns!.map((c) => c.name), ['Name', 'Controller', 'Revision', 'Age']);
});

t.test('validation', async (t) => {
  const cases: Array<[string, KubeObject, string[]]> = [
    ['valid', revision(), []],
    ['revision zero', revision({ revision: 0 }), []],
    ['no data', revision({ data: undefined }), ['data: Required value: data is mandatory']],
    ['null data', revision({ data: null }), ['data: Required value: data is mandatory']],
    ['negative revision', revision({ revision: -1 }), ['revision: Invalid value: -1: must be greater than or equal to 0']],
  ];
  for (const [name, input, want] of cases) t.same(create(controllerrevisions, input).errors, want, name);
});

t.test('data is immutable', async (t) => {
  const old = stored(controllerrevisions, revision());
  t.same(update(controllerrevisions, revision({ metadata: { ...old.metadata, labels: { a: 'b' } } }), old).errors, []);
  t.same(update(controllerrevisions, revision({ revision: 2 }), old).errors, [], 'kube lets the revision number change (the controller renumbers on rollback)');
  t.same(update(controllerrevisions, revision({ data: { a: 1 } }), old).errors, [
    'data: Invalid value: runtime.Unknown{TypeMeta:runtime.TypeMeta{APIVersion:"", Kind:""}, Raw:[]uint8{0x7b, 0x22, 0x61, 0x22, 0x3a, 0x31, 0x7d}, ContentEncoding:"", ContentType:"application/json"}: field is immutable',
  ]);
});

t.test('printer cells', async (t) => {
  t.same(cells(controllerrevisions, revision({ revision: 3 })), ['web-6d4cf56db6', 'statefulset.apps/web', 3, '5m']);
  t.same(cells(controllerrevisions, revision({}, [])), ['web-6d4cf56db6', '<none>', 1, '5m']);
  t.same(cells(controllerrevisions, revision({}, [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'x', controller: true }])), ['web-6d4cf56db6', 'pod/p', 1, '5m']);
  t.same(cells(controllerrevisions, revision({}, [{ ...owner, controller: false }])), ['web-6d4cf56db6', '<none>', 1, '5m']);
});

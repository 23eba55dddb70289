import t from 'tap';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { cells, create, minutesAgo, stored, update } from '../core/strategy-harness.js';
import { volumeattachments } from './volumeattachments.js';

const va = (spec: Record<string, unknown>, status?: unknown): KubeObject => ({
  metadata: { name: 'csi-123', creationTimestamp: minutesAgo(20) },
  spec: { attacher: 'ebs.csi.aws.com', nodeName: 'node-1', source: { persistentVolumeName: 'pvc-1' }, ...spec },
  ...(status ? { status } : {}),
});

t.test('definition', async (t) => {
  t.match(volumeattachments, { group: 'storage.k8s.io', kind: 'VolumeAttachment', plural: 'volumeattachments', namespaced: false, modelName: 'V1VolumeAttachment' });
  t.same(
    volumeattachments.subresources.map((s) => s.name),
    ['status'],
  );
});

t.test('validation', async (t) => {
  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    ['valid', {}, []],
    ['inline', { source: { inlineVolumeSpec: { csi: { driver: 'ebs.csi.aws.com', volumeHandle: 'v' } } } }, []],
    ['no attacher', { attacher: '' }, ['spec.attacher: Required value', `spec.attacher: Invalid value: "": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`]],
    ['no source', { source: {} }, ['spec.source: Required value: must specify exactly one of inlineVolumeSpec and persistentVolumeName']],
    ['both sources', { source: { persistentVolumeName: 'a', inlineVolumeSpec: {} } }, ['spec.source: Forbidden: must specify exactly one of inlineVolumeSpec and persistentVolumeName']],
  ];
  for (const [name, spec, want] of cases) t.same(create(volumeattachments, va(spec), '').errors, want, name);
});

t.test('status and updates', async (t) => {
  const old = stored(volumeattachments, va({}));
  t.same(update(volumeattachments, va({}, { attached: true, attachmentMetadata: { devicePath: '/dev/xvdba' } }), old, 'status').errors, []);
  t.same(update(volumeattachments, va({}, { attached: false, attachError: { message: 'x', errorCode: -1 } }), old, 'status').errors, [
    'status.attachError.errorCode: Invalid value: -1: must be between 0 and 2147483647, inclusive',
  ]);
  t.match(update(volumeattachments, va({ nodeName: 'node-2' }), old).errors, [/^spec: Invalid value: .*: field is immutable$/]);
});

t.test('printer cells', async (t) => {
  t.same(cells(volumeattachments, va({})), ['csi-123', 'ebs.csi.aws.com', 'pvc-1', 'node-1', false, '20m']);
  t.same(cells(volumeattachments, va({}, { attached: true }))[4], true);
});

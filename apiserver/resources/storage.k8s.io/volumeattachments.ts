/**
 * storage.k8s.io/v1 VolumeAttachment: a request, from the attach/detach controller to a
 * CSI driver's attacher, to attach a volume (a PersistentVolume by name, or an inline
 * volume spec) to a node (kube's ValidateVolumeAttachment / ValidateVolumeAttachmentV1).
 * The spec is fixed once created; the attacher reports progress in status.
 */
import type { V1VolumeAttachment, V1VolumeAttachmentSpec, V1VolumeError } from '@kubernetes/client-node';
import { isDeepStrictEqual } from 'node:util';
import { ALL_VERBS, type KubeObject, type ResourceDef, type Strategy } from '../../catalogue/resource-def.js';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { dns1123Subdomain, inclusiveRangeError } from '../../validation/names.js';
import { ageColumn, column, nameColumn } from '../printing.js';
import { validateCSIDriverName } from './csi-driver-name.js';

const MAX_METADATA_BYTES = 256 * 1024;
const MAX_ERROR_MESSAGE_BYTES = 1024;
const MAX_INT32 = 2147483647;
const ONE_SOURCE = 'must specify exactly one of inlineVolumeSpec and persistentVolumeName';

const va = (obj: KubeObject) => obj as unknown as V1VolumeAttachment;
const specOf = (obj: KubeObject): V1VolumeAttachmentSpec => (va(obj).spec ?? {}) as V1VolumeAttachmentSpec;

function validateSpec(spec: V1VolumeAttachmentSpec): FieldError[] {
  const errs: FieldError[] = [];
  if (!spec.attacher) errs.push(fieldErrors.required('spec.attacher'));
  const source = spec.source ?? {};
  const pv = source.persistentVolumeName;
  const hasPV = pv !== undefined && pv !== null;
  if (!source.inlineVolumeSpec && !hasPV) errs.push(fieldErrors.required('spec.source', ONE_SOURCE));
  else if (source.inlineVolumeSpec && hasPV) errs.push(fieldErrors.forbidden('spec.source', ONE_SOURCE));
  else if (hasPV && !pv) errs.push(fieldErrors.required('spec.source.persistentVolumeName', 'must specify non empty persistentVolumeName'));
  const node = spec.nodeName ?? '';
  for (const msg of dns1123Subdomain(node)) errs.push(fieldErrors.invalid('spec.nodeName', node, msg));
  return errs;
}

/**
 * The stricter rules kube adds for v1 objects, after the others: the attacher is a CSI
 * driver name (its "required" was already reported) and the PV name an object name.
 */
function validateV1(spec: V1VolumeAttachmentSpec): FieldError[] {
  const errs = validateCSIDriverName(spec.attacher ?? '', 'spec.attacher').filter((e) => e.type !== 'FieldValueRequired');
  const pv = spec.source?.persistentVolumeName;
  if (pv !== undefined && pv !== null) for (const msg of dns1123Subdomain(pv)) errs.push(fieldErrors.invalid('spec.source.persistentVolumeName', pv, msg));
  return errs;
}

function validateVolumeError(e: V1VolumeError | undefined, at: string): FieldError[] {
  if (!e) return [];
  const errs: FieldError[] = [];
  // kube reports the metadata limit here, not the message limit it checks
  if (Buffer.byteLength(e.message ?? '') > MAX_ERROR_MESSAGE_BYTES) errs.push(fieldErrors.tooLong(`${at}.message`, MAX_METADATA_BYTES));
  if (typeof e.errorCode === 'number' && e.errorCode < 0) errs.push(fieldErrors.invalid(`${at}.errorCode`, e.errorCode, inclusiveRangeError(0, MAX_INT32)));
  return errs;
}

function validateStatus(obj: KubeObject): FieldError[] {
  const status = va(obj).status;
  if (!status) return [];
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(status.attachmentMetadata ?? {})) size += Buffer.byteLength(k) + Buffer.byteLength(String(v));
  if (size > MAX_METADATA_BYTES) errs.push(fieldErrors.tooLong('status.attachmentMetadata', MAX_METADATA_BYTES));
  errs.push(...validateVolumeError(status.attachError, 'status.attachError'), ...validateVolumeError(status.detachError, 'status.detachError'));
  return errs;
}

export const volumeAttachmentStrategy: Strategy = {
  validate: (obj) => [...validateSpec(specOf(obj)), ...validateStatus(obj), ...validateV1(specOf(obj))],
  validateUpdate: (obj, old) => (isDeepStrictEqual(specOf(obj), specOf(old)) ? [] : [fieldErrors.immutable('spec', specOf(obj))]),
};

export const volumeattachments: ResourceDef = {
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'VolumeAttachment',
  plural: 'volumeattachments',
  singular: 'volumeattachment',
  shortNames: [],
  namespaced: false,
  categories: [],
  verbs: [...ALL_VERBS],
  modelName: 'V1VolumeAttachment',
  subresources: [{ name: 'status', verbs: ['get', 'patch', 'update'] }],
  printerColumns: [
    nameColumn,
    column('Attacher', 'string', 'Attacher indicates the name of the volume driver that MUST handle this request.', (o) => specOf(o).attacher ?? ''),
    column('PV', 'string', 'Name of the persistent volume to attach.', (o) => specOf(o).source?.persistentVolumeName ?? ''),
    column('Node', 'string', 'The node that the volume should be attached to.', (o) => specOf(o).nodeName ?? ''),
    column('Attached', 'boolean', 'Attached indicates the volume is successfully attached.', (o) => va(o).status?.attached ?? false),
    ageColumn,
  ],
  strategy: volumeAttachmentStrategy,
};

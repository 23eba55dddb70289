/**
 * core/v1 PersistentVolumeClaim. Defaults: volumeMode Filesystem, status.phase Pending.
 * Validation (kube's ValidatePersistentVolumeClaim, in part): at least one known access
 * mode (ReadWriteOncePod alone), a positive resources.requests.storage, a valid class
 * name. Updates: the spec is fixed except resources and volumeAttributesClassName, and
 * volumeName may be set once (that is how the binder binds). Quantities are stored
 * canonical.
 */
import type { V1PersistentVolumeClaim, V1PersistentVolumeClaimSpec } from '@kubernetes/client-node';
import { isDeepStrictEqual } from 'node:util';
import { ALL_VERBS, type KubeObject, type ResourceDef, type Strategy } from '../../catalogue/resource-def.js';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { dns1123Subdomain } from '../../validation/names.js';
import { accessModesString, ageColumn, column, nameColumn } from '../printing.js';
import { canonicalizeResourceList, quantityText, validateResourceList } from './resource-lists.js';

export const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'] as const;
export const VOLUME_MODES = ['Block', 'Filesystem'] as const;
/** the beta annotation kube still honours over spec.storageClassName */
export const STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

/** Access modes: required, known, and ReadWriteOncePod only on its own. */
export function validateAccessModes(modes: unknown, field: string, required = 'at least 1 access mode is required'): FieldError[] {
  if (modes !== undefined && !Array.isArray(modes)) return [fieldErrors.typeInvalid(field, modes, 'must be an array')];
  const list = (modes ?? []) as string[];
  if (list.length === 0) return [fieldErrors.required(field, required)];
  const errs: FieldError[] = [];
  for (const mode of list) if (!(ACCESS_MODES as readonly string[]).includes(mode)) errs.push(fieldErrors.notSupported(field, mode, ACCESS_MODES));
  if (list.includes('ReadWriteOncePod') && list.length > 1) errs.push(fieldErrors.forbidden(field, 'may not use ReadWriteOncePod with other access modes'));
  return errs;
}

export function validateClassName(name: unknown, field: string): FieldError[] {
  if (name === undefined || name === null || name === '') return [];
  if (typeof name !== 'string') return [fieldErrors.typeInvalid(field, name, 'must be a string')];
  return dns1123Subdomain(name).map((msg) => fieldErrors.invalid(field, name, msg));
}

const specOf = (obj: KubeObject): V1PersistentVolumeClaimSpec => ((obj as V1PersistentVolumeClaim).spec ?? {}) as V1PersistentVolumeClaimSpec;

function validate(obj: KubeObject): FieldError[] {
  const pvc = obj as V1PersistentVolumeClaim;
  if (!pvc.spec || typeof pvc.spec !== 'object') return [fieldErrors.required('spec')];
  const spec = pvc.spec;
  const errs: FieldError[] = [...validateAccessModes(spec.accessModes, 'spec.accessModes')];
  const requests = spec.resources?.requests;
  errs.push(...validateResourceList(requests, 'spec.resources.requests', { nonNegative: true }));
  errs.push(...validateResourceList(spec.resources?.limits, 'spec.resources.limits', { nonNegative: true }));
  if (!requests || requests.storage === undefined) errs.push(fieldErrors.required('spec.resources[storage]'));
  else if (!errs.some((e) => e.field === 'spec.resources.requests[storage]'))
    errs.push(...validateResourceList({ storage: requests.storage }, 'spec.resources.requests', { positive: true }));
  errs.push(...validateClassName(spec.storageClassName, 'spec.storageClassName'));
  errs.push(...validateClassName(spec.volumeAttributesClassName, 'spec.volumeAttributesClassName'));
  if (spec.volumeMode !== undefined && !(VOLUME_MODES as readonly string[]).includes(spec.volumeMode))
    errs.push(fieldErrors.notSupported('spec.volumeMode', spec.volumeMode, VOLUME_MODES));
  return errs;
}

export const PVC_SPEC_IMMUTABLE = 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims';

function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const next = structuredClone(specOf(obj));
  const before = structuredClone(specOf(old));
  // what may change: resources, the attributes class, and volumeName once (binding)
  for (const s of [next, before]) {
    delete s.resources;
    delete s.volumeAttributesClassName;
  }
  if (!before.volumeName) delete next.volumeName, delete before.volumeName;
  return isDeepStrictEqual(next, before) ? [] : [fieldErrors.forbidden('spec', PVC_SPEC_IMMUTABLE)];
}

export const persistentVolumeClaimStrategy: Strategy = {
  prepareForCreate(obj) {
    (obj as Record<string, unknown>).status = { phase: 'Pending' };
  },
  defaults(obj) {
    const pvc = obj as V1PersistentVolumeClaim;
    if (pvc.spec && typeof pvc.spec === 'object') pvc.spec.volumeMode ||= 'Filesystem';
    if (pvc.status && typeof pvc.status === 'object') pvc.status.phase ||= 'Pending';
  },
  validate,
  validateUpdate,
  canonicalize(obj) {
    const pvc = obj as V1PersistentVolumeClaim;
    canonicalizeResourceList(pvc.spec?.resources?.requests);
    canonicalizeResourceList(pvc.spec?.resources?.limits);
    canonicalizeResourceList(pvc.status?.capacity);
  },
};

const storageClassOf = (pvc: V1PersistentVolumeClaim) => pvc.metadata?.annotations?.[STORAGE_CLASS_ANNOTATION] ?? pvc.spec?.storageClassName ?? '';

export const persistentvolumeclaims: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'PersistentVolumeClaim',
  plural: 'persistentvolumeclaims',
  singular: 'persistentvolumeclaim',
  shortNames: ['pvc'],
  namespaced: true,
  categories: [],
  verbs: [...ALL_VERBS],
  modelName: 'V1PersistentVolumeClaim',
  subresources: [{ name: 'status', verbs: ['get', 'patch', 'update'] }],
  printerColumns: [
    nameColumn,
    column('Status', 'string', 'The phase of the claim.', (o) => (o.metadata.deletionTimestamp ? 'Terminating' : ((o as V1PersistentVolumeClaim).status?.phase ?? ''))),
    column('Volume', 'string', 'The volume bound to the claim.', (o) => (o as V1PersistentVolumeClaim).spec?.volumeName ?? ''),
    // capacity and access modes are the bound volume's, so blank until bound
    column('Capacity', 'string', 'The capacity of the bound volume.', (o) => {
      const pvc = o as V1PersistentVolumeClaim;
      const storage = pvc.status?.capacity?.storage;
      return pvc.spec?.volumeName ? quantityText(storage ?? '0') : '';
    }),
    column('Access Modes', 'string', 'The access modes of the bound volume.', (o) => {
      const pvc = o as V1PersistentVolumeClaim;
      return pvc.spec?.volumeName ? accessModesString(pvc.status?.accessModes) : '';
    }),
    column('StorageClass', 'string', 'The storage class of the claim.', (o) => storageClassOf(o as V1PersistentVolumeClaim)),
    column('VolumeAttributesClass', 'string', 'The volume attributes class of the claim.', (o) => (o as V1PersistentVolumeClaim).spec?.volumeAttributesClassName || '<unset>'),
    ageColumn,
    column('VolumeMode', 'string', 'The volume mode of the claim.', (o) => (o as V1PersistentVolumeClaim).spec?.volumeMode || '<unset>', 1),
  ],
  strategy: persistentVolumeClaimStrategy,
};

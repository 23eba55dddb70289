/**
 * core/v1 PersistentVolume (cluster-scoped). Defaults: reclaim policy Retain, volumeMode
 * Filesystem, status.phase Pending. Validation (kube's ValidatePersistentVolumeSpec, in
 * part): exactly one volume source with its required fields, access modes, a capacity of
 * storage only, known reclaim policy and volume mode. Updates: the volume source and
 * volumeMode are fixed. Quantities are stored canonical.
 */
import type { V1PersistentVolume, V1PersistentVolumeSpec } from '@kubernetes/client-node';
import { isDeepStrictEqual } from 'node:util';
import { ALL_VERBS, type KubeObject, type ResourceDef, type Strategy } from '../../catalogue/resource-def.js';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { accessModesString, ageColumn, column, nameColumn } from '../printing.js';
import { STORAGE_CLASS_ANNOTATION, validateAccessModes, validateClassName, VOLUME_MODES } from './persistentvolumeclaims.js';
import { canonicalizeResourceList, quantityText, validateResourceList } from './resource-lists.js';

const RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'] as const;

/** the PersistentVolumeSource members of a PV spec */
export const VOLUME_SOURCES = [
  'awsElasticBlockStore',
  'azureDisk',
  'azureFile',
  'cephfs',
  'cinder',
  'csi',
  'fc',
  'flexVolume',
  'flocker',
  'gcePersistentDisk',
  'glusterfs',
  'hostPath',
  'iscsi',
  'local',
  'nfs',
  'photonPersistentDisk',
  'portworxVolume',
  'quobyte',
  'rbd',
  'scaleIO',
  'storageos',
  'vsphereVolume',
] as const;

type Spec = V1PersistentVolumeSpec & Record<string, unknown>;

function validateSource(spec: Spec): FieldError[] {
  const present = VOLUME_SOURCES.filter((s) => spec[s] !== undefined && spec[s] !== null);
  if (present.length === 0) return [fieldErrors.required('spec', 'must specify a volume type')];
  const errs: FieldError[] = present.slice(1).map((s) => fieldErrors.forbidden(`spec.${s}`, 'may not specify more than 1 volume type'));
  const source = (spec[present[0]!] ?? {}) as Record<string, unknown>;
  const at = `spec.${present[0]}`;
  const requireString = (key: string) => {
    if (typeof source[key] !== 'string' || source[key] === '') errs.push(fieldErrors.required(`${at}.${key}`));
  };
  switch (present[0]) {
    case 'hostPath':
      requireString('path');
      break;
    case 'local':
      requireString('path');
      if (!spec.nodeAffinity) errs.push(fieldErrors.required('spec.nodeAffinity', 'Local volume requires node affinity'));
      break;
    case 'nfs':
      requireString('server');
      requireString('path');
      if (typeof source.path === 'string' && source.path && !source.path.startsWith('/'))
        errs.push(fieldErrors.invalid(`${at}.path`, source.path, 'must be an absolute path'));
      break;
    case 'csi':
      requireString('driver');
      requireString('volumeHandle');
      break;
    default:
      break;
  }
  return errs;
}

function validate(obj: KubeObject): FieldError[] {
  const pv = obj as V1PersistentVolume;
  if (!pv.spec || typeof pv.spec !== 'object') return [fieldErrors.required('spec')];
  const spec = pv.spec as Spec;
  const errs: FieldError[] = [...validateAccessModes(spec.accessModes, 'spec.accessModes', '')];
  const capacity = spec.capacity;
  if (!capacity || Object.keys(capacity).length === 0) errs.push(fieldErrors.required('spec.capacity'));
  else if (capacity.storage === undefined || Object.keys(capacity).length > 1) errs.push(fieldErrors.notSupported('spec.capacity', capacity, ['storage']));
  else errs.push(...validateResourceList(capacity, 'spec.capacity', { nonNegative: true }));
  if (spec.persistentVolumeReclaimPolicy !== undefined && !(RECLAIM_POLICIES as readonly string[]).includes(spec.persistentVolumeReclaimPolicy))
    errs.push(fieldErrors.notSupported('spec.persistentVolumeReclaimPolicy', spec.persistentVolumeReclaimPolicy, RECLAIM_POLICIES));
  if (spec.volumeMode !== undefined && !(VOLUME_MODES as readonly string[]).includes(spec.volumeMode))
    errs.push(fieldErrors.notSupported('spec.volumeMode', spec.volumeMode, VOLUME_MODES));
  errs.push(...validateClassName(spec.storageClassName, 'spec.storageClassName'));
  errs.push(...validateClassName(spec.volumeAttributesClassName, 'spec.volumeAttributesClassName'));
  errs.push(...validateSource(spec));
  return errs;
}

function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const spec = ((obj as V1PersistentVolume).spec ?? {}) as Spec;
  const before = ((old as V1PersistentVolume).spec ?? {}) as Spec;
  const errs: FieldError[] = [];
  const sources = (s: Spec) => Object.fromEntries(VOLUME_SOURCES.filter((k) => s[k] !== undefined).map((k) => [k, s[k]]));
  if (!isDeepStrictEqual(sources(spec), sources(before)))
    errs.push(fieldErrors.forbidden('spec.persistentvolumesource', 'spec.persistentvolumesource is immutable after creation'));
  if (spec.volumeMode !== before.volumeMode) errs.push(fieldErrors.immutable('spec.volumeMode', spec.volumeMode ?? ''));
  return errs;
}

export const persistentVolumeStrategy: Strategy = {
  prepareForCreate(obj) {
    (obj as Record<string, unknown>).status = { phase: 'Pending' };
  },
  defaults(obj) {
    const pv = obj as V1PersistentVolume;
    if (pv.spec && typeof pv.spec === 'object') {
      pv.spec.persistentVolumeReclaimPolicy ||= 'Retain';
      pv.spec.volumeMode ||= 'Filesystem';
    }
    if (pv.status && typeof pv.status === 'object') pv.status.phase ||= 'Pending';
  },
  validate,
  validateUpdate,
  canonicalize(obj) {
    canonicalizeResourceList((obj as V1PersistentVolume).spec?.capacity);
  },
};

export const persistentvolumes: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'PersistentVolume',
  plural: 'persistentvolumes',
  singular: 'persistentvolume',
  shortNames: ['pv'],
  namespaced: false,
  categories: [],
  verbs: [...ALL_VERBS],
  modelName: 'V1PersistentVolume',
  subresources: [{ name: 'status', verbs: ['get', 'patch', 'update'] }],
  printerColumns: [
    nameColumn,
    column('Capacity', 'string', 'The capacity of the volume.', (o) => quantityText((o as V1PersistentVolume).spec?.capacity?.storage ?? '0')),
    column('Access Modes', 'string', 'The access modes of the volume.', (o) => accessModesString((o as V1PersistentVolume).spec?.accessModes)),
    column('Reclaim Policy', 'string', 'What happens to the volume when its claim is released.', (o) => (o as V1PersistentVolume).spec?.persistentVolumeReclaimPolicy ?? ''),
    column('Status', 'string', 'The phase of the volume.', (o) => (o.metadata.deletionTimestamp ? 'Terminating' : ((o as V1PersistentVolume).status?.phase ?? ''))),
    column('Claim', 'string', 'The claim bound to the volume.', (o) => {
      const ref = (o as V1PersistentVolume).spec?.claimRef;
      return ref ? `${ref.namespace ?? ''}/${ref.name ?? ''}` : '';
    }),
    column('StorageClass', 'string', 'The storage class of the volume.', (o) => {
      const pv = o as V1PersistentVolume;
      return pv.metadata?.annotations?.[STORAGE_CLASS_ANNOTATION] ?? pv.spec?.storageClassName ?? '';
    }),
    column('VolumeAttributesClass', 'string', 'The volume attributes class of the volume.', (o) => (o as V1PersistentVolume).spec?.volumeAttributesClassName || '<unset>'),
    column('Reason', 'string', 'Why the volume is in its phase.', (o) => (o as V1PersistentVolume).status?.reason ?? ''),
    ageColumn,
    column('VolumeMode', 'string', 'The volume mode of the volume.', (o) => (o as V1PersistentVolume).spec?.volumeMode || '<unset>', 1),
  ],
  strategy: persistentVolumeStrategy,
};

/**
 * storage.k8s.io/v1 CSIDriver: how Kubernetes talks to an installed CSI driver (kube's
 * SetDefaults_CSIDriver and ValidateCSIDriver): whether volumes need attaching, whether
 * the driver wants pod info or service account tokens on mount, which volume lifecycle
 * modes it supports. attachRequired and volumeLifecycleModes are fixed once created.
 */
import type { V1CSIDriver, V1CSIDriverSpec } from '@kubernetes/client-node';
import { isDeepStrictEqual } from 'node:util';
import { ALL_VERBS, type KubeObject, type ResourceDef, type Strategy } from '../../catalogue/resource-def.js';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { ageColumn, column, nameColumn } from '../printing.js';

const FS_GROUP_POLICIES = ['File', 'None', 'ReadWriteOnceWithFSType'] as const;
const LIFECYCLE_MODES = ['Persistent', 'Ephemeral'] as const;
const MIN_TOKEN_SECONDS = 600;
const MAX_TOKEN_SECONDS = 2 ** 32;

const specOf = (obj: KubeObject): V1CSIDriverSpec => ((obj as unknown as V1CSIDriver).spec ?? {}) as V1CSIDriverSpec;

function defaults(obj: KubeObject): void {
  if (!obj.spec || typeof obj.spec !== 'object') obj.spec = {};
  const spec = obj.spec as V1CSIDriverSpec;
  spec.attachRequired ??= true;
  spec.podInfoOnMount ??= false;
  spec.storageCapacity ??= false;
  spec.fsGroupPolicy ??= 'ReadWriteOnceWithFSType';
  if (!spec.volumeLifecycleModes?.length) spec.volumeLifecycleModes = ['Persistent'];
  spec.requiresRepublish ??= false;
  spec.seLinuxMount ??= false;
}

function validate(obj: KubeObject): FieldError[] {
  const spec = specOf(obj);
  const errs: FieldError[] = [];
  // kube's path has this spelling
  if (spec.attachRequired === undefined || spec.attachRequired === null) errs.push(fieldErrors.required('spec.attachedRequired'));
  for (const key of ['podInfoOnMount', 'storageCapacity', 'seLinuxMount'] as const)
    if (spec[key] === undefined || spec[key] === null) errs.push(fieldErrors.required(`spec.${key}`));
  if (spec.fsGroupPolicy && !(FS_GROUP_POLICIES as readonly string[]).includes(spec.fsGroupPolicy))
    errs.push(fieldErrors.notSupported('spec.fsGroupPolicy', spec.fsGroupPolicy, FS_GROUP_POLICIES));
  const audiences = new Set<string>();
  (spec.tokenRequests ?? []).forEach((request, i) => {
    const at = `spec.tokenRequests[${i}]`;
    if (audiences.has(request.audience)) return void errs.push(fieldErrors.duplicate(`${at}.audience`, request.audience));
    audiences.add(request.audience);
    const seconds = request.expirationSeconds;
    if (seconds === undefined || seconds === null) return;
    if (seconds < MIN_TOKEN_SECONDS) errs.push(fieldErrors.invalid(`${at}.expirationSeconds`, seconds, 'may not specify a duration less than 10 minutes'));
    if (seconds > MAX_TOKEN_SECONDS) errs.push(fieldErrors.invalid(`${at}.expirationSeconds`, seconds, 'may not specify a duration larger than 2^32 seconds'));
  });
  for (const mode of spec.volumeLifecycleModes ?? [])
    if (!(LIFECYCLE_MODES as readonly string[]).includes(mode)) errs.push(fieldErrors.notSupported('spec.volumeLifecycleModes', mode, LIFECYCLE_MODES));
  const period = spec.nodeAllocatableUpdatePeriodSeconds;
  if (typeof period === 'number' && period < 10) errs.push(fieldErrors.invalid('spec.nodeAllocatableUpdatePeriodSeconds', period, 'must be greater than or equal to 10 seconds'));
  return errs;
}

function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const spec = specOf(obj);
  const before = specOf(old);
  const errs: FieldError[] = [];
  if (spec.attachRequired !== before.attachRequired) errs.push(fieldErrors.immutable('spec.attachedRequired', spec.attachRequired));
  if (!isDeepStrictEqual(spec.volumeLifecycleModes, before.volumeLifecycleModes)) {
    const modes = (spec.volumeLifecycleModes ?? []).map((m) => JSON.stringify(m)).join(', ');
    errs.push({ type: 'FieldValueInvalid', field: 'spec.volumeLifecycleModes', message: `Invalid value: []storage.VolumeLifecycleMode{${modes}}: field is immutable` });
  }
  return errs;
}

export const csiDriverStrategy: Strategy = { defaults, validate, validateUpdate };

export const csidrivers: ResourceDef = {
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'CSIDriver',
  plural: 'csidrivers',
  singular: 'csidriver',
  shortNames: [],
  namespaced: false,
  categories: [],
  verbs: [...ALL_VERBS],
  modelName: 'V1CSIDriver',
  subresources: [],
  // kube's printCSIDriver, with its fallbacks for unset fields
  printerColumns: [
    nameColumn,
    column('AttachRequired', 'boolean', 'Indicates this CSI volume driver requires an attach operation.', (o) => specOf(o).attachRequired ?? true),
    column('PodInfoOnMount', 'boolean', 'Indicates this CSI volume driver requires additional pod information during mount operations.', (o) => specOf(o).podInfoOnMount ?? false),
    column('StorageCapacity', 'boolean', 'Indicates that the storage capacity is reported by the driver.', (o) => specOf(o).storageCapacity ?? false),
    column('TokenRequests', 'string', 'Indicates the CSI driver needs service account tokens for these audiences.', (o) => {
      const requests = specOf(o).tokenRequests;
      return requests ? requests.map((r) => r.audience).join(',') : '<unset>';
    }),
    column('RequiresRepublish', 'boolean', 'Indicates the CSI driver wants NodePublishVolume to be called periodically.', (o) => specOf(o).requiresRepublish ?? false),
    column('Modes', 'string', 'Indicates volume modes supported by this CSI volume driver.', (o) => (specOf(o).volumeLifecycleModes ?? []).join(',') || '<none>'),
    ageColumn,
  ],
  strategy: csiDriverStrategy,
};

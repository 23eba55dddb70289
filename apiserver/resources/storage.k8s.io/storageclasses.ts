/**
 * storage.k8s.io/v1 StorageClass (kube's ValidateStorageClass / ValidateStorageClassUpdate
 * and v1 defaults): a provisioner (a qualified name such as "rancher.io/local-path"),
 * opaque parameters, reclaimPolicy (default Delete) and volumeBindingMode (default
 * Immediate). Once created, provisioner, parameters, reclaimPolicy and volumeBindingMode
 * are fixed; allowVolumeExpansion, mountOptions and metadata may change.
 *
 * `kubectl get sc` marks the default class "standard (default)".
 */
import type { V1StorageClass, V1TopologySelectorTerm } from '@kubernetes/client-node';
import { isDeepStrictEqual } from 'node:util';
import { ALL_VERBS, type KubeObject, type ResourceDef, type Strategy } from '../../catalogue/resource-def.js';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { qualifiedName } from '../../validation/names.js';
import { ageColumn, column, nameColumn } from '../printing.js';

export const DEFAULT_STORAGE_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
const BETA_DEFAULT_STORAGE_CLASS_ANNOTATION = 'storageclass.beta.kubernetes.io/is-default-class';

const RECLAIM_POLICIES = ['Delete', 'Retain'] as const;
const BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'] as const;
const MAX_PARAMETERS = 512;
const MAX_PARAMETERS_BYTES = 256 * 1024;

const sc = (obj: KubeObject) => obj as unknown as V1StorageClass;
const includes = (list: readonly string[], v: unknown) => typeof v === 'string' && list.includes(v);

/** either annotation set to "true", as kube's IsDefaultAnnotation reads it */
export const isDefaultStorageClass = (obj: KubeObject): boolean =>
  obj.metadata.annotations?.[DEFAULT_STORAGE_CLASS_ANNOTATION] === 'true' || obj.metadata.annotations?.[BETA_DEFAULT_STORAGE_CLASS_ANNOTATION] === 'true';

function defaults(obj: KubeObject): void {
  const s = sc(obj);
  s.reclaimPolicy ??= 'Delete';
  s.volumeBindingMode ??= 'Immediate';
}

function validateParameters(params: Record<string, string> | undefined): FieldError[] {
  const entries = Object.entries(params ?? {});
  if (entries.length > MAX_PARAMETERS) return [fieldErrors.tooLong('parameters', MAX_PARAMETERS)];
  const errs: FieldError[] = [];
  let size = 0;
  for (const [key, value] of entries) {
    if (!key) errs.push(fieldErrors.invalid('parameters', key, 'field can not be empty.'));
    size += Buffer.byteLength(key) + Buffer.byteLength(String(value));
  }
  if (size > MAX_PARAMETERS_BYTES) errs.push(fieldErrors.tooLong('parameters', MAX_PARAMETERS_BYTES));
  return errs;
}

/** kube's ValidateTopologySelectorTerm for each term, and no term twice */
function validateAllowedTopologies(terms: V1TopologySelectorTerm[] | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const seenTerms: Array<Record<string, string[]>> = [];
  (Array.isArray(terms) ? terms : []).forEach((term, i) => {
    const at = `allowedTopologies[${i}]`;
    const byKey: Record<string, string[]> = {};
    (term?.matchLabelExpressions ?? []).forEach((req, j) => {
      const p = `${at}.matchLabelExpressions[${j}]`;
      const values = req.values ?? [];
      if (!values.length) errs.push(fieldErrors.required(`${p}.values`));
      values.forEach((v, k) => {
        if (values.indexOf(v) !== k) errs.push(fieldErrors.duplicate(`${p}.values[${k}]`, v));
      });
      for (const msg of qualifiedName(req.key ?? '')) errs.push(fieldErrors.invalid(`${p}.key`, req.key ?? '', msg));
      if (Object.hasOwn(byKey, req.key)) errs.push(fieldErrors.duplicate(`${p}.key`, req.key));
      byKey[req.key] = [...new Set(values)].sort();
    });
    if (seenTerms.some((seen) => isDeepStrictEqual(seen, byKey))) errs.push(fieldErrors.duplicate(`${at}.matchLabelExpressions`, ''));
    seenTerms.push(byKey);
  });
  return errs;
}

function validate(obj: KubeObject): FieldError[] {
  const s = sc(obj);
  const errs: FieldError[] = [];
  const provisioner = s.provisioner ?? '';
  if (!provisioner) errs.push(fieldErrors.required('provisioner'));
  else for (const msg of qualifiedName(provisioner.toLowerCase())) errs.push(fieldErrors.invalid('provisioner', provisioner.toLowerCase(), msg));
  errs.push(...validateParameters(s.parameters));
  if (s.reclaimPolicy && !includes(RECLAIM_POLICIES, s.reclaimPolicy)) errs.push(fieldErrors.notSupported('reclaimPolicy', s.reclaimPolicy, RECLAIM_POLICIES));
  if (s.volumeBindingMode === undefined || s.volumeBindingMode === null) errs.push(fieldErrors.required('volumeBindingMode'));
  else if (!includes(BINDING_MODES, s.volumeBindingMode)) errs.push(fieldErrors.notSupported('volumeBindingMode', s.volumeBindingMode, BINDING_MODES));
  errs.push(...validateAllowedTopologies(s.allowedTopologies));
  return errs;
}

function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const s = sc(obj);
  const before = sc(old);
  const errs: FieldError[] = [];
  if (!isDeepStrictEqual(s.parameters ?? {}, before.parameters ?? {})) errs.push(fieldErrors.forbidden('parameters', 'updates to parameters are forbidden.'));
  if (s.provisioner !== before.provisioner) errs.push(fieldErrors.forbidden('provisioner', 'updates to provisioner are forbidden.'));
  if (s.reclaimPolicy !== before.reclaimPolicy) errs.push(fieldErrors.forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
  if (s.volumeBindingMode !== before.volumeBindingMode) errs.push(fieldErrors.immutable('volumeBindingMode', s.volumeBindingMode));
  return errs;
}

export const storageClassStrategy: Strategy = { defaults, validate, validateUpdate };

export const storageclasses: ResourceDef = {
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'StorageClass',
  plural: 'storageclasses',
  singular: 'storageclass',
  shortNames: ['sc'],
  namespaced: false,
  categories: [],
  verbs: [...ALL_VERBS],
  modelName: 'V1StorageClass',
  subresources: [],
  printerColumns: [
    { ...nameColumn, cell: (o) => `${o.metadata.name ?? ''}${isDefaultStorageClass(o) ? ' (default)' : ''}` },
    column('Provisioner', 'string', 'Indicates the type of the provisioner.', (o) => sc(o).provisioner ?? ''),
    column('ReclaimPolicy', 'string', 'Indicates the type of the reclaim policy.', (o) => sc(o).reclaimPolicy ?? 'Delete'),
    column('VolumeBindingMode', 'string', 'Indicates when volume binding and dynamic provisioning should occur.', (o) => sc(o).volumeBindingMode ?? 'Immediate'),
    column('AllowVolumeExpansion', 'string', 'Indicates whether the storage class allow volume expand.', (o) => sc(o).allowVolumeExpansion ?? false),
    ageColumn,
  ],
  strategy: storageClassStrategy,
};

/**
 * core/v1 ConfigMap: keys are config keys, data and binaryData do not share a key, the
 * whole payload is at most 1 MiB, and `immutable: true` freezes the contents
 * (kube's ValidateConfigMap / ValidateConfigMapUpdate).
 */
import type { V1ConfigMap } from '@kubernetes/client-node';
import { ALL_VERBS, type KubeObject, type ResourceDef, type Strategy } from '../../catalogue/resource-def.js';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { ageColumn, column, nameColumn } from '../printing.js';
import { decodeBase64Strict, MAX_CONFIG_DATA_BYTES, validateConfigKeys, validateImmutableData, validateStringMap } from './config-data.js';

function validate(obj: KubeObject): FieldError[] {
  const cm = obj as V1ConfigMap;
  const errs: FieldError[] = [...validateStringMap(cm.data, 'data'), ...validateStringMap(cm.binaryData, 'binaryData')];
  if (errs.length) return errs;
  errs.push(...validateConfigKeys(cm.data, 'data'), ...validateConfigKeys(cm.binaryData, 'binaryData'));
  let size = 0;
  for (const [key, value] of Object.entries(cm.data ?? {})) size += Buffer.byteLength(key) + Buffer.byteLength(value);
  for (const [key, value] of Object.entries(cm.binaryData ?? {})) {
    if (cm.data && Object.hasOwn(cm.data, key)) errs.push(fieldErrors.invalid(`binaryData[${key}]`, key, 'duplicate of key present in data'));
    const decoded = decodeBase64Strict(value);
    if (!decoded.ok) errs.push(fieldErrors.invalid(`binaryData[${key}]`, '<binary data>', `illegal base64 data at input byte ${decoded.offset}`));
    size += Buffer.byteLength(key) + (decoded.ok ? decoded.bytes : value.length);
  }
  if (size > MAX_CONFIG_DATA_BYTES) errs.push(fieldErrors.tooLong('', MAX_CONFIG_DATA_BYTES));
  if (cm.immutable !== undefined && typeof cm.immutable !== 'boolean') errs.push(fieldErrors.typeInvalid('immutable', cm.immutable, 'must be a boolean'));
  return errs;
}

export const configMapStrategy: Strategy = {
  validate,
  validateUpdate: (obj, old) => validateImmutableData(obj, old, ['data', 'binaryData']),
};

export const configmaps: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  singular: 'configmap',
  shortNames: ['cm'],
  namespaced: true,
  categories: [],
  verbs: [...ALL_VERBS],
  modelName: 'V1ConfigMap',
  subresources: [],
  printerColumns: [
    nameColumn,
    column('Data', 'string', 'Number of keys in data and binaryData.', (o) => {
      const cm = o as V1ConfigMap;
      return Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length;
    }),
    ageColumn,
  ],
  strategy: configMapStrategy,
};

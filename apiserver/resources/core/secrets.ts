/**
 * core/v1 Secret. As in kube:
 *  - `stringData` is a write-only convenience: merged into `data` (base64-encoded, winning
 *    over a `data` key of the same name) on create and update, then dropped;
 *  - `type` defaults to Opaque and never changes; some types require keys
 *    (kubernetes.io/tls: tls.crt and tls.key, …);
 *  - `data` values are base64 (Go's strict StdEncoding), keys are config keys, the total
 *    at most 1 MiB; `immutable: true` freezes data.
 * Values are never echoed in errors.
 */
import type { V1Secret } from '@kubernetes/client-node';
import { ALL_VERBS, type KubeObject, type ResourceDef, type Strategy } from '../../catalogue/resource-def.js';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { ageColumn, column, nameColumn } from '../printing.js';
import { decodeBase64Strict, MAX_CONFIG_DATA_BYTES, validateConfigKeys, validateImmutableData, validateStringMap } from './config-data.js';

export const SECRET_TYPES = {
  opaque: 'Opaque',
  serviceAccountToken: 'kubernetes.io/service-account-token',
  dockercfg: 'kubernetes.io/dockercfg',
  dockerConfigJson: 'kubernetes.io/dockerconfigjson',
  basicAuth: 'kubernetes.io/basic-auth',
  sshAuth: 'kubernetes.io/ssh-auth',
  tls: 'kubernetes.io/tls',
  bootstrapToken: 'bootstrap.kubernetes.io/token',
} as const;

const SERVICE_ACCOUNT_NAME_KEY = 'kubernetes.io/service-account.name';
const REDACTED = '<secret contents redacted>';

/** merge stringData into data (base64) and drop it — kube does this when decoding v1 */
function mergeStringData(obj: KubeObject): void {
  const secret = obj as V1Secret;
  const stringData = secret.stringData;
  if (stringData && typeof stringData === 'object') {
    secret.data = { ...(secret.data ?? {}) };
    for (const [key, value] of Object.entries(stringData)) {
      if (typeof value === 'string') secret.data[key] = Buffer.from(value, 'utf8').toString('base64');
    }
  }
  delete secret.stringData;
}

const decodedString = (secret: V1Secret, key: string) => Buffer.from(secret.data?.[key] ?? '', 'base64').toString('utf8');

function validateTypeRules(secret: V1Secret): FieldError[] {
  const errs: FieldError[] = [];
  const data = secret.data ?? {};
  const has = (key: string) => Object.hasOwn(data, key);
  const requireKey = (key: string) => {
    if (!has(key)) errs.push(fieldErrors.required(`data[${key}]`));
  };
  const requireJson = (key: string) => {
    if (!has(key)) return requireKey(key);
    try {
      JSON.parse(decodedString(secret, key));
    } catch (e) {
      errs.push(fieldErrors.invalid(`data[${key}]`, REDACTED, (e as Error).message));
    }
  };
  switch (secret.type) {
    case SECRET_TYPES.serviceAccountToken:
      if (!secret.metadata?.annotations?.[SERVICE_ACCOUNT_NAME_KEY]) errs.push(fieldErrors.required(`metadata.annotations[${SERVICE_ACCOUNT_NAME_KEY}]`));
      break;
    case SECRET_TYPES.dockercfg:
      requireJson('.dockercfg');
      break;
    case SECRET_TYPES.dockerConfigJson:
      requireJson('.dockerconfigjson');
      break;
    case SECRET_TYPES.basicAuth:
      if (!has('username') && !has('password')) {
        requireKey('username');
        requireKey('password');
      }
      break;
    case SECRET_TYPES.sshAuth:
      requireKey('ssh-privatekey');
      break;
    case SECRET_TYPES.tls:
      requireKey('tls.crt');
      requireKey('tls.key');
      break;
    default:
      break;
  }
  return errs;
}

function validate(obj: KubeObject): FieldError[] {
  const secret = obj as V1Secret;
  const errs = validateStringMap(secret.data, 'data');
  if (errs.length) return errs;
  if (typeof secret.type !== 'string') return [fieldErrors.typeInvalid('type', secret.type, 'must be a string')];
  errs.push(...validateConfigKeys(secret.data, 'data'));
  let size = 0;
  for (const [key, value] of Object.entries(secret.data ?? {})) {
    const decoded = decodeBase64Strict(value);
    if (!decoded.ok) errs.push(fieldErrors.invalid(`data[${key}]`, REDACTED, `illegal base64 data at input byte ${decoded.offset}`));
    size += decoded.ok ? decoded.bytes : value.length;
  }
  if (size > MAX_CONFIG_DATA_BYTES) errs.push(fieldErrors.tooLong('data', MAX_CONFIG_DATA_BYTES));
  errs.push(...validateTypeRules(secret));
  return errs;
}

function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const type = (obj as V1Secret).type;
  if (type !== (old as V1Secret).type) errs.push(fieldErrors.immutable('type', type ?? ''));
  errs.push(...validateImmutableData(obj, old, ['data']));
  return errs;
}

export const secretStrategy: Strategy = {
  prepareForCreate: mergeStringData,
  prepareForUpdate: (obj, _old, _ctx, subresource) => {
    if (subresource === undefined) mergeStringData(obj);
  },
  defaults(obj) {
    const secret = obj as V1Secret;
    secret.type ||= SECRET_TYPES.opaque;
  },
  validate,
  validateUpdate,
};

export const secrets: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'Secret',
  plural: 'secrets',
  singular: 'secret',
  shortNames: [],
  namespaced: true,
  categories: [],
  verbs: [...ALL_VERBS],
  modelName: 'V1Secret',
  subresources: [],
  printerColumns: [
    nameColumn,
    column('Type', 'string', 'The type of the secret.', (o) => (o as V1Secret).type ?? ''),
    column('Data', 'string', 'Number of keys in data.', (o) => Object.keys((o as V1Secret).data ?? {}).length),
    ageColumn,
  ],
  selectableFields: { type: (o) => (o as V1Secret).type ?? '' },
  strategy: secretStrategy,
};

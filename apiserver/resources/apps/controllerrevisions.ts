/**
 * apps/v1 ControllerRevision: an immutable snapshot of a DaemonSet's or StatefulSet's
 * template, written by their controllers for rollback. kube's ValidateControllerRevision:
 * data is required, the revision number is not negative, and data never changes.
 */
import { isDeepStrictEqual } from 'node:util';
import { ALL_VERBS, type KubeObject, type ResourceDef, type Strategy } from '../../catalogue/resource-def.js';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { ageColumn, column, nameColumn } from '../printing.js';
import { nonNegative } from './field-checks.js';
import { goInvalid } from './go-values.js';

const hasData = (obj: KubeObject) => obj.data !== undefined && obj.data !== null;

function validate(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (!hasData(obj)) errs.push(fieldErrors.required('data', 'data is mandatory'));
  return [...errs, ...nonNegative(obj.revision, 'revision')];
}

/**
 * kube keeps data as the raw JSON bytes it was sent (a runtime.Unknown) and prints that
 * struct with %#v in the immutability message.
 */
function goUnknown(data: unknown): string {
  if (data === undefined || data === null) return 'null';
  const bytes = [...Buffer.from(JSON.stringify(data))].map((b) => `0x${b.toString(16)}`).join(', ');
  return `runtime.Unknown{TypeMeta:runtime.TypeMeta{APIVersion:"", Kind:""}, Raw:[]uint8{${bytes}}, ContentEncoding:"", ContentType:"application/json"}`;
}

function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  return isDeepStrictEqual(obj.data ?? null, old.data ?? null) ? [] : [goInvalid('data', goUnknown(obj.data), 'field is immutable')];
}

export const controllerRevisionStrategy: Strategy = { validate, validateUpdate };

/** kube's printControllerRevision: the controlling owner as "kind.group/name", or <none> */
function controllerCell(obj: KubeObject): string {
  const ref = (obj.metadata.ownerReferences ?? []).find((r) => r.controller === true);
  if (!ref) return '<none>';
  const apiVersion = String(ref.apiVersion ?? '');
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const kind = String(ref.kind ?? '');
  const name = String(ref.name ?? '');
  if (!kind && !group) return name;
  return `${(group ? `${kind}.${group}` : kind).toLowerCase()}/${name}`;
}

export const controllerrevisions: ResourceDef = {
  group: 'apps',
  version: 'v1',
  kind: 'ControllerRevision',
  plural: 'controllerrevisions',
  singular: 'controllerrevision',
  shortNames: [],
  namespaced: true,
  categories: [],
  verbs: [...ALL_VERBS],
  modelName: 'V1ControllerRevision',
  subresources: [],
  printerColumns: [
    nameColumn,
    column('Controller', 'string', 'Controller of the object', controllerCell),
    column('Revision', 'integer', 'Revision indicates the revision of the state represented by Data.', (o) => (typeof o.revision === 'number' ? o.revision : 0)),
    ageColumn,
  ],
  strategy: controllerRevisionStrategy,
};

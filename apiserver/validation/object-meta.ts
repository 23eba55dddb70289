/**
 * metadata checks every kind shares, worded as kube-apiserver words them
 * (apimachinery/pkg/api/validation/objectmeta.go plus core's finalizer rule):
 *
 *   metadata.name: Required value: name or generateName is required
 *   metadata.namespace: Forbidden: not allowed on this type
 *   metadata.labels: Invalid value: "-x": name part a valid label …
 *   metadata.uid: Invalid value: "…": field is immutable
 *
 * Strategies call validateObjectMeta from validate() and validateObjectMetaUpdate from
 * validateUpdate(). Neither mutates the object.
 */
import type { NameRule, ObjectMeta } from '../catalogue/resource-def.js';
import { fieldErrors, type FieldError } from '../errors/field-error.js';
import { dns1123Label, labelValue, qualifiedName, validateNameByRule } from './names.js';

/** kube's limit on the sum of annotation key and value lengths */
export const TOTAL_ANNOTATION_SIZE_LIMIT_BYTES = 256 * 1024;

/** finalizers kube accepts without a domain prefix */
const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

export interface ObjectMetaOptions {
  namespaced: boolean;
  nameRule: NameRule;
  /**
   * the namespace from the URL ('' for cluster-scoped or all-namespaces). An object without
   * metadata.namespace takes it (kube's registry fills it in before validating).
   */
  requestNamespace: string;
}

const path = 'metadata';

export function validateObjectMeta(meta: ObjectMeta | undefined, opts: ObjectMetaOptions): FieldError[] {
  if (!meta || typeof meta !== 'object') return [fieldErrors.required(path)];
  const errs: FieldError[] = [];

  if (meta.generateName) {
    for (const msg of validateNameByRule(opts.nameRule, meta.generateName, true))
      errs.push(fieldErrors.invalid(`${path}.generateName`, meta.generateName, msg));
  }
  if (!meta.name) {
    if (!meta.generateName) errs.push(fieldErrors.required(`${path}.name`, 'name or generateName is required'));
  } else {
    for (const msg of validateNameByRule(opts.nameRule, meta.name)) errs.push(fieldErrors.invalid(`${path}.name`, meta.name, msg));
  }

  const namespace = meta.namespace || opts.requestNamespace;
  if (opts.namespaced) {
    if (!namespace) {
      errs.push(fieldErrors.required(`${path}.namespace`));
    } else {
      for (const msg of dns1123Label(namespace)) errs.push(fieldErrors.invalid(`${path}.namespace`, namespace, msg));
      // kube answers this one with a plain 400 BadRequest before validation; the registry may
      // check it first with namespaceMismatch() and never reach this error.
      if (meta.namespace && opts.requestNamespace && meta.namespace !== opts.requestNamespace)
        errs.push(fieldErrors.invalid(`${path}.namespace`, meta.namespace, NAMESPACE_MISMATCH));
    }
  } else if (meta.namespace) {
    errs.push(fieldErrors.forbidden(`${path}.namespace`, 'not allowed on this type'));
  }

  if (meta.generation !== undefined && meta.generation < 0)
    errs.push(fieldErrors.invalid(`${path}.generation`, meta.generation, 'must be greater than or equal to 0'));

  errs.push(...validateLabels(meta.labels, `${path}.labels`));
  errs.push(...validateAnnotations(meta.annotations, `${path}.annotations`));
  errs.push(...validateOwnerReferences(meta.ownerReferences, `${path}.ownerReferences`));
  errs.push(...validateFinalizers(meta.finalizers, `${path}.finalizers`));
  return errs;
}

export const NAMESPACE_MISMATCH = 'the namespace of the provided object does not match the namespace sent on the request';

/** kube's BadRequest text when the body's namespace differs from the URL's, else undefined */
export function namespaceMismatch(meta: ObjectMeta, requestNamespace: string): string | undefined {
  return meta.namespace && requestNamespace && meta.namespace !== requestNamespace ? NAMESPACE_MISMATCH : undefined;
}

/** label keys are qualified names, values label values; kube reports both at `metadata.labels` */
export function validateLabels(labels: Record<string, string> | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [key, value] of Object.entries(labels ?? {})) {
    for (const msg of qualifiedName(key)) errs.push(fieldErrors.invalid(field, key, msg));
    if (typeof value !== 'string') {
      errs.push(fieldErrors.typeInvalid(field, value, 'must be a string'));
      continue;
    }
    for (const msg of labelValue(value)) errs.push(fieldErrors.invalid(field, value, msg));
  }
  return errs;
}

/** keys are qualified names (case-insensitively); keys + values at most 256 KiB in total */
export function validateAnnotations(annotations: Record<string, string> | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  let size = 0;
  for (const [key, value] of Object.entries(annotations ?? {})) {
    for (const msg of qualifiedName(key.toLowerCase())) errs.push(fieldErrors.invalid(field, key, msg));
    size += Buffer.byteLength(key) + Buffer.byteLength(typeof value === 'string' ? value : String(value));
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT_BYTES) errs.push(fieldErrors.tooLong(field, TOTAL_ANNOTATION_SIZE_LIMIT_BYTES));
  return errs;
}

/**
 * Each reference needs apiVersion (with a version), kind, name and uid; at most one may be
 * the controller. kube reports these at `metadata.ownerReferences`, not per index.
 */
export function validateOwnerReferences(refs: Array<Record<string, unknown>> | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  let firstController = '';
  for (const ref of refs ?? []) {
    const apiVersion = typeof ref.apiVersion === 'string' ? ref.apiVersion : '';
    const kind = typeof ref.kind === 'string' ? ref.kind : '';
    const name = typeof ref.name === 'string' ? ref.name : '';
    const uid = typeof ref.uid === 'string' ? ref.uid : '';
    // 'apps/v1' → version 'v1'; 'v1' → core v1; 'apps/' or 'a/b/c' → no version
    const parts = apiVersion.split('/');
    const version = parts.length === 1 ? parts[0] : parts.length === 2 ? parts[1] : '';
    if (!version) errs.push(fieldErrors.invalid(`${field}.apiVersion`, apiVersion, 'version must not be empty'));
    if (!kind) errs.push(fieldErrors.invalid(`${field}.kind`, kind, 'kind must not be empty'));
    if (!name) errs.push(fieldErrors.invalid(`${field}.name`, name, 'name must not be empty'));
    if (!uid) errs.push(fieldErrors.invalid(`${field}.uid`, uid, 'uid must not be empty'));
    // kube bans core Events as owners (gvk printed as Go prints it)
    if (apiVersion === 'v1' && kind === 'Event') errs.push(fieldErrors.invalid(field, ref, '/v1, Kind=Event is disallowed from being an owner'));
    if (ref.controller === true) {
      const current = `${kind}/${name}`;
      if (!firstController) firstController = current;
      else
        errs.push(
          fieldErrors.invalid(field, refs, `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`),
        );
    }
  }
  return errs;
}

/** qualified names; a name without a '/' must be one of kube's own (kubernetes, orphan, foregroundDeletion) */
export function validateFinalizers(finalizers: string[] | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  (finalizers ?? []).forEach((finalizer, i) => {
    const at = `${field}[${i}]`;
    const msgs = qualifiedName(finalizer);
    for (const msg of msgs) errs.push(fieldErrors.invalid(at, finalizer, msg));
    if (msgs.length === 0 && !finalizer.includes('/') && !STANDARD_FINALIZERS.has(finalizer))
      errs.push(fieldErrors.invalid(at, finalizer, 'name is neither a standard finalizer name nor is it fully qualified'));
  });
  const set = new Set(finalizers ?? []);
  if (set.has('orphan') && set.has('foregroundDeletion'))
    errs.push(fieldErrors.invalid(field, finalizers, 'finalizer orphan and foregroundDeletion cannot be both set'));
  return errs;
}

/**
 * Update rules: name, namespace, uid and creationTimestamp never change (generateName is
 * ignored); an object being deleted takes no new finalizers. The registry is expected to
 * have filled resourceVersion (kube does so for unconditional updates) and to own
 * generation, deletionTimestamp and deletionGracePeriodSeconds.
 */
export function validateObjectMetaUpdate(meta: ObjectMeta, old: ObjectMeta): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of ['name', 'namespace', 'uid', 'creationTimestamp'] as const) {
    // an omitted uid/creationTimestamp means "keep" in kube (BeforeUpdate copies them over)
    if ((key === 'uid' || key === 'creationTimestamp') && meta[key] === undefined) continue;
    if ((meta[key] ?? '') !== (old[key] ?? '')) errs.push(fieldErrors.immutable(`${path}.${key}`, meta[key] ?? ''));
  }
  if (old.deletionTimestamp) {
    const before = new Set(old.finalizers ?? []);
    const added = [...new Set((meta.finalizers ?? []).filter((f) => !before.has(f)))].sort();
    if (added.length)
      errs.push(
        fieldErrors.forbidden(
          `${path}.finalizers`,
          `no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}`,
        ),
      );
  }
  return errs;
}

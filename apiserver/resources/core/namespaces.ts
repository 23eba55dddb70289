/**
 * core/v1 Namespace: cluster-scoped, named by an RFC 1123 label. kube's strategy: a new
 * namespace is Active with the `kubernetes` finalizer (the namespace controller removes it
 * through /finalize once the contents are gone); the main resource never changes status or
 * spec.finalizers, /status changes only status, /finalize only spec.finalizers. Defaulting
 * adds the `kubernetes.io/metadata.name` label. DELETE marks it Terminating; it is removed
 * once spec.finalizers (and metadata.finalizers) are empty.
 */
import type { V1Namespace } from '@kubernetes/client-node';
import type { KubeObject, ResourceDef, Strategy } from '../../catalogue/resource-def.js';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { qualifiedName } from '../../validation/names.js';
import { ageColumn, nameColumn } from '../printing.js';

export const NAMESPACE_FINALIZER = 'kubernetes';
const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);
const asNamespace = (obj: KubeObject) => obj as unknown as V1Namespace;

function validateFinalizerNames(finalizers: unknown, at: string): FieldError[] {
  if (finalizers === undefined || finalizers === null) return [];
  if (!Array.isArray(finalizers)) return [fieldErrors.typeInvalid(at, finalizers, 'must be a list of strings')];
  const errs: FieldError[] = [];
  for (const f of finalizers) {
    const msgs = typeof f === 'string' ? qualifiedName(f) : ['must be a string'];
    for (const msg of msgs) errs.push(fieldErrors.invalid(at, f, msg));
    if (msgs.length === 0 && !f.includes('/') && !STANDARD_FINALIZERS.has(f))
      errs.push(fieldErrors.invalid(at, f, 'name is neither a standard finalizer name nor is it fully qualified'));
  }
  return errs;
}

export const namespaceStrategy: Strategy = {
  prepareForCreate(obj) {
    const ns = asNamespace(obj);
    obj.status = { phase: 'Active' };
    const spec = (ns.spec ??= {});
    const finalizers = (spec.finalizers ??= []);
    if (!finalizers.includes(NAMESPACE_FINALIZER)) finalizers.push(NAMESPACE_FINALIZER);
  },
  prepareForUpdate(obj, old, _ctx, subresource) {
    const ns = asNamespace(obj);
    const before = asNamespace(old);
    if (subresource === 'status') {
      obj.spec = structuredClone(old.spec);
    } else if (subresource === 'finalize') {
      // only spec.finalizers moves through /finalize
      obj.spec = { ...structuredClone(before.spec ?? {}), finalizers: ns.spec?.finalizers ?? [] };
      obj.status = structuredClone(old.status);
    } else {
      obj.status = structuredClone(old.status);
      const finalizers = before.spec?.finalizers;
      if (finalizers === undefined) delete ns.spec?.finalizers;
      else (ns.spec ??= {}).finalizers = structuredClone(finalizers);
    }
    if (obj.status === undefined) delete obj.status;
    if (obj.spec === undefined) delete obj.spec;
  },
  defaults(obj) {
    const meta = obj.metadata;
    if (meta.name) meta.labels = { ...(meta.labels ?? {}), 'kubernetes.io/metadata.name': meta.name };
    const ns = asNamespace(obj);
    if (ns.status && typeof ns.status === 'object') ns.status.phase ||= 'Active';
  },
  validate(obj) {
    return validateFinalizerNames(asNamespace(obj).spec?.finalizers, 'spec.finalizers');
  },
  /** kube: a namespace with spec.finalizers turns Terminating and waits for the namespace controller */
  prepareForDelete(obj) {
    const finalizers = asNamespace(obj).spec?.finalizers;
    if (!Array.isArray(finalizers) || finalizers.length === 0) return false;
    obj.status = { ...(typeof obj.status === 'object' && obj.status !== null ? obj.status : {}), phase: 'Terminating' };
    return true;
  },
  deletionBlocked(obj) {
    const finalizers = asNamespace(obj).spec?.finalizers;
    return Array.isArray(finalizers) && finalizers.length > 0;
  },
  validateUpdate(obj) {
    // kube's status rule: Active while not being deleted, Terminating once it is
    const phase = asNamespace(obj).status?.phase;
    if (phase === undefined) return [];
    if (!obj.metadata.deletionTimestamp && phase !== 'Active')
      return [fieldErrors.invalid('status.Phase', phase, "may only be 'Active' if `deletionTimestamp` is empty")];
    if (obj.metadata.deletionTimestamp && phase !== 'Terminating')
      return [fieldErrors.invalid('status.Phase', phase, "may only be 'Terminating' if `deletionTimestamp` is not empty")];
    return [];
  },
};

export const namespaces: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'Namespace',
  plural: 'namespaces',
  singular: 'namespace',
  shortNames: ['ns'],
  namespaced: false,
  categories: [],
  // kube serves no deletecollection on namespaces
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  modelName: 'V1Namespace',
  nameRule: 'dns1123-label',
  subresources: [
    { name: 'status', verbs: ['get', 'patch', 'update'] },
    { name: 'finalize', verbs: ['update'] },
  ],
  printerColumns: [
    nameColumn,
    {
      name: 'Status',
      type: 'string',
      priority: 0,
      description: "The namespace's lifecycle phase (status.phase).",
      cell: (o) => asNamespace(o).status?.phase ?? '',
    },
    ageColumn,
  ],
  selectableFields: { 'status.phase': (o) => asNamespace(o).status?.phase ?? '' },
  strategy: namespaceStrategy,
};

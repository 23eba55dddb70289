/**
 * node.k8s.io/v1 RuntimeClass (kube's ValidateRuntimeClass): the CRI handler that runs
 * pods of this class (a DNS label, fixed once created), the fixed overhead such pods
 * add to their resource usage, and the node selector and tolerations the scheduler merges
 * into those pods.
 */
import type { V1RuntimeClass } from '@kubernetes/client-node';
import { ALL_VERBS, type KubeObject, type ResourceDef, type Strategy } from '../../catalogue/resource-def.js';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { dns1123Label } from '../../validation/names.js';
import { validateLabels } from '../../validation/object-meta.js';
import { validatePodSpecAt } from '../core/pods.js';
import { canonicalizeResourceList, isStandardContainerResource, resourceNameRule, validateResourceList } from '../core/resource-lists.js';
import { ageColumn, column, nameColumn } from '../printing.js';

const rc = (obj: KubeObject) => obj as unknown as V1RuntimeClass;

/**
 * Tolerations follow the pod rules exactly, so they are checked as a pod's would be:
 * inside an otherwise valid pod spec placed at "scheduling", keeping only their errors.
 */
function validateTolerations(tolerations: unknown): FieldError[] {
  if (tolerations === undefined || tolerations === null) return [];
  const spec = { containers: [{ name: 'c', image: 'c' }], restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', tolerations };
  return validatePodSpecAt(spec, 'scheduling').filter((e) => e.field === 'scheduling.tolerations' || e.field.startsWith('scheduling.tolerations['));
}

function validate(obj: KubeObject): FieldError[] {
  const r = rc(obj);
  const errs: FieldError[] = [];
  const handler = r.handler ?? '';
  for (const msg of dns1123Label(handler)) errs.push(fieldErrors.invalid('handler', handler, msg));
  // kube checks podFixed as a container's limits, so errors name "overhead.limits[…]"
  if (r.overhead) errs.push(...validateResourceList(r.overhead.podFixed, 'overhead.limits', { nonNegative: true, name: resourceNameRule(isStandardContainerResource, 'must be a standard resource for containers') }));
  if (r.scheduling) {
    errs.push(...validateLabels(r.scheduling.nodeSelector, 'scheduling.nodeSelector'));
    errs.push(...validateTolerations(r.scheduling.tolerations));
  }
  return errs;
}

export const runtimeClassStrategy: Strategy = {
  validate,
  validateUpdate: (obj, old) => (rc(obj).handler === rc(old).handler ? [] : [fieldErrors.immutable('handler', rc(obj).handler ?? '')]),
  canonicalize: (obj) => canonicalizeResourceList(rc(obj).overhead?.podFixed),
};

export const runtimeclasses: ResourceDef = {
  group: 'node.k8s.io',
  version: 'v1',
  kind: 'RuntimeClass',
  plural: 'runtimeclasses',
  singular: 'runtimeclass',
  shortNames: [],
  namespaced: false,
  categories: [],
  verbs: [...ALL_VERBS],
  modelName: 'V1RuntimeClass',
  subresources: [],
  printerColumns: [nameColumn, column('Handler', 'string', 'Handler specifies the underlying runtime and configuration that the CRI implementation will use to handle pods of this class.', (o) => rc(o).handler ?? ''), ageColumn],
  strategy: runtimeClassStrategy,
};

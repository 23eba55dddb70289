/**
 * core/v1 ResourceQuota: hard limits per namespace; the quota controller writes
 * status.hard/used through /status. Validation (kube's ValidateResourceQuota, in part):
 * resource names are standard quota resources or fully qualified, quantities parse, are
 * non-negative and whole for object counts; scopes are known and not contradictory.
 */
import type { V1ResourceQuota } from '@kubernetes/client-node';
import { ALL_VERBS, type KubeObject, type ResourceDef, type Strategy } from '../../catalogue/resource-def.js';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { ageColumn, column, nameColumn } from '../printing.js';
import { canonicalizeResourceList, quantityText, resourceNameRule, validateResourceList } from './resource-lists.js';

const INTEGER_RESOURCES = new Set([
  'pods',
  'services',
  'replicationcontrollers',
  'resourcequotas',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'services.nodeports',
  'services.loadbalancers',
]);
const STANDARD_QUOTA_RESOURCES = new Set([
  ...INTEGER_RESOURCES,
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.storage',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
]);
const isStandardQuotaResource = (name: string) =>
  STANDARD_QUOTA_RESOURCES.has(name) || name.startsWith('hugepages-') || name.startsWith('requests.hugepages-');
const isIntegerResource = (name: string) => INTEGER_RESOURCES.has(name) || name.startsWith('count/');

const SCOPES = ['BestEffort', 'CrossNamespacePodAffinity', 'NotBestEffort', 'NotTerminating', 'PriorityClass', 'Terminating', 'VolumeAttributesClass'];
const CONFLICTS: Array<[string, string]> = [
  ['Terminating', 'NotTerminating'],
  ['BestEffort', 'NotBestEffort'],
];

const rules = { nonNegative: true, name: resourceNameRule(isStandardQuotaResource, 'must be a standard resource for quota'), integer: isIntegerResource };

function validate(obj: KubeObject): FieldError[] {
  const rq = obj as V1ResourceQuota;
  const errs: FieldError[] = [
    ...validateResourceList(rq.spec?.hard, 'spec.hard', rules),
    ...validateResourceList(rq.status?.hard, 'status.hard', rules),
    ...validateResourceList(rq.status?.used, 'status.used', rules),
  ];
  const scopes = rq.spec?.scopes ?? [];
  if (scopes.some((s) => !SCOPES.includes(s))) errs.push(fieldErrors.invalid('spec.scopes', scopes, 'unsupported scope'));
  for (const [a, b] of CONFLICTS) if (scopes.includes(a) && scopes.includes(b)) errs.push(fieldErrors.invalid('spec.scopes', scopes, 'conflicting scopes'));
  for (const [i, expr] of (rq.spec?.scopeSelector?.matchExpressions ?? []).entries()) {
    if (!SCOPES.includes(expr.scopeName)) errs.push(fieldErrors.invalid(`spec.scopeSelector.matchExpressions[${i}].scopeName`, expr.scopeName, 'unsupported scope'));
  }
  return errs;
}

export const resourceQuotaStrategy: Strategy = {
  validate,
  canonicalize(obj) {
    const rq = obj as V1ResourceQuota;
    canonicalizeResourceList(rq.spec?.hard);
    canonicalizeResourceList(rq.status?.hard);
    canonicalizeResourceList(rq.status?.used);
  },
};

/** kube's printResourceQuota: `name: used/hard` sorted by name, limits.* in their own column */
function usage(rq: V1ResourceQuota, limits: boolean): string {
  const hard = rq.status?.hard ?? {};
  const used = rq.status?.used ?? {};
  return Object.keys(hard)
    .sort()
    .filter((name) => (name.split('.')[0] === 'limits' && name.includes('.')) === limits)
    .map((name) => `${name}: ${quantityText(used[name] ?? '0')}/${quantityText(hard[name])}`)
    .join(', ');
}

export const resourcequotas: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'ResourceQuota',
  plural: 'resourcequotas',
  singular: 'resourcequota',
  shortNames: ['quota'],
  namespaced: true,
  categories: [],
  verbs: [...ALL_VERBS],
  modelName: 'V1ResourceQuota',
  subresources: [{ name: 'status', verbs: ['get', 'patch', 'update'] }],
  printerColumns: [
    nameColumn,
    ageColumn,
    column('Request', 'string', 'Request represents a minimum amount of cpu/memory that a container may consume.', (o) => usage(o as V1ResourceQuota, false)),
    column('Limit', 'string', 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.', (o) =>
      usage(o as V1ResourceQuota, true),
    ),
  ],
  strategy: resourceQuotaStrategy,
};

/**
 * What a ResourceQuota's status should say (kube's quota.CalculateUsage and the quota
 * controller's syncResourceQuota), as pure functions of the quota and the objects in its
 * namespace:
 *
 *   status.hard = spec.hard
 *   status.used = for every hard name some evaluator tracks: the sum over the matching
 *                 objects (0 when none); names no evaluator tracks keep their old value.
 *
 * Evaluators, by the group-resource whose objects they read:
 *   pods           pods (non-terminal only), count/pods (all), cpu/memory/ephemeral-storage
 *                  and their requests./limits. forms, hugepages, requests.<extended>
 *   services       services, count/services, services.nodeports, services.loadbalancers
 *   persistentvolumeclaims  persistentvolumeclaims, requests.storage, per storage class
 *   configmaps, secrets, replicationcontrollers, resourcequotas: the bare name and count/
 *   anything else  count/<resource>.<group>
 * Scopes (spec.scopes and spec.scopeSelector) select pods; other objects never match a scope.
 */
import type { V1PersistentVolumeClaim, V1Pod, V1ResourceQuota, V1ScopedResourceSelectorRequirement, V1Service } from '@kubernetes/client-node';
import type { KubeObject } from '../../client/types.js';
import { timeOf } from '../common/time.js';
import { isBestEffort, podLimits, podRequests, type QuantityList } from './pod-resources.js';
import { addQuantities, countQuantity, formatQuantity, parseExactQuantity, sameQuantity, zeroQuantity, type Quantity } from '../../client/quantity.js';

export type ResourceList = Record<string, string>;

/** the objects of a group-resource ("pods", "deployments.apps") in the quota's namespace; undefined = not tracked */
export type ObjectsOf = (groupResource: string) => readonly KubeObject[] | undefined;

interface Evaluator {
  groupResource: string;
  matches(name: string): boolean;
  usage(obj: KubeObject, now: number): QuantityList;
  /** scopes only ever select pods */
  matchesScope(scope: V1ScopedResourceSelectorRequirement, obj: KubeObject): boolean;
}

const COUNT_PREFIX = 'count/';
const one = () => countQuantity(1);
const noScope = () => false;

/** kube's QuotaV1Pod: terminal pods, and pods past their deletion grace, use no compute */
export function podUsesCompute(pod: V1Pod, now: number): boolean {
  if (pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded') return false;
  const deletion = timeOf(pod.metadata?.deletionTimestamp);
  const grace = pod.metadata?.deletionGracePeriodSeconds;
  if (!Number.isNaN(deletion) && grace !== undefined && grace !== null && now > deletion + grace * 1000) return false;
  return true;
}

const POD_COMPUTE = new Set([
  'pods',
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
]);
const isExtendedResource = (name: string) => name.includes('/') && !name.startsWith('kubernetes.io/') && !name.startsWith('requests.');

function podEvaluator(): Evaluator {
  return {
    groupResource: 'pods',
    matches: (name) =>
      name === 'count/pods' ||
      POD_COMPUTE.has(name) ||
      name.startsWith('hugepages-') ||
      name.startsWith('requests.hugepages-') ||
      (name.startsWith('requests.') && name.includes('/')),
    usage(obj, now) {
      const pod = obj as unknown as V1Pod;
      const result: QuantityList = new Map([['count/pods', one()]]);
      if (!podUsesCompute(pod, now)) return result;
      const requests = podRequests(pod);
      const limits = podLimits(pod);
      result.set('pods', one());
      for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
        const request = requests.get(r);
        if (request) {
          result.set(r, request);
          result.set(`requests.${r}`, request);
        }
        const limit = limits.get(r);
        if (limit) result.set(`limits.${r}`, limit);
      }
      for (const [name, request] of requests) {
        if (name.startsWith('hugepages-')) {
          result.set(name, request);
          result.set(`requests.${name}`, request);
        }
        if (isExtendedResource(name)) result.set(`requests.${name}`, request);
      }
      return result;
    },
    matchesScope(scope, obj) {
      const pod = obj as unknown as V1Pod;
      switch (scope.scopeName) {
        case 'Terminating':
          return isTerminating(pod);
        case 'NotTerminating':
          return !isTerminating(pod);
        case 'BestEffort':
          return isBestEffort(pod);
        case 'NotBestEffort':
          return !isBestEffort(pod);
        case 'PriorityClass':
          return priorityClassMatches(scope, pod.spec?.priorityClassName ?? '');
        case 'CrossNamespacePodAffinity':
          return usesCrossNamespaceAffinity(pod);
        default:
          return false;
      }
    },
  };
}

const isTerminating = (pod: V1Pod) => pod.spec?.activeDeadlineSeconds !== undefined && pod.spec.activeDeadlineSeconds !== null && pod.spec.activeDeadlineSeconds >= 0;

/** kube evaluates the requirement as a label selector over {PriorityClass: <the pod's class>} */
function priorityClassMatches(scope: V1ScopedResourceSelectorRequirement, className: string): boolean {
  const values = scope.values ?? [];
  switch (scope.operator) {
    case 'Exists':
      return className !== '';
    case 'In':
      return values.includes(className);
    case 'NotIn':
      return !values.includes(className);
    case 'DoesNotExist':
      return false;
    default:
      return false;
  }
}

function usesCrossNamespaceAffinity(pod: V1Pod): boolean {
  const affinity = pod.spec?.affinity;
  const terms = [
    ...(affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    ...(affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => w.podAffinityTerm),
    ...(affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    ...(affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => w.podAffinityTerm),
  ];
  return terms.some((t) => (t.namespaces?.length ?? 0) > 0 || t.namespaceSelector !== undefined);
}

function serviceEvaluator(): Evaluator {
  return {
    groupResource: 'services',
    matches: (name) => ['services', 'count/services', 'services.nodeports', 'services.loadbalancers'].includes(name),
    usage(obj) {
      const svc = obj as unknown as V1Service;
      const result: QuantityList = new Map([
        ['services', one()],
        ['count/services', one()],
      ]);
      const ports = svc.spec?.ports ?? [];
      if (svc.spec?.type === 'NodePort') result.set('services.nodeports', countQuantity(ports.length));
      if (svc.spec?.type === 'LoadBalancer') {
        // with node ports suppressed only the explicitly requested ones count
        const nodePorts = svc.spec.allocateLoadBalancerNodePorts === false ? ports.filter((p) => p.nodePort).length : ports.length;
        result.set('services.nodeports', countQuantity(nodePorts));
        result.set('services.loadbalancers', one());
      }
      return result;
    },
    matchesScope: noScope,
  };
}

const STORAGE_CLASS_SUFFIX = '.storageclass.storage.k8s.io/';

function pvcEvaluator(): Evaluator {
  return {
    groupResource: 'persistentvolumeclaims',
    matches: (name) =>
      ['persistentvolumeclaims', 'count/persistentvolumeclaims', 'requests.storage'].includes(name) ||
      name.endsWith(`${STORAGE_CLASS_SUFFIX}persistentvolumeclaims`) ||
      name.endsWith(`${STORAGE_CLASS_SUFFIX}requests.storage`),
    usage(obj) {
      const pvc = obj as unknown as V1PersistentVolumeClaim;
      const result: QuantityList = new Map([
        ['persistentvolumeclaims', one()],
        ['count/persistentvolumeclaims', one()],
      ]);
      const className = pvc.spec?.storageClassName ?? '';
      if (className) result.set(`${className}${STORAGE_CLASS_SUFFIX}persistentvolumeclaims`, one());
      // kube counts the larger of the request and what the volume was resized to
      let storage = parseExactQuantity(pvc.spec?.resources?.requests?.storage);
      const allocated = parseExactQuantity((pvc.status as { allocatedResources?: Record<string, string> } | undefined)?.allocatedResources?.storage);
      if (allocated && (!storage || allocated.nano > storage.nano)) storage = allocated;
      if (storage) {
        result.set('requests.storage', storage);
        if (className) result.set(`${className}${STORAGE_CLASS_SUFFIX}requests.storage`, storage);
      }
      return result;
    },
    matchesScope: noScope,
  };
}

/** configmaps, secrets, …: the bare name and count/<resource> */
function legacyCountEvaluator(resource: string): Evaluator {
  return {
    groupResource: resource,
    matches: (name) => name === resource || name === `${COUNT_PREFIX}${resource}`,
    usage: () =>
      new Map([
        [resource, one()],
        [`${COUNT_PREFIX}${resource}`, one()],
      ]),
    matchesScope: noScope,
  };
}

function objectCountEvaluator(groupResource: string): Evaluator {
  const name = `${COUNT_PREFIX}${groupResource}`;
  return { groupResource, matches: (n) => n === name, usage: () => new Map([[name, one()]]), matchesScope: noScope };
}

const FIXED_EVALUATORS: Evaluator[] = [
  podEvaluator(),
  serviceEvaluator(),
  pvcEvaluator(),
  ...['configmaps', 'secrets', 'replicationcontrollers', 'resourcequotas'].map(legacyCountEvaluator),
];

/** the evaluators the hard names need: the fixed ones plus one object counter per other count/ name */
function evaluatorsFor(hardNames: string[]): Evaluator[] {
  const out = [...FIXED_EVALUATORS];
  for (const name of hardNames) {
    if (!name.startsWith(COUNT_PREFIX) || out.some((e) => e.matches(name))) continue;
    out.push(objectCountEvaluator(name.slice(COUNT_PREFIX.length)));
  }
  return out;
}

/** the group-resources ("pods", "deployments.apps") whose objects a quota's usage depends on */
export function groupResourcesFor(hard: ResourceList | undefined): string[] {
  const names = Object.keys(hard ?? {});
  return evaluatorsFor(names)
    .filter((e) => names.some((n) => e.matches(n)))
    .map((e) => e.groupResource);
}

/** spec.scopes as Exists requirements, followed by the scopeSelector's */
function scopesOf(quota: V1ResourceQuota): V1ScopedResourceSelectorRequirement[] {
  return [
    ...(quota.spec?.scopes ?? []).map((scopeName) => ({ scopeName, operator: 'Exists' })),
    ...(quota.spec?.scopeSelector?.matchExpressions ?? []),
  ];
}

/** kube's CalculateUsage + syncResourceQuota: the status the quota should have */
export function desiredQuotaStatus(quota: V1ResourceQuota, objectsOf: ObjectsOf, now: number): { hard: ResourceList; used: ResourceList } {
  const hard: ResourceList = { ...((quota.spec?.hard as ResourceList | undefined) ?? {}) };
  const hardNames = Object.keys(hard);
  const scopes = scopesOf(quota);
  const computed = new Map<string, Quantity>();
  for (const evaluator of evaluatorsFor(hardNames)) {
    const names = hardNames.filter((n) => evaluator.matches(n));
    if (names.length === 0) continue;
    const objects = objectsOf(evaluator.groupResource);
    if (!objects) continue;
    const sums = new Map<string, Quantity>(names.map((n) => [n, zeroQuantity()]));
    for (const obj of objects) {
      if (!scopes.every((s) => evaluator.matchesScope(s, obj))) continue;
      for (const [name, q] of evaluator.usage(obj, now)) {
        const sum = sums.get(name);
        if (sum) sums.set(name, addQuantities(sum, q));
      }
    }
    for (const [name, q] of sums) computed.set(name, computed.has(name) ? addQuantities(computed.get(name)!, q) : q);
  }
  const previous = (quota.status?.used as ResourceList | undefined) ?? {};
  const used: ResourceList = {};
  for (const name of hardNames) {
    const q = computed.get(name);
    if (q) used[name] = formatQuantity(q);
    else if (previous[name] !== undefined) used[name] = previous[name]!;
  }
  return { hard, used };
}

const sameList = (a: ResourceList | undefined, b: ResourceList | undefined): boolean => {
  const ka = Object.keys(a ?? {});
  const kb = Object.keys(b ?? {});
  return ka.length === kb.length && ka.every((k) => b?.[k] !== undefined && sameQuantity(a![k], b[k]));
};

/** kube's semantic equality of two statuses: same names, same values (1Gi == 1073741824) */
export function quotaStatusUpToDate(quota: V1ResourceQuota, desired: { hard: ResourceList; used: ResourceList }): boolean {
  return (
    quota.status !== undefined &&
    sameList(quota.status.hard as ResourceList | undefined, desired.hard) &&
    sameList(quota.status.used as ResourceList | undefined, desired.used)
  );
}

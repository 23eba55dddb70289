/**
 * Building blocks of kube-apiserver's default RBAC policy (its "bootstrappolicy"): the
 * verb sets, a rule builder, and the metadata every default object carries — the label
 * kubernetes.io/bootstrapping=rbac-defaults and the annotation that tells the API server
 * it may reconcile the object at start.
 */
import type { V1PolicyRule } from '@kubernetes/client-node';
import type { ObjectMeta } from '../../catalogue/resource-def.js';

export const READ = ['get', 'list', 'watch'];
export const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
export const READ_WRITE = [...READ, ...WRITE];

/** a resource rule: verbs on resources of one API group, optionally only some names */
export function rule(verbs: string[], group: string, resources: string[], resourceNames?: string[]): V1PolicyRule {
  return { apiGroups: [group], resources, verbs, ...(resourceNames ? { resourceNames } : {}) };
}

/** a non-resource rule: verbs on URL paths ("/healthz", "/apis/*") */
export const urlRule = (verbs: string[], nonResourceURLs: string[]): V1PolicyRule => ({ nonResourceURLs, verbs });

/** creating and updating Events in both groups that serve them, as every component does */
export const eventsRules = (): V1PolicyRule[] => [rule(['create', 'patch', 'update'], '', ['events']), rule(['create', 'patch', 'update'], 'events.k8s.io', ['events'])];

/** the metadata kube gives every default role and binding */
export function bootstrapMeta(name: string, labels: Record<string, string> = {}): ObjectMeta {
  return {
    name,
    labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults', ...labels },
    annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
  };
}

/**
 * kube's RBAC authorizer as a pure function over the stored policy, ready for the API
 * server's authorizer to call with its cached Roles, ClusterRoles and bindings: a request
 * is allowed when some binding that applies to the user (ClusterRoleBindings anywhere,
 * RoleBindings in the request's namespace) grants a rule that covers it. The reason names
 * the grant as kube does:
 *   RBAC: allowed by ClusterRoleBinding "cluster-admin" of ClusterRole "cluster-admin" to Group "system:masters"
 */
import type { RbacV1Subject, V1PolicyRule, V1RoleRef } from '@kubernetes/client-node';
import type { Decision } from '../../auth/authorizer.js';
import type { RequestAttributes, RequestInfo } from '../../auth/request-attributes.js';
import type { UserInfo } from '../../auth/user.js';
import type { KubeObject } from '../../catalogue/resource-def.js';

export interface RbacPolicy {
  clusterRoles: readonly KubeObject[];
  clusterRoleBindings: readonly KubeObject[];
  /** every namespace's; only those in the request's namespace count */
  roles: readonly KubeObject[];
  roleBindings: readonly KubeObject[];
}

interface Binding {
  metadata: { name?: string; namespace?: string };
  roleRef?: V1RoleRef;
  subjects?: RbacV1Subject[];
}

const matches = (list: readonly string[] | undefined, value: string) => (list ?? []).some((item) => item === '*' || item === value);

/** a resource named in a rule: "*", the exact "pods/status", or "*\/status" for any resource's subresource */
function resourceMatches(rule: V1PolicyRule, resource: string, subresource: string): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  return (rule.resources ?? []).some((r) => r === '*' || r === combined || (subresource !== '' && r === `*/${subresource}`));
}

/** a URL in a rule: "*", the exact path, or a prefix ending in "*" */
const urlMatches = (rule: V1PolicyRule, path: string) =>
  (rule.nonResourceURLs ?? []).some((u) => u === '*' || u === path || (u.endsWith('*') && path.startsWith(u.slice(0, -1))));

/** kube's RuleAllows */
export function ruleAllows(rule: V1PolicyRule, request: RequestInfo): boolean {
  if (!matches(rule.verbs, request.verb)) return false;
  if (!request.isResourceRequest) return urlMatches(rule, request.path);
  const names = rule.resourceNames ?? [];
  return matches(rule.apiGroups, request.apiGroup) && resourceMatches(rule, request.resource, request.subresource) && (names.length === 0 || names.includes(request.name));
}

/** does a binding's subject name this user? Service accounts default to the binding's namespace */
function appliesTo(subject: RbacV1Subject, user: UserInfo, bindingNamespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return user.name === subject.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const namespace = subject.namespace || bindingNamespace;
      return namespace !== '' && user.name === `system:serviceaccount:${namespace}:${subject.name}`;
    }
    default:
      return false;
  }
}

function describeSubject(subject: RbacV1Subject, bindingNamespace: string): string {
  if (subject.kind === 'ServiceAccount') return `${subject.kind} ${JSON.stringify(`${subject.name}/${subject.namespace || bindingNamespace}`)}`;
  return `${subject.kind} ${JSON.stringify(subject.name)}`;
}

function rulesOf(ref: V1RoleRef | undefined, namespace: string, policy: RbacPolicy): V1PolicyRule[] {
  if (!ref) return [];
  const found =
    ref.kind === 'ClusterRole'
      ? policy.clusterRoles.find((r) => r.metadata.name === ref.name)
      : policy.roles.find((r) => r.metadata.name === ref.name && r.metadata.namespace === namespace);
  return (found?.rules as V1PolicyRule[] | undefined) ?? [];
}

export function rbacAuthorize(attributes: RequestAttributes, policy: RbacPolicy): Decision {
  const grants: Array<{ binding: Binding; namespace: string; label: string }> = [
    ...(policy.clusterRoleBindings as unknown as Binding[]).map((binding) => ({ binding, namespace: '', label: `ClusterRoleBinding ${JSON.stringify(binding.metadata.name ?? '')}` })),
    ...(attributes.namespace
      ? (policy.roleBindings as unknown as Binding[])
          .filter((b) => b.metadata.namespace === attributes.namespace)
          .map((binding) => ({ binding, namespace: attributes.namespace, label: `RoleBinding ${JSON.stringify(`${binding.metadata.name ?? ''}/${attributes.namespace}`)}` }))
      : []),
  ];
  for (const { binding, namespace, label } of grants) {
    const subject = (binding.subjects ?? []).find((s) => appliesTo(s, attributes.user, namespace));
    if (!subject) continue;
    if (!rulesOf(binding.roleRef, namespace, policy).some((rule) => ruleAllows(rule, attributes))) continue;
    const ref = binding.roleRef!;
    return { allowed: true, reason: `RBAC: allowed by ${label} of ${ref.kind} ${JSON.stringify(ref.name)} to ${describeSubject(subject, namespace)}` };
  }
  return { allowed: false, reason: '' };
}

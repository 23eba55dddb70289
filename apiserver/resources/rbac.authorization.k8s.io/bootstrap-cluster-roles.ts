/**
 * The ClusterRoles kube-apiserver creates at start, with rule sets following kube's
 * defaults: cluster-admin (everything), the user-facing admin/edit/view roles (built by
 * aggregation from system:aggregate-to-* roles, as in kube), the discovery and self-review
 * roles every user is bound to, and the roles of the node, scheduler and controller manager.
 *
 * kube fills aggregated roles' rules through its clusterrole-aggregation controller; the
 * objects here already carry the aggregated rules, so they are usable at once and what the
 * controller would compute is what is stored.
 */
import type { V1ClusterRole, V1PolicyRule } from '@kubernetes/client-node';
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { labelSelectorMatcher } from '../../selectors/label-selector.js';
import { bootstrapMeta, eventsRules, READ, READ_WRITE, rule, urlRule, WRITE } from './bootstrap-policy.js';

const AGGREGATE = 'rbac.authorization.k8s.io/aggregate-to-';

function clusterRole(name: string, rules: V1PolicyRule[], labels: Record<string, string> = {}, aggregateFrom?: string): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: bootstrapMeta(name, labels),
    ...(aggregateFrom ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [`${AGGREGATE}${aggregateFrom}`]: 'true' } }] } } : {}),
    rules,
  };
}

const aggregateToView = (): V1PolicyRule[] => [
  rule(READ, '', ['pods', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'configmaps']),
  rule(READ, '', ['limitranges', 'resourcequotas', 'bindings', 'events', 'pods/status', 'resourcequotas/status', 'namespaces/status', 'replicationcontrollers/status', 'pods/log']),
  // reading namespaces within a namespace lets a user see which namespaces they can use
  rule(READ, '', ['namespaces']),
  rule(READ, 'discovery.k8s.io', ['endpointslices']),
  rule(READ, 'apps', ['controllerrevisions', 'statefulsets', 'statefulsets/scale', 'statefulsets/status', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'replicasets', 'replicasets/scale', 'replicasets/status']),
  rule(READ, 'autoscaling', ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']),
  rule(READ, 'batch', ['jobs', 'cronjobs', 'cronjobs/status', 'jobs/status']),
  rule(READ, 'policy', ['poddisruptionbudgets', 'poddisruptionbudgets/status']),
  rule(READ, 'networking.k8s.io', ['ingresses', 'ingresses/status', 'networkpolicies']),
];

const aggregateToEdit = (): V1PolicyRule[] => [
  rule(['impersonate'], '', ['serviceaccounts']),
  rule(WRITE, '', ['pods', 'pods/attach', 'pods/proxy', 'pods/exec', 'pods/portforward']),
  rule(['create'], '', ['pods/eviction']),
  rule(WRITE, '', ['replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/proxy', 'persistentvolumeclaims', 'configmaps', 'secrets', 'events']),
  rule(['create'], '', ['serviceaccounts/token']),
  // editors may read secrets and use exec/attach; viewers may not
  rule(READ, '', ['pods/attach', 'pods/proxy', 'pods/exec', 'pods/portforward', 'secrets', 'services/proxy']),
  rule(WRITE, 'apps', ['statefulsets', 'statefulsets/scale', 'daemonsets', 'deployments', 'deployments/scale', 'deployments/rollback', 'replicasets', 'replicasets/scale']),
  rule(WRITE, 'autoscaling', ['horizontalpodautoscalers']),
  rule(WRITE, 'batch', ['jobs', 'cronjobs']),
  rule(WRITE, 'policy', ['poddisruptionbudgets']),
  rule(WRITE, 'networking.k8s.io', ['ingresses', 'networkpolicies']),
  rule(READ_WRITE, 'coordination.k8s.io', ['leases']),
];

const aggregateToAdmin = (): V1PolicyRule[] => [
  rule(['create'], 'authorization.k8s.io', ['localsubjectaccessreviews']),
  rule(READ_WRITE, 'rbac.authorization.k8s.io', ['roles', 'rolebindings']),
];

const PUBLIC_INFO_URLS = ['/healthz', '/livez', '/readyz', '/version', '/version/'];

const nodeRules = (): V1PolicyRule[] => [
  rule(['create'], 'authentication.k8s.io', ['tokenreviews']),
  rule(['create'], 'authorization.k8s.io', ['subjectaccessreviews', 'localsubjectaccessreviews']),
  rule(READ, '', ['services']),
  rule(['create', 'get', 'list', 'watch'], '', ['nodes']),
  rule(['patch', 'update'], '', ['nodes/status']),
  rule(['delete', 'patch', 'update'], '', ['nodes']),
  ...eventsRules(),
  rule(READ, '', ['pods']),
  rule(['create', 'delete'], '', ['pods']),
  rule(['patch', 'update'], '', ['pods/status']),
  rule(['create'], '', ['pods/eviction']),
  rule(['get', 'list', 'watch'], '', ['configmaps', 'secrets']),
  rule(['get'], '', ['persistentvolumeclaims', 'persistentvolumes']),
  rule(['get'], '', ['endpoints']),
  rule(['create', 'get', 'list', 'watch'], 'certificates.k8s.io', ['certificatesigningrequests']),
  rule(['create', 'delete', 'get', 'patch', 'update'], 'coordination.k8s.io', ['leases']),
  rule(['get'], 'storage.k8s.io', ['volumeattachments']),
  rule(['create'], '', ['serviceaccounts/token']),
  rule(['patch', 'update'], '', ['persistentvolumeclaims/status']),
  rule(READ, 'storage.k8s.io', ['csidrivers']),
  rule(['create', 'delete', 'get', 'patch', 'update'], 'storage.k8s.io', ['csinodes']),
  rule(READ, 'node.k8s.io', ['runtimeclasses']),
];

/** a component's leader election: create any, then only its own lock objects */
const leaderElection = (name: string): V1PolicyRule[] => [
  rule(['create'], 'coordination.k8s.io', ['leases']),
  rule(['get', 'update'], 'coordination.k8s.io', ['leases'], [name]),
  rule(['create'], '', ['endpoints']),
  rule(['get', 'update'], '', ['endpoints'], [name]),
];

const reviewRules = (): V1PolicyRule[] => [rule(['create'], 'authentication.k8s.io', ['tokenreviews']), rule(['create'], 'authorization.k8s.io', ['subjectaccessreviews'])];

const schedulerRules = (): V1PolicyRule[] => [
  ...eventsRules(),
  ...leaderElection('kube-scheduler'),
  rule(READ, '', ['nodes']),
  rule(['delete', 'get', 'list', 'watch'], '', ['pods']),
  rule(['create'], '', ['bindings', 'pods/binding']),
  rule(['patch', 'update'], '', ['pods/status']),
  rule(READ, '', ['replicationcontrollers', 'services']),
  rule(READ, 'apps', ['replicasets', 'statefulsets']),
  rule(READ, 'policy', ['poddisruptionbudgets']),
  rule(READ, '', ['persistentvolumeclaims', 'persistentvolumes']),
  ...reviewRules(),
  rule(READ, 'storage.k8s.io', ['csinodes']),
  rule(READ, '', ['namespaces']),
  rule(READ, 'storage.k8s.io', ['csidrivers', 'csistoragecapacities']),
];

const controllerManagerRules = (): V1PolicyRule[] => [
  ...eventsRules(),
  ...leaderElection('kube-controller-manager'),
  rule(['create'], '', ['secrets', 'serviceaccounts']),
  rule(['delete'], '', ['secrets']),
  rule(['get'], '', ['configmaps', 'namespaces', 'secrets', 'serviceaccounts']),
  rule(['update'], '', ['secrets', 'serviceaccounts']),
  ...reviewRules(),
  // every controller's informers
  rule(['list', 'watch'], '*', ['*']),
  rule(['create'], '', ['serviceaccounts/token']),
];

function defaultClusterRoles(): KubeObject[] {
  return [
    clusterRole('cluster-admin', [rule(['*'], '*', ['*']), urlRule(['*'], ['*'])]),
    clusterRole('system:discovery', [urlRule(['get'], ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'])]),
    clusterRole('system:basic-user', [
      rule(['create'], 'authorization.k8s.io', ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']),
      rule(['create'], 'authentication.k8s.io', ['selfsubjectreviews']),
    ]),
    clusterRole('system:public-info-viewer', [urlRule(['get'], PUBLIC_INFO_URLS)]),
    clusterRole('admin', [], {}, 'admin'),
    clusterRole('edit', [], { [`${AGGREGATE}admin`]: 'true' }, 'edit'),
    clusterRole('view', [], { [`${AGGREGATE}edit`]: 'true' }, 'view'),
    clusterRole('system:aggregate-to-admin', aggregateToAdmin(), { [`${AGGREGATE}admin`]: 'true' }),
    clusterRole('system:aggregate-to-edit', aggregateToEdit(), { [`${AGGREGATE}edit`]: 'true' }),
    clusterRole('system:aggregate-to-view', aggregateToView(), { [`${AGGREGATE}view`]: 'true' }),
    clusterRole('system:node', nodeRules()),
    clusterRole('system:kube-scheduler', schedulerRules()),
    clusterRole('system:kube-controller-manager', controllerManagerRules()),
  ];
}

/**
 * What kube's aggregation controller computes: each aggregated role gets the rules of the
 * roles its selectors match (in name order, skipping rules it already has), repeated until
 * nothing changes, since aggregated roles may feed others (view → edit → admin).
 */
export function aggregateRules(roles: KubeObject[]): void {
  const byName = [...roles].sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
  for (let changed = true; changed; ) {
    changed = false;
    for (const role of roles as V1ClusterRole[]) {
      const selectors = role.aggregationRule?.clusterRoleSelectors ?? [];
      if (!selectors.length) continue;
      const rules = (role.rules ??= []);
      for (const source of byName as V1ClusterRole[]) {
        if (source === role || !selectors.some((s) => labelSelectorMatcher(s)(source.metadata?.labels))) continue;
        for (const r of source.rules ?? []) {
          if (rules.some((have) => isDeepStrictEqual(have, r))) continue;
          rules.push(structuredClone(r));
          changed = true;
        }
      }
    }
  }
}

export function bootstrapClusterRoles(): KubeObject[] {
  const roles = defaultClusterRoles();
  aggregateRules(roles);
  return roles;
}

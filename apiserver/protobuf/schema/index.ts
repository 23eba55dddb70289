/**
 * All protobuf schemas parsed into one protobufjs Root at module load, and the
 * apiVersion/kind → message table decode.ts dispatches on. The schema text lives in .ts
 * modules (not .proto files) because the build copies only compiled TypeScript to dist/.
 */
import protobuf from 'protobufjs';
import { AUTHENTICATION_PROTO, AUTHORIZATION_PROTO, RBAC_PROTO } from './access.js';
import { NETWORKING_PROTO, POLICY_PROTO, SCHEDULING_PROTO } from './cluster-policy.js';
import { CORE_CONFIG_PROTO } from './core-config.js';
import { CORE_POD_PROTO } from './core-pod.js';
import { META_PROTO } from './meta.js';
import { BATCH_PROTO, WORKLOADS_PROTO } from './workloads.js';

const SOURCES = [
  META_PROTO,
  CORE_CONFIG_PROTO,
  CORE_POD_PROTO,
  WORKLOADS_PROTO,
  BATCH_PROTO,
  RBAC_PROTO,
  SCHEDULING_PROTO,
  POLICY_PROTO,
  NETWORKING_PROTO,
  AUTHENTICATION_PROTO,
  AUTHORIZATION_PROTO,
];

function buildRoot(): protobuf.Root {
  const root = new protobuf.Root();
  // keepCase: kube's proto field names already are the JSON names (e.g. "clusterIP").
  for (const source of SOURCES) protobuf.parse(source, root, { keepCase: true });
  root.resolveAll();
  return root;
}

export const ROOT = buildRoot();

/** "apiVersion kind" → fully qualified message name. */
const KINDS: Record<string, string> = {
  'v1 ConfigMap': 'core.ConfigMap',
  'v1 Secret': 'core.Secret',
  'v1 Namespace': 'core.Namespace',
  'v1 ServiceAccount': 'core.ServiceAccount',
  'v1 Service': 'core.Service',
  'v1 ResourceQuota': 'core.ResourceQuota',
  'apps/v1 Deployment': 'apps.Deployment',
  'batch/v1 Job': 'batch.Job',
  'batch/v1 CronJob': 'batch.CronJob',
  'rbac.authorization.k8s.io/v1 Role': 'rbac.Role',
  'rbac.authorization.k8s.io/v1 ClusterRole': 'rbac.ClusterRole',
  'rbac.authorization.k8s.io/v1 RoleBinding': 'rbac.Binding',
  'rbac.authorization.k8s.io/v1 ClusterRoleBinding': 'rbac.Binding',
  'scheduling.k8s.io/v1 PriorityClass': 'scheduling.PriorityClass',
  'policy/v1 PodDisruptionBudget': 'policy.PodDisruptionBudget',
  'networking.k8s.io/v1 Ingress': 'networking.Ingress',
  'authentication.k8s.io/v1 TokenRequest': 'authentication.TokenRequest',
  'authentication.k8s.io/v1 SelfSubjectReview': 'authentication.SelfSubjectReview',
  'authorization.k8s.io/v1 SelfSubjectAccessReview': 'authorization.SelfSubjectAccessReview',
  'authorization.k8s.io/v1 SelfSubjectRulesReview': 'authorization.SelfSubjectRulesReview',
};

/** The message type of a kind, or undefined when this server cannot decode it. */
export function messageTypeFor(apiVersion: string, kind: string): protobuf.Type | undefined {
  const name = Object.hasOwn(KINDS, `${apiVersion} ${kind}`) ? KINDS[`${apiVersion} ${kind}`] : undefined;
  return name === undefined ? undefined : ROOT.lookupType(name);
}

/** Every supported [apiVersion, kind] pair (for tests and for the lead's wiring). */
export const SUPPORTED_KINDS: ReadonlyArray<readonly [string, string]> = Object.keys(KINDS).map((k) => {
  const [apiVersion = '', kind = ''] = k.split(' ');
  return [apiVersion, kind] as const;
});

export const UNKNOWN_TYPE = ROOT.lookupType('meta.Unknown');

/**
 * How lists (and a few structs) merge: the facts kube keeps as Go struct tags and
 * `+listType` / `+listMapKey` markers in k8s.io/api, which the client-node attribute maps
 * do not carry. Strategic merge patch reads patchStrategy / patchMergeKey; server-side
 * apply reads listType / listMapKeys. They are published on the matching schema properties
 * as x-kubernetes-patch-strategy, x-kubernetes-patch-merge-key, x-kubernetes-list-type and
 * x-kubernetes-list-map-keys (openapi-schema.ts).
 *
 * Keyed by client-node model name, then by JSON field name. A list with no entry here is
 * atomic for server-side apply and replaced whole by strategic merge patch, as in kube.
 * Facts as of Kubernetes 1.34 (k8s.io/api core/v1, apps/v1, meta/v1 types).
 */

export type ListType = 'atomic' | 'set' | 'map';
export type PatchStrategy = 'merge' | 'retainKeys' | 'merge,retainKeys' | 'replace';

export interface ListFacts {
  patchStrategy?: PatchStrategy;
  patchMergeKey?: string;
  listType?: ListType;
  listMapKeys?: string[];
}

/** merge by `key` for both strategic merge patch and server-side apply (the common case) */
const mapBy = (key: string, ...moreKeys: string[]): ListFacts => ({
  patchStrategy: 'merge',
  patchMergeKey: key,
  listType: 'map',
  listMapKeys: [key, ...moreKeys],
});
const atomic: ListFacts = { listType: 'atomic' };
const mergeConditions = mapBy('type');

const CONTAINER: Record<string, ListFacts> = {
  command: atomic,
  args: atomic,
  ports: mapBy('containerPort', 'protocol'),
  envFrom: atomic,
  env: mapBy('name'),
  resizePolicy: atomic,
  volumeMounts: mapBy('mountPath'),
  volumeDevices: mapBy('devicePath'),
};

const WORKLOAD_STATUS: Record<string, ListFacts> = { conditions: mergeConditions };

export const LIST_FACTS: Record<string, Record<string, ListFacts>> = {
  // meta/v1
  V1ObjectMeta: {
    finalizers: { patchStrategy: 'merge', listType: 'set' },
    ownerReferences: mapBy('uid'),
    managedFields: atomic,
  },
  V1LabelSelector: { matchExpressions: atomic },
  V1LabelSelectorRequirement: { values: atomic },

  // core/v1 Pod
  V1PodSpec: {
    volumes: { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
    initContainers: mapBy('name'),
    containers: mapBy('name'),
    ephemeralContainers: mapBy('name'),
    imagePullSecrets: mapBy('name'),
    tolerations: atomic,
    hostAliases: mapBy('ip'),
    readinessGates: atomic,
    topologySpreadConstraints: mapBy('topologyKey', 'whenUnsatisfiable'),
    schedulingGates: mapBy('name'),
    resourceClaims: { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
  },
  V1Container: CONTAINER,
  V1EphemeralContainer: CONTAINER,
  V1PodStatus: {
    conditions: mergeConditions,
    hostIPs: { patchStrategy: 'merge', patchMergeKey: 'ip', listType: 'atomic' },
    podIPs: mapBy('ip'),
    initContainerStatuses: atomic,
    containerStatuses: atomic,
    ephemeralContainerStatuses: atomic,
    resourceClaimStatuses: { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
  },
  V1PodSecurityContext: { supplementalGroups: atomic, sysctls: atomic },
  V1Capabilities: { add: atomic, drop: atomic },
  V1ExecAction: { command: atomic },
  V1HostAlias: { hostnames: atomic },
  V1PodDNSConfig: { nameservers: atomic, searches: atomic, options: atomic },
  V1ResourceRequirements: { claims: { listType: 'map', listMapKeys: ['name'] } },
  V1NodeSelector: { nodeSelectorTerms: atomic },
  V1NodeSelectorTerm: { matchExpressions: atomic, matchFields: atomic },
  V1NodeSelectorRequirement: { values: atomic },
  V1NodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: atomic },
  V1PodAffinity: { requiredDuringSchedulingIgnoredDuringExecution: atomic, preferredDuringSchedulingIgnoredDuringExecution: atomic },
  V1PodAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: atomic, preferredDuringSchedulingIgnoredDuringExecution: atomic },
  V1PodAffinityTerm: { namespaces: atomic, matchLabelKeys: atomic, mismatchLabelKeys: atomic },
  V1TopologySpreadConstraint: { matchLabelKeys: atomic },
  V1ConfigMapVolumeSource: { items: atomic },
  V1SecretVolumeSource: { items: atomic },
  V1ProjectedVolumeSource: { sources: atomic },
  V1DownwardAPIVolumeSource: { items: atomic },

  // core/v1 Node
  V1NodeSpec: {
    podCIDRs: { patchStrategy: 'merge', listType: 'set' },
    taints: atomic,
  },
  V1NodeStatus: {
    conditions: mergeConditions,
    addresses: mapBy('type'),
    images: atomic,
    volumesInUse: atomic,
    volumesAttached: atomic,
  },

  // core/v1 Service, ServiceAccount, Namespace, PersistentVolumeClaim, Endpoints
  V1ServiceSpec: {
    ports: mapBy('port', 'protocol'),
    clusterIPs: atomic,
    externalIPs: atomic,
    loadBalancerSourceRanges: atomic,
    ipFamilies: atomic,
  },
  V1ServiceStatus: { conditions: mapBy('type') },
  V1LoadBalancerStatus: { ingress: atomic },
  V1ServiceAccount: {
    secrets: mapBy('name'),
    imagePullSecrets: atomic,
  },
  V1NamespaceSpec: { finalizers: atomic },
  V1NamespaceStatus: { conditions: mergeConditions },
  V1PersistentVolumeClaimSpec: { accessModes: atomic },
  V1PersistentVolumeClaimStatus: { accessModes: atomic, conditions: mergeConditions },
  V1EndpointSubset: { addresses: atomic, notReadyAddresses: atomic, ports: atomic },
  V1Endpoints: { subsets: atomic },

  // apps/v1
  V1DeploymentSpec: { strategy: { patchStrategy: 'retainKeys' } },
  V1DeploymentStatus: WORKLOAD_STATUS,
  V1ReplicaSetStatus: WORKLOAD_STATUS,
  V1StatefulSetStatus: WORKLOAD_STATUS,
  V1DaemonSetStatus: WORKLOAD_STATUS,
  V1StatefulSetSpec: { volumeClaimTemplates: atomic },

  // batch/v1
  V1JobStatus: { conditions: { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'atomic' } },
  V1CronJobStatus: { active: atomic },
};

export function listFacts(modelName: string, field: string): ListFacts | undefined {
  return LIST_FACTS[modelName]?.[field];
}

/** the facts as OpenAPI vendor extensions */
export function listFactExtensions(facts: ListFacts): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (facts.patchMergeKey) out['x-kubernetes-patch-merge-key'] = facts.patchMergeKey;
  if (facts.patchStrategy) out['x-kubernetes-patch-strategy'] = facts.patchStrategy;
  if (facts.listType) out['x-kubernetes-list-type'] = facts.listType;
  if (facts.listMapKeys) out['x-kubernetes-list-map-keys'] = [...facts.listMapKeys];
  return out;
}

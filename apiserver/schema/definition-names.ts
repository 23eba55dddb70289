/**
 * A client-node model class name → the definition id kube-apiserver gives the same type in
 * its OpenAPI documents, e.g.
 *
 *   V1Pod             → io.k8s.api.core.v1.Pod
 *   V1Deployment      → io.k8s.api.apps.v1.Deployment
 *   V1ObjectMeta      → io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta
 *   V1Scale           → io.k8s.api.autoscaling.v1.Scale
 *   EventsV1Event     → io.k8s.api.events.v1.Event
 *   V1CustomResourceDefinition → io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition
 *
 * Class names carry the version (V1, V1beta1, V2) but not the group, so the group is
 * learnt once from the package itself: each generated API class (AppsV1Api, CoreV1Api, …)
 * imports the models its operations take and return; those models, and every model they
 * reach through their fields, belong to that API's group. Core is walked first, so shared
 * types (PodTemplateSpec, ObjectReference, …) land in core as they do in kube. apimachinery's
 * meta/v1 types and the few kinds served under a foreign group (Scale, Eviction) come from
 * small tables below.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { attributesOf, modelsIn, packageGenDir, parseAttributeType } from './model-source.js';

const META = 'io.k8s.apimachinery.pkg.apis.meta';

/** the API class prefix (CoreV1Api → Core) → kube's definition package */
const API_PACKAGES: Record<string, string> = {
  Core: 'io.k8s.api.core',
  Apps: 'io.k8s.api.apps',
  Batch: 'io.k8s.api.batch',
  Autoscaling: 'io.k8s.api.autoscaling',
  Policy: 'io.k8s.api.policy',
  Networking: 'io.k8s.api.networking',
  Storage: 'io.k8s.api.storage',
  Discovery: 'io.k8s.api.discovery',
  Events: 'io.k8s.api.events',
  Coordination: 'io.k8s.api.coordination',
  Node: 'io.k8s.api.node',
  Scheduling: 'io.k8s.api.scheduling',
  Certificates: 'io.k8s.api.certificates',
  Admissionregistration: 'io.k8s.api.admissionregistration',
  Authentication: 'io.k8s.api.authentication',
  Authorization: 'io.k8s.api.authorization',
  Resource: 'io.k8s.api.resource',
  RbacAuthorization: 'io.k8s.api.rbac',
  Rbac: 'io.k8s.api.rbac',
  FlowcontrolApiserver: 'io.k8s.api.flowcontrol',
  Flowcontrol: 'io.k8s.api.flowcontrol',
  InternalApiserver: 'io.k8s.api.apiserverinternal',
  Storagemigration: 'io.k8s.api.storagemigration',
  Apiextensions: 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions',
  Apiregistration: 'io.k8s.kube-aggregator.pkg.apis.apiregistration',
};

/** apimachinery's meta/v1 types as the client names them (without the V1 prefix) */
const META_KINDS = new Set([
  'APIGroup',
  'APIGroupList',
  'APIResource',
  'APIResourceList',
  'APIVersions',
  'Condition',
  'DeleteOptions',
  'FieldSelectorRequirement',
  'GroupVersionForDiscovery',
  'LabelSelector',
  'LabelSelectorRequirement',
  'ListMeta',
  'ManagedFieldsEntry',
  'ObjectMeta',
  'OwnerReference',
  'Preconditions',
  'ServerAddressByClientCIDR',
  'Status',
  'StatusCause',
  'StatusDetails',
  'WatchEvent',
]);

/** kinds served by another group's API but defined in their own (kube's definition package) */
const FOREIGN_KINDS: Record<string, string> = {
  V1Scale: 'io.k8s.api.autoscaling',
  V1ScaleSpec: 'io.k8s.api.autoscaling',
  V1ScaleStatus: 'io.k8s.api.autoscaling',
  V1Eviction: 'io.k8s.api.policy',
};

const VERSIONED = /^(V\d+(?:(?:alpha|beta)\d+)?)([A-Z].*)$/;
const PREFIXED = /^([A-Z][a-z]+(?:[A-Z][a-z]+)*?)(V\d+(?:(?:alpha|beta)\d+)?)([A-Z].*)$/;
const API_FILE = /^([A-Z][a-z]+(?:[A-Z][a-z]+)*?)(V\d+(?:(?:alpha|beta)\d+)?)Api\.d\.ts$/;

let packagesByModel: Map<string, string> | undefined;

/** model name → definition package, learnt from the generated API classes (once) */
function modelPackages(): Map<string, string> {
  if (packagesByModel) return packagesByModel;
  const byModel = new Map<string, string>();
  const apisDir = join(packageGenDir(), 'apis');
  const roots: Array<{ pkg: string; models: string[] }> = [];
  for (const file of readdirSync(apisDir).sort()) {
    const m = API_FILE.exec(file);
    const pkg = m && API_PACKAGES[m[1]!];
    if (!pkg) continue;
    // the imports are the first lines; the rest of the file is operations
    const head = readFileSync(join(apisDir, file), 'utf8').slice(0, 20_000);
    const imported = [...head.matchAll(/import \{ (\w+) \} from '\.\.\/models\/\w+\.js';/g)].map((x) => x[1]!);
    roots.push({ pkg, models: imported });
  }
  // core first: types shared with other groups are core's in kube
  roots.sort((a, b) => Number(b.pkg === API_PACKAGES.Core) - Number(a.pkg === API_PACKAGES.Core));
  for (const { pkg, models } of roots) {
    const queue = [...models];
    while (queue.length) {
      const name = queue.shift()!;
      if (byModel.has(name)) continue;
      const attrs = attributesOf(name);
      if (!attrs) continue;
      byModel.set(name, pkg);
      for (const a of attrs) queue.push(...modelsIn(parseAttributeType(a.type)));
    }
  }
  packagesByModel = byModel;
  return byModel;
}

/** kube's definition id for a client-node model class name */
export function definitionId(modelName: string): string {
  const versioned = VERSIONED.exec(modelName);
  if (versioned) {
    const version = versioned[1]!.toLowerCase();
    const kind = versioned[2]!;
    if (META_KINDS.has(kind)) return `${META}.${version}.${kind}`;
    const pkg = FOREIGN_KINDS[modelName] ?? modelPackages().get(modelName);
    if (pkg) return `${pkg}.${version}.${kind}`;
    return `io.k8s.api.unknown.${version}.${kind}`;
  }
  const prefixed = PREFIXED.exec(modelName);
  if (prefixed && API_PACKAGES[prefixed[1]!]) {
    return `${API_PACKAGES[prefixed[1]!]}.${prefixed[2]!.toLowerCase()}.${prefixed[3]}`;
  }
  return modelName;
}

/**
 * The client-node model class for a kind, e.g. {apps, v1, Deployment} → V1Deployment,
 * {events.k8s.io, v1, Event} → EventsV1Event, {"", v1, Event} → CoreV1Event.
 */
export function modelNameForKind(group: string, version: string, kind: string, exists: (name: string) => boolean): string | undefined {
  const v = version.charAt(0).toUpperCase() + version.slice(1);
  const first = group === '' ? 'core' : group.split('.')[0]!;
  const groupPrefix = first.charAt(0).toUpperCase() + first.slice(1);
  for (const candidate of [`${groupPrefix}${v}${kind}`, `${v}${kind}`]) {
    if (exists(candidate)) return candidate;
  }
  return undefined;
}

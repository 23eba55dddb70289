/**
 * Discovery documents, built from the catalogue on every request (they are small, and CRDs
 * change the catalogue at run time):
 *
 *   aggregated (kubectl-contract §2.2)  /api, /apis → APIGroupDiscoveryList
 *   legacy (§2.3)                       /api → APIVersions, /apis → APIGroupList,
 *                                       /apis/G → APIGroup, /api/v1, /apis/G/V → APIResourceList
 *
 * Resources are sorted by name, as kube-apiserver lists them. A subresource whose kind
 * lives elsewhere (deployments/scale → autoscaling/v1 Scale, pods/eviction → policy/v1
 * Eviction) names its group and version; others speak the parent's kind.
 */
import type { Catalogue } from '../catalogue/catalogue.js';
import { apiVersionOf, type GroupVersionKind, type ResourceDef, type Verb } from '../catalogue/resource-def.js';

export interface APIResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  group?: string;
  version?: string;
  kind: string;
  verbs: Verb[];
  shortNames?: string[];
  categories?: string[];
}

export interface APIResourceList {
  kind: 'APIResourceList';
  apiVersion: 'v1';
  groupVersion: string;
  resources: APIResource[];
}

export interface GroupVersionForDiscovery {
  groupVersion: string;
  version: string;
}

export interface APIGroup {
  kind?: 'APIGroup';
  apiVersion?: 'v1';
  name: string;
  versions: GroupVersionForDiscovery[];
  preferredVersion: GroupVersionForDiscovery;
}

export interface APIGroupList {
  kind: 'APIGroupList';
  apiVersion: 'v1';
  groups: APIGroup[];
}

export interface APIVersions {
  kind: 'APIVersions';
  versions: string[];
  serverAddressByClientCIDRs: Array<{ clientCIDR: string; serverAddress: string }>;
}

export interface APISubresourceDiscovery {
  subresource: string;
  responseKind: GroupVersionKind;
  verbs: Verb[];
}

export interface APIResourceDiscovery {
  resource: string;
  responseKind: GroupVersionKind;
  scope: 'Namespaced' | 'Cluster';
  singularResource: string;
  verbs: Verb[];
  shortNames?: string[];
  categories?: string[];
  subresources?: APISubresourceDiscovery[];
}

export interface APIVersionDiscovery {
  version: string;
  resources: APIResourceDiscovery[];
  freshness: 'Current';
}

export interface APIGroupDiscovery {
  metadata: { name: string };
  versions: APIVersionDiscovery[];
}

export interface APIGroupDiscoveryList {
  kind: 'APIGroupDiscoveryList';
  apiVersion: string;
  metadata: Record<string, never>;
  items: APIGroupDiscovery[];
}

const byPlural = (a: ResourceDef, b: ResourceDef) => (a.plural < b.plural ? -1 : a.plural > b.plural ? 1 : 0);

const groupVersionOf = (group: string, version: string): GroupVersionForDiscovery => ({
  groupVersion: apiVersionOf({ group, version }),
  version,
});

/** the kind a subresource speaks: its own when declared, else the parent's */
const subresourceKind = (def: ResourceDef, sub: ResourceDef['subresources'][number]): GroupVersionKind =>
  sub.kind ?? { group: def.group, version: def.version, kind: def.kind };

// ---- legacy ----

export function apiResourceList(catalogue: Catalogue, group: string, version: string): APIResourceList | undefined {
  const defs = catalogue.inGroupVersion(group, version).sort(byPlural);
  if (!defs.length) return undefined;
  const resources: APIResource[] = [];
  for (const def of defs) {
    resources.push({
      name: def.plural,
      singularName: def.singular,
      namespaced: def.namespaced,
      kind: def.kind,
      verbs: [...def.verbs],
      ...(def.shortNames.length ? { shortNames: [...def.shortNames] } : {}),
      ...(def.categories.length ? { categories: [...def.categories] } : {}),
    });
    for (const sub of [...def.subresources].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const kind = subresourceKind(def, sub);
      const foreign = kind.group !== group || kind.version !== version;
      resources.push({
        name: `${def.plural}/${sub.name}`,
        singularName: '',
        namespaced: def.namespaced,
        ...(foreign ? { group: kind.group, version: kind.version } : {}),
        kind: kind.kind,
        verbs: [...sub.verbs],
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf({ group, version }), resources };
}

export function apiVersions(catalogue: Catalogue, serverAddress: string): APIVersions {
  return {
    kind: 'APIVersions',
    versions: [...(catalogue.groups().get('') ?? [])],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

export function apiGroup(catalogue: Catalogue, group: string): APIGroup | undefined {
  if (!group) return undefined;
  const versions = catalogue.groups().get(group);
  if (!versions?.length) return undefined;
  const gvs = versions.map((v) => groupVersionOf(group, v));
  return { name: group, versions: gvs, preferredVersion: gvs[0]! };
}

export function apiGroupList(catalogue: Catalogue): APIGroupList {
  const groups: APIGroup[] = [];
  for (const name of catalogue.groups().keys()) {
    const g = name ? apiGroup(catalogue, name) : undefined;
    if (g) groups.push(g);
  }
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

// ---- aggregated ----

function resourceDiscovery(def: ResourceDef): APIResourceDiscovery {
  const subresources = [...def.subresources]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((sub) => ({ subresource: sub.name, responseKind: { ...subresourceKind(def, sub) }, verbs: [...sub.verbs] }));
  return {
    resource: def.plural,
    responseKind: { group: def.group, version: def.version, kind: def.kind },
    scope: def.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: def.singular,
    verbs: [...def.verbs],
    ...(def.shortNames.length ? { shortNames: [...def.shortNames] } : {}),
    ...(def.categories.length ? { categories: [...def.categories] } : {}),
    ...(subresources.length ? { subresources } : {}),
  };
}

function groupDiscovery(catalogue: Catalogue, group: string, versions: string[]): APIGroupDiscovery {
  return {
    metadata: { name: group },
    // the first version is the preferred one
    versions: versions.map((version) => ({
      version,
      resources: catalogue.inGroupVersion(group, version).sort(byPlural).map(resourceDiscovery),
      freshness: 'Current',
    })),
  };
}

/** `/api` (core only: `legacy` = true) or `/apis` (every named group) */
export function aggregatedDiscovery(catalogue: Catalogue, legacyCore: boolean, form: 'v2' | 'v2beta1'): APIGroupDiscoveryList {
  const items: APIGroupDiscovery[] = [];
  for (const [group, versions] of catalogue.groups()) {
    if ((group === '') === legacyCore) items.push(groupDiscovery(catalogue, group, versions));
  }
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${form}`, metadata: {}, items };
}

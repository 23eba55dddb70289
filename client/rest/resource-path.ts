/**
 * URLs of a kind's endpoints, kube's layout:
 *   core:    /api/v1/namespaces/<ns>/<resource>/<name>/<subresource>
 *   groups:  /apis/<group>/<version>/namespaces/<ns>/<resource>/<name>/<subresource>
 * Cluster-scoped kinds, and namespaced kinds listed across all namespaces, leave out
 * `namespaces/<ns>`. Names are percent-encoded (they may hold ':' as in
 * system:node:x, which is legal in a path but '/' or '%' would not be).
 */
import type { ResourceMapping } from '../types.js';

export interface PathParts {
  namespace?: string;
  name?: string;
  subresource?: string;
}

export function groupVersionPath(group: string, version: string): string {
  return group ? `/apis/${group}/${version}` : `/api/${version}`;
}

export function resourcePath(mapping: ResourceMapping, parts: PathParts = {}): string {
  let path = groupVersionPath(mapping.group, mapping.version);
  if (mapping.namespaced && parts.namespace) path += `/namespaces/${encodeURIComponent(parts.namespace)}`;
  path += `/${mapping.resource}`;
  if (parts.name !== undefined) {
    if (parts.name === '') throw new Error(`${mapping.kind}: the name must not be empty`);
    path += `/${encodeURIComponent(parts.name)}`;
  }
  if (parts.subresource) path += `/${parts.subresource}`;
  return path;
}

/** apiVersion 'v1' → core group; 'apps/v1' → group apps */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const parts = apiVersion.split('/');
  if (parts.length === 1 && parts[0]) return { group: '', version: parts[0] };
  if (parts.length === 2 && parts[0] && parts[1]) return { group: parts[0], version: parts[1] };
  throw new Error(`apiVersion ${JSON.stringify(apiVersion)} is not "version" or "group/version"`);
}

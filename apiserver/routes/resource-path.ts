/**
 * Resolves a resource URL against the catalogue, as kube-apiserver's request info does:
 *   /api/v1/pods                                  every namespace
 *   /api/v1/namespaces/NS/pods[/NAME[/SUB…]]      one namespace
 *   /api/v1/nodes[/NAME[/SUB…]]                   cluster-scoped
 *   /api/v1/namespaces[/NAME[/SUB]]               namespaces themselves (status, finalize)
 *   /apis/GROUP/VERSION/…                         the same under a group
 */
import type { Catalogue } from '../catalogue/catalogue.js';
import type { ResourceDef } from '../catalogue/resource-def.js';
import { apiErrors } from '../errors/api-error.js';

export interface ResourcePath {
  def: ResourceDef;
  /** '' for cluster-scoped resources and for lists across all namespaces */
  namespace: string;
  name?: string;
  subresource?: string;
  /** anything after the subresource (proxy paths) */
  rest?: string;
}

export function resolveResourcePath(catalogue: Catalogue, url: string): ResourcePath {
  const path = url.split('?')[0]!;
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  let group = '';
  let version: string | undefined;
  let rest: string[];
  if (parts[0] === 'api') {
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis') {
    group = parts[1] ?? '';
    version = parts[2];
    rest = parts.slice(3);
  } else {
    throw notFound();
  }
  if (!version || rest.length === 0) throw notFound();
  const find = (plural: string) => catalogue.resource(group, version!, plural);

  let namespace = '';
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const nested = find(rest[2]!);
    if (nested?.namespaced) {
      namespace = rest[1]!;
      rest = rest.slice(2);
    }
  }
  const def = find(rest[0]!);
  if (!def) throw notFound();
  const [, name, subresource, ...more] = rest;
  if (subresource !== undefined && !def.subresources.some((s) => s.name === subresource)) throw notFound();
  return {
    def,
    namespace,
    ...(name !== undefined ? { name } : {}),
    ...(subresource !== undefined ? { subresource } : {}),
    ...(more.length ? { rest: more.join('/') } : {}),
  };
}

const notFound = () => apiErrors.notFoundPath();

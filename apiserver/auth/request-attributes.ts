/**
 * What a request asks to do, in kube's authorization vocabulary (authorizer.Attributes):
 * the verb, and for a resource request the API group, version, namespace, resource,
 * subresource and name. A port of kube-apiserver's RequestInfoFactory, so an
 * authorizer (and later RBAC rules) sees exactly what kube's would:
 *
 *   GET    /api/v1/namespaces/default/pods             list pods in default
 *   GET    /api/v1/namespaces/default/pods?watch=1     watch
 *   GET    /api/v1/watch/namespaces/default/pods       watch (the old path form)
 *   GET    /apis/apps/v1/namespaces/x/deployments/web  get deployments "web" in group apps
 *   PUT    /api/v1/namespaces/x/pods/p/status          update, subresource status
 *   DELETE /api/v1/namespaces/x/pods                   deletecollection
 *   GET    /api/v1/namespaces/x                        get namespaces "x", namespace "x" (as kube says)
 *   GET    /healthz, /api, /apis/apps/v1               non-resource: verb is the method
 *
 * A list or watch whose fieldSelector pins metadata.name counts as a request for that
 * name (so "may get/watch this one object" rules work for informers on one object).
 */
import type { UserInfo } from './user.js';

export interface RequestInfo {
  /** false for /healthz, /version, discovery (/api, /apis/G/V) and other non-resource paths */
  isResourceRequest: boolean;
  /** the URL path, percent-decoded, without the query */
  path: string;
  /** resource requests: get list watch create update patch delete deletecollection proxy;
   *  non-resource requests: the lowercased HTTP method (get, post, put, …) */
  verb: string;
  /** '' for the core group (/api) */
  apiGroup: string;
  apiVersion: string;
  /** '' when cluster-scoped; a request for namespace x itself has namespace x (kube does the same) */
  namespace: string;
  /** plural, e.g. "pods" */
  resource: string;
  subresource: string;
  name: string;
}

export interface RequestAttributes extends RequestInfo {
  user: UserInfo;
}

const API_PREFIXES = new Set(['api', 'apis']);
const GROUPLESS_PREFIXES = new Set(['api']);
/** /api/v1/watch/… and /api/v1/proxy/…: the verb is in the path */
const SPECIAL_VERBS = new Set(['proxy', 'watch']);
/** subresources of a namespace: /namespaces/x/status is the namespace's status, not a resource "status" in x */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

const METHOD_VERBS: Record<string, string> = { POST: 'create', GET: 'get', HEAD: 'get', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

function decodePath(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** Go's ParameterCodec reads a bool as true unless it is "0" or "false". */
const queryTrue = (value: string) => value !== '0' && value.toLowerCase() !== 'false';

/** The name a field selector pins exactly (metadata.name=x or ==x), if any. */
function nameFromFieldSelector(selector: string | null): string | undefined {
  if (!selector) return undefined;
  for (const term of selector.split(',')) {
    const match = /^\s*metadata\.name\s*==?\s*(.*?)\s*$/.exec(term);
    if (!match) continue;
    const name = match[1]!;
    // kube's path.IsValidPathSegmentName: usable as one URL path segment
    if (name === '' || name === '.' || name === '..' || /[/%]/.test(name)) return undefined;
    return name;
  }
  return undefined;
}

/** `url` is the request target as received: path and optional query. */
export function parseRequestInfo(method: string, url: string): RequestInfo {
  const queryAt = url.indexOf('?');
  const path = decodePath(queryAt === -1 ? url : url.slice(0, queryAt));
  const query = new URLSearchParams(queryAt === -1 ? '' : url.slice(queryAt + 1));
  const info: RequestInfo = {
    isResourceRequest: false,
    path,
    verb: method.toLowerCase(),
    apiGroup: '',
    apiVersion: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
  };

  const trimmed = path.replace(/^\/+|\/+$/g, '');
  let parts = trimmed === '' ? [] : trimmed.split('/');
  if (parts.length < 3 || !API_PREFIXES.has(parts[0]!)) return info;
  const prefix = parts[0]!;
  parts = parts.slice(1);
  let apiGroup = '';
  if (!GROUPLESS_PREFIXES.has(prefix)) {
    if (parts.length < 3) return info; // /apis/G/V is discovery
    apiGroup = parts[0]!;
    parts = parts.slice(1);
  }
  const apiVersion = parts[0]!;
  parts = parts.slice(1);

  let verb: string;
  if (SPECIAL_VERBS.has(parts[0]!)) {
    // kube answers "unable to determine kind and namespace" here; as a non-resource
    // request it is authorized by path and then simply not found
    if (parts.length < 2) return info;
    verb = parts[0]!;
    parts = parts.slice(1);
  } else {
    verb = METHOD_VERBS[method.toUpperCase()] ?? '';
  }

  let namespace = '';
  if (parts[0] === 'namespaces') {
    if (parts.length > 1) {
      namespace = parts[1]!;
      if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2]!)) parts = parts.slice(2);
    }
  }

  // parts is now resource/name/subresource/…
  const resource = parts[0] ?? '';
  let name = parts[1] ?? '';
  const subresource = verb !== 'proxy' ? (parts[2] ?? '') : '';

  if (name === '' && verb === 'get') {
    const watch = query.get('watch');
    verb = watch !== null && queryTrue(watch) ? 'watch' : 'list';
    name = nameFromFieldSelector(query.get('fieldSelector')) ?? '';
  }
  if (name === '' && verb === 'delete') verb = 'deletecollection';

  return { isResourceRequest: true, path, verb, apiGroup, apiVersion, namespace, resource, subresource, name };
}

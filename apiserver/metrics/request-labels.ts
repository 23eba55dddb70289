/**
 * The labels kube-apiserver puts on apiserver_request_total and
 * apiserver_request_duration_seconds, derived from the request's RequestInfo
 * (auth/request-attributes.ts, the same classification the authorizer sees):
 *
 *   verb         upper case, as kube's installer reports it: GET (one object), LIST,
 *                WATCH, POST (create), PUT (update), PATCH, APPLY (a PATCH with
 *                application/apply-patch+yaml), DELETE, DELETECOLLECTION, CONNECT
 *                (log, exec, attach, portforward, proxy subresources); for a
 *                non-resource request the method (HEAD reads as GET); anything else "other"
 *   dry_run      "All" when the request asks for a dry run, else ''
 *   group, version, resource, subresource
 *                for a non-resource request group/version/resource are '' and
 *                subresource is the route (kube: the path, e.g. "/readyz")
 *   scope        resource (one named object, or a create), namespace, cluster; '' for
 *                non-resource requests
 *   component    "apiserver" for resource requests, '' for non-resource ones (kube
 *                instruments health and other non-resource handlers with no component)
 *
 * Label values must stay a bounded set: a resource request for something the catalogue
 * does not serve (a 404 before any handler, in kube) keeps only its verb, and an unknown
 * subresource is reported as ''. Non-resource requests are labelled by their route
 * pattern, never by the raw path; unmatched paths get ''.
 */
import { parseRequestInfo, type RequestInfo } from '../auth/request-attributes.js';

export interface RequestLabels {
  verb: string;
  dry_run: string;
  group: string;
  version: string;
  resource: string;
  subresource: string;
  scope: string;
  component: string;
}

export interface RequestClass {
  labels: RequestLabels;
  /** WATCH and CONNECT: kube keeps them out of the in-flight counts */
  longRunning: boolean;
  /** for apiserver_current_inflight_requests{request_kind}: anything but get/list/watch */
  mutating: boolean;
}

/** Is this group/version/resource (and, when not '', subresource) served? */
export type ResourceLookup = (group: string, version: string, resource: string, subresource: string) => 'known' | 'unknown-subresource' | 'unknown';

export interface RequestToClassify {
  method: string;
  /** the request target as received: path and optional query */
  url: string;
  /** the Content-Type header, if any */
  contentType?: string | undefined;
  /** the matched route's pattern; undefined when no route matched (404) */
  route?: string | undefined;
}

export const APISERVER_COMPONENT = 'apiserver';
export const OTHER_VERB = 'other';
const APPLY_PATCH_TYPE = 'application/apply-patch+yaml';

/** kube's validRequestMethods: verbs reported as themselves, all others as "other" */
const VALID_VERBS = new Set([
  'APPLY', 'CONNECT', 'CREATE', 'DELETE', 'DELETECOLLECTION', 'GET', 'LIST', 'PATCH', 'POST', 'PROXY', 'PUT', 'UPDATE', 'WATCH', 'WATCHLIST',
]);
/** kube's validConnectRequests: requests to these subresources are reported as CONNECT */
const CONNECT_SUBRESOURCES = new Set(['log', 'exec', 'portforward', 'attach', 'proxy']);
/** RequestInfo verb -> the verb kube's installer reports */
const RESOURCE_VERBS: Record<string, string> = {
  get: 'GET',
  list: 'LIST',
  watch: 'WATCH',
  create: 'POST',
  update: 'PUT',
  patch: 'PATCH',
  delete: 'DELETE',
  deletecollection: 'DELETECOLLECTION',
  proxy: 'PROXY',
};
const READ_ONLY_VERBS = new Set(['get', 'list', 'watch', 'head']);

/** kube's CleanScope */
export function scopeOf(info: RequestInfo): string {
  if (info.name !== '' || info.verb === 'create') return 'resource';
  if (info.namespace !== '') return 'namespace';
  if (info.isResourceRequest) return 'cluster';
  return '';
}

function dryRunOf(url: string): string {
  const queryAt = url.indexOf('?');
  if (queryAt === -1 || !url.includes('dryRun', queryAt)) return '';
  const values = new URLSearchParams(url.slice(queryAt + 1)).getAll('dryRun');
  // kube passes any value through (the handler rejects all but "All"); keep the set bounded
  return values.includes('All') ? 'All' : '';
}

const mediaType = (contentType: string | undefined) => (contentType ?? '').split(';')[0]!.trim().toLowerCase();

function resourceVerb(info: RequestInfo, contentType: string | undefined): string {
  let verb = RESOURCE_VERBS[info.verb] ?? OTHER_VERB;
  if (verb === 'PATCH' && mediaType(contentType) === APPLY_PATCH_TYPE) verb = 'APPLY';
  if (info.subresource !== '' && CONNECT_SUBRESOURCES.has(info.subresource)) verb = 'CONNECT';
  return VALID_VERBS.has(verb) ? verb : OTHER_VERB;
}

function nonResourceVerb(method: string): string {
  const verb = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  return VALID_VERBS.has(verb) ? verb : OTHER_VERB;
}

/** Classify one request for the request metrics; `lookup` omitted: no resource is known. */
export function classifyRequest(request: RequestToClassify, lookup?: ResourceLookup): RequestClass {
  const info = parseRequestInfo(request.method, request.url);
  const dry_run = dryRunOf(request.url);
  const mutating = !READ_ONLY_VERBS.has(info.verb);
  const known = info.isResourceRequest ? (lookup?.(info.apiGroup, info.apiVersion, info.resource, info.subresource) ?? 'unknown') : 'unknown';

  if (!info.isResourceRequest || known === 'unknown') {
    const verb = info.isResourceRequest ? resourceVerb({ ...info, subresource: '' }, request.contentType) : nonResourceVerb(request.method);
    const labels = { verb, dry_run, group: '', version: '', resource: '', subresource: info.isResourceRequest ? '' : (request.route ?? ''), scope: '', component: '' };
    return { labels, longRunning: false, mutating };
  }

  const subresource = known === 'known' ? info.subresource : '';
  const verb = resourceVerb({ ...info, subresource }, request.contentType);
  const labels = {
    verb,
    dry_run,
    group: info.apiGroup,
    version: info.apiVersion,
    resource: info.resource,
    subresource,
    scope: scopeOf(info),
    component: APISERVER_COMPONENT,
  };
  return { labels, longRunning: verb === 'WATCH' || verb === 'CONNECT', mutating };
}

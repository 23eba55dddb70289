/**
 * Response content negotiation, kube's way (apiserver/pkg/endpoints/handlers/negotiation):
 * walk the Accept header's media ranges best first; the first one we can serve wins,
 * parameters included; if none fits, 406 NotAcceptable.
 *
 *   kubectl get:      application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json
 *                     → JSON, Table v1
 *   -o json:          application/json                                   → JSON, the object/list as is
 *   helpers, --raw:   application/json, *\/*                               → JSON
 *   protobuf clients: application/vnd.kubernetes.protobuf,application/json → JSON (we never encode protobuf)
 *   metadata informers (GC): application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1 → JSON, PartialObjectMetadataList
 *
 * Parameters, as kube reads them: `as`/`g`/`v` ask for a conversion, allowed only to
 * meta.k8s.io v1|v1beta1 Table (JSON or YAML), PartialObjectMetadata (one object, watch
 * events) and PartialObjectMetadataList (lists, watch); a range asking for anything else is
 * skipped, not fatal. `stream` may only be "watch"; `pretty=1` asks for indentation; other
 * parameters (charset, …) are ignored. Ranges with q=0 are refused by the client and skipped.
 * We serve application/json and application/yaml (not on watch: YAML has no stream framing).
 */
import { ApiError } from '../errors/api-error.js';
import type { MetaVersion } from '../table/partial-object-metadata.js';

export interface MediaRange {
  /** lower-cased; '*' for a wildcard */
  type: string;
  subtype: string;
  /** parameter names lower-cased, values unquoted; q is not among them */
  params: Record<string, string>;
  q: number;
}

/**
 * Split an Accept header into media ranges, best first: by q (descending), then specific
 * before wildcard, otherwise in header order (goautoneg's order, which kube uses).
 * Malformed ranges are dropped.
 */
export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header) return [];
  const ranges: Array<MediaRange & { index: number }> = [];
  splitOutsideQuotes(header, ',').forEach((part, index) => {
    const [range, ...paramParts] = splitOutsideQuotes(part, ';').map((s) => s.trim());
    if (!range) return;
    let type: string;
    let subtype: string;
    if (range === '*') {
      type = '*';
      subtype = '*';
    } else {
      const slash = range.indexOf('/');
      if (slash <= 0 || slash === range.length - 1) return;
      type = range.slice(0, slash).trim().toLowerCase();
      subtype = range.slice(slash + 1).trim().toLowerCase();
      if (type === '*' && subtype !== '*') return;
    }
    const params: Record<string, string> = {};
    let q = 1;
    for (const p of paramParts) {
      const eq = p.indexOf('=');
      if (eq <= 0) continue;
      const name = p.slice(0, eq).trim().toLowerCase();
      const value = unquote(p.slice(eq + 1).trim());
      if (name === 'q') {
        const n = Number(value);
        if (value !== '' && Number.isFinite(n)) q = Math.min(Math.max(n, 0), 1);
      } else {
        params[name] = value;
      }
    }
    ranges.push({ type, subtype, params, q, index });
  });
  const specificity = (r: MediaRange) => (r.type === '*' ? 0 : r.subtype === '*' ? 1 : 2);
  ranges.sort((a, b) => b.q - a.q || specificity(b) - specificity(a) || a.index - b.index);
  return ranges.map(({ index: _index, ...r }) => r);
}

function splitOutsideQuotes(s: string, separator: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"' && s[i - 1] !== '\\') quoted = !quoted;
    else if (c === separator && !quoted) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(s.slice(start));
  return parts;
}

const unquote = (v: string) => (v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1).replace(/\\(.)/g, '$1') : v);

// ---------------------------------------------------------------------------------------

export type ResponseMediaType = 'application/json' | 'application/yaml';

/** what to send: the object (or list) as stored, or one of meta.k8s.io's conversions */
export type ResponseTarget =
  | { as: 'Object' }
  | { as: 'Table'; version: MetaVersion }
  | { as: 'PartialObjectMetadata'; version: MetaVersion }
  | { as: 'PartialObjectMetadataList'; version: MetaVersion };

export interface NegotiatedResponse {
  /** also the reply's Content-Type */
  mediaType: ResponseMediaType;
  target: ResponseTarget;
  /** `pretty=1` was asked for */
  pretty: boolean;
}

/**
 * What the request reads: one object (get, and the replies of create/update/patch/delete),
 * a list, or a watch stream. It decides which conversions make sense.
 */
export type Endpoint = 'object' | 'list' | 'watch';

const SERVED: Record<Endpoint, readonly ResponseMediaType[]> = {
  object: ['application/json', 'application/yaml'],
  list: ['application/json', 'application/yaml'],
  watch: ['application/json'],
};

const CONVERSIONS: Record<Endpoint, ReadonlySet<string>> = {
  object: new Set(['Table', 'PartialObjectMetadata']),
  list: new Set(['Table', 'PartialObjectMetadataList']),
  // watch events carry single objects; metadata informers send either kind
  watch: new Set(['Table', 'PartialObjectMetadata', 'PartialObjectMetadataList']),
};

const META_GROUP = 'meta.k8s.io';

function rangeCovers(range: MediaRange, mediaType: ResponseMediaType): boolean {
  const [type, subtype] = mediaType.split('/') as [string, string];
  return (range.type === '*' && range.subtype === '*') || (range.type === type && (range.subtype === '*' || range.subtype === subtype));
}

/** the range's parameters as a response, or undefined when we cannot honour them */
function acceptParams(params: Record<string, string>, mediaType: ResponseMediaType, endpoint: Endpoint): NegotiatedResponse | undefined {
  if (params.stream !== undefined && params.stream !== '' && params.stream !== 'watch') return undefined;
  const pretty = params.pretty === '1';
  const asKind = params.as;
  if (asKind === undefined && params.g === undefined && params.v === undefined) return { mediaType, target: { as: 'Object' }, pretty };
  const version = params.v;
  if (params.g !== META_GROUP || (version !== 'v1' && version !== 'v1beta1') || asKind === undefined) return undefined;
  if (!CONVERSIONS[endpoint].has(asKind)) return undefined;
  if (asKind === 'Table') return { mediaType, target: { as: 'Table', version }, pretty };
  if (asKind === 'PartialObjectMetadata' || asKind === 'PartialObjectMetadataList') return { mediaType, target: { as: asKind, version }, pretty };
  return undefined;
}

/**
 * Decide the response form for an Accept header. No header (or an empty one) means JSON as
 * is. Throws ApiError NotAcceptable (406) with kube's wording when nothing fits:
 * `only the following media types are accepted: application/json, application/yaml`.
 */
export function negotiateResponse(accept: string | undefined, endpoint: Endpoint): NegotiatedResponse {
  const served = SERVED[endpoint];
  if (!accept || !accept.trim()) return { mediaType: served[0]!, target: { as: 'Object' }, pretty: false };
  for (const range of parseAccept(accept)) {
    if (range.q <= 0) continue;
    for (const mediaType of served) {
      if (!rangeCovers(range, mediaType)) continue;
      const decided = acceptParams(range.params, mediaType, endpoint);
      if (decided) return decided;
    }
  }
  throw notAcceptable(served);
}

export const notAcceptable = (served: readonly string[]) =>
  new ApiError('NotAcceptable', `only the following media types are accepted: ${served.join(', ')}`);

// ---------------------------------------------------------------------------------------
// Discovery (kubectl-contract §2.1): aggregated v2 / v2beta1 when asked for, else legacy.
// ---------------------------------------------------------------------------------------

export interface DiscoveryForm {
  form: 'v2' | 'v2beta1' | 'legacy';
  /** the reply's Content-Type: kubectl picks its decoder from it */
  contentType: string;
}

/**
 * /api and /apis: `application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList`
 * (or v2beta1) in the Accept header selects the aggregated form; anything else the legacy
 * APIVersions/APIGroupList. Best range first, as for every response.
 */
export function negotiateDiscovery(accept: string | undefined): DiscoveryForm {
  for (const range of parseAccept(accept)) {
    if (range.q <= 0 || !rangeCovers(range, 'application/json')) continue;
    const { as, g, v } = range.params;
    if (as === undefined && g === undefined && v === undefined) break;
    if (as === 'APIGroupDiscoveryList' && g === 'apidiscovery.k8s.io' && (v === 'v2' || v === 'v2beta1'))
      return { form: v, contentType: `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList` };
  }
  return { form: 'legacy', contentType: 'application/json' };
}

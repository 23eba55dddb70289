/**
 * HTTP for metrics.k8s.io/v1beta1 — the paths metrics-server serves behind its
 * APIService, here in the API server itself:
 *
 *   GET /apis/metrics.k8s.io/v1beta1/nodes[/NAME]
 *   GET /apis/metrics.k8s.io/v1beta1/pods                        (every namespace)
 *   GET /apis/metrics.k8s.io/v1beta1/namespaces/NS/pods[/NAME]
 *
 * with labelSelector and fieldSelector (metadata.name, metadata.namespace) on lists, and
 * the usual responses: JSON or YAML, a Table for kubectl get, PartialObjectMetadata.
 * Lists have empty metadata (no resourceVersion: nothing is stored), as metrics-server's.
 *
 * Why routes of their own: the generic resource routes serve stored objects, and these
 * are computed. Fastify picks these static paths over the generic `/apis/*`; every other
 * request on the group (writes, unknown paths) still reaches the generic handler, which
 * answers 405/404 from the catalogue entries (metrics-kinds.ts). Authentication and
 * authorization run first for these routes like for every other (onRequest hooks).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { stringify as toYaml } from 'yaml';
import type { Catalogue } from '../../catalogue/catalogue.js';
import type { KubeObject, ResourceDef, SubresourceRegistry } from '../../catalogue/resource-def.js';
import type { ServerServices } from '../../catalogue/server-services.js';
import { ApiError, apiErrors } from '../../errors/api-error.js';
import { negotiateResponse, type NegotiatedResponse } from '../../http/accept.js';
import { boolParam, checkResourceVersionParam, parseListQuery } from '../../routes/list-query.js';
import { asPartialObjectMetadata, asPartialObjectMetadataList } from '../../table/partial-object-metadata.js';
import { buildTable, parseIncludeObject } from '../../table/table.js';
import { METRICS_API_VERSION, withTypeMeta } from './metrics-from-summary.js';
import { nodeMetricsKind, podMetricsKind } from './metrics-kinds.js';
import { getNodeMetrics, getPodMetrics, listNodeMetrics, listPodMetrics, type MetricsSource } from './metrics-reader.js';
import { kubeletSummaryScraper, type SummaryScraper } from './scrape-kubelet.js';

/** the window kubelets average CPU rates over: their sampling interval (kube: 10 s) */
export const DEFAULT_METRICS_WINDOW_MS = 10_000;

export interface MetricsRouteOptions {
  catalogue: Catalogue;
  registry: Pick<SubresourceRegistry, 'get' | 'list'>;
  services?: ServerServices;
  now?: () => Date;
  windowMs?: number;
  scrapeTimeoutMs?: number;
  /** replaces the TLS kubelet client (tests) */
  scrape?: SummaryScraper;
}

type Query = Record<string, string | string[] | undefined>;
const PREFIX = `/apis/${METRICS_API_VERSION}`;

export function registerMetricsRoutes(app: FastifyInstance, opts: MetricsRouteOptions): void {
  const now = opts.now ?? (() => new Date());
  const scrape = opts.scrape ?? scraperOf(opts, app);

  const defOf = (kind: string): ResourceDef => {
    const def = opts.catalogue.kind({ group: '', version: 'v1', kind });
    if (!def) throw apiErrors.internal(`the catalogue has no v1 ${kind}`);
    return def;
  };
  const orUndefined = async (read: Promise<KubeObject>) => {
    try {
      return await read;
    } catch (err) {
      if (err instanceof ApiError && err.reason === 'NotFound') return undefined;
      throw err;
    }
  };
  const source: MetricsSource = {
    listNodes: () => opts.registry.list(defOf('Node'), ''),
    getNode: (name) => orUndefined(opts.registry.get(defOf('Node'), '', name)),
    listPods: (namespace) => opts.registry.list(defOf('Pod'), namespace),
    getPod: (namespace, name) => orUndefined(opts.registry.get(defOf('Pod'), namespace, name)),
    scrape,
    now,
    windowMs: opts.windowMs ?? DEFAULT_METRICS_WINDOW_MS,
  };

  // the query is read (and refused when malformed) as the generic list and get read it;
  // paging does not apply: every list is whole, as metrics-server's
  const list = (def: ResourceDef, read: (namespace: string, matches: ((o: KubeObject) => boolean) | undefined) => Promise<KubeObject[]>) => async (request: FastifyRequest, reply: FastifyReply) => {
    const query = request.query as Query;
    refuseWatch(query);
    const namespace = (request.params as Record<string, string | undefined>)['namespace'] ?? '';
    const { list: parsed } = parseListQuery(def, namespace, query, 0);
    return sendList(request, reply, def, await read(namespace, parsed.matches), now());
  };
  const get = (def: ResourceDef, read: (params: Record<string, string>) => Promise<KubeObject>) => async (request: FastifyRequest, reply: FastifyReply) => {
    const query = request.query as Query;
    refuseWatch(query);
    checkResourceVersionParam(single(query, 'resourceVersion'));
    return sendObject(request, reply, def, await read(request.params as Record<string, string>), now());
  };

  app.get(`${PREFIX}/nodes`, list(nodeMetricsKind, (_ns, m) => listNodeMetrics(source, m)));
  app.get(`${PREFIX}/nodes/:name`, get(nodeMetricsKind, (p) => getNodeMetrics(source, p['name']!)));
  app.get(`${PREFIX}/pods`, list(podMetricsKind, (ns, m) => listPodMetrics(source, ns, m)));
  app.get(`${PREFIX}/namespaces/:namespace/pods`, list(podMetricsKind, (ns, m) => listPodMetrics(source, ns, m)));
  app.get(`${PREFIX}/namespaces/:namespace/pods/:name`, get(podMetricsKind, (p) => getPodMetrics(source, p['namespace']!, p['name']!)));
}

function scraperOf(opts: MetricsRouteOptions, app: FastifyInstance): SummaryScraper {
  const credentials = opts.services?.kubeletClient;
  // without a kubelet client the API server cannot reach kubelets: no metrics at all
  if (!credentials) return async () => undefined;
  return kubeletSummaryScraper({
    credentials,
    ...(opts.scrapeTimeoutMs !== undefined ? { timeoutMs: opts.scrapeTimeoutMs } : {}),
    onFailure: (node, err) => app.log.warn({ err, node }, 'metrics: a kubelet could not be scraped; its node is left out'),
  });
}

const single = (q: Query, key: string): string | undefined => {
  const v = q[key];
  return Array.isArray(v) ? v[0] : v;
};

function refuseWatch(query: Query) {
  if (boolParam(query, 'watch')) throw apiErrors.methodNotAllowed('the server does not allow this method on the requested resource');
}

function send(reply: FastifyReply, n: NegotiatedResponse, body: unknown) {
  reply.type(n.mediaType);
  if (n.mediaType === 'application/yaml') return reply.send(toYaml(body));
  return reply.send(n.pretty ? JSON.stringify(body, null, 2) : JSON.stringify(body));
}

const includeObjectOf = (request: FastifyRequest) => parseIncludeObject((request.query as Record<string, string | undefined>).includeObject);

function sendObject(request: FastifyRequest, reply: FastifyReply, def: ResourceDef, obj: KubeObject, now: Date) {
  const n = negotiateResponse(request.headers.accept, 'object');
  const t = n.target;
  const typed = withTypeMeta(def.kind, obj);
  if (t.as === 'Table') return send(reply, n, buildTable(def, [typed], { now, includeObject: includeObjectOf(request), version: t.version, listMeta: {} }));
  if (t.as === 'PartialObjectMetadata') return send(reply, n, asPartialObjectMetadata(typed, t.version));
  return send(reply, n, typed);
}

function sendList(request: FastifyRequest, reply: FastifyReply, def: ResourceDef, items: KubeObject[], now: Date) {
  const n = negotiateResponse(request.headers.accept, 'list');
  const t = n.target;
  if (t.as === 'Table') return send(reply, n, buildTable(def, items, { now, includeObject: includeObjectOf(request), version: t.version, listMeta: {} }));
  if (t.as === 'PartialObjectMetadataList') return send(reply, n, asPartialObjectMetadataList(items, {}, t.version));
  return send(reply, n, { kind: `${def.kind}List`, apiVersion: METRICS_API_VERSION, metadata: {}, items });
}

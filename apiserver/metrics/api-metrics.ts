/**
 * GET /metrics: kube-apiserver's core metrics in the Prometheus text exposition format
 * (text/plain; version=0.0.4):
 *
 *   apiserver_request_total{verb,dry_run,group,version,resource,subresource,scope,component,code}
 *   apiserver_request_duration_seconds{verb,dry_run,group,version,resource,subresource,scope,component}
 *       (kube's buckets, 5 ms to 60 s)
 *   apiserver_current_inflight_requests{request_kind="readOnly"|"mutating"}
 *       (requests being served now; WATCH and CONNECT excluded, as in kube)
 *   process_resident_memory_bytes, process_start_time_seconds
 *
 * Labels come from request-labels.ts. A request is counted once, when its response is
 * done: on the onResponse hook, or — for a hijacked watch whose client went away, so no
 * response ever 'finish'es — when the response closes. WATCH durations are therefore
 * the stream's lifetime.
 *
 * Who may read /metrics: any authenticated user (the authorizer runs for every request;
 * anonymous callers only get the public health and version paths).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
// prom-client (pinned) is the Prometheus client every Node project uses; we only ever use
// per-app Registry instances, never its global default registry: one process can run
// several clusters, each with its own API server and so its own metrics.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Catalogue } from '../catalogue/catalogue.js';
import { classifyRequest, type RequestClass, type ResourceLookup } from './request-labels.js';

/** kube-apiserver's apiserver_request_duration_seconds buckets */
export const REQUEST_DURATION_BUCKETS: readonly number[] = [
  0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60,
];

const REQUEST_LABELS = ['verb', 'dry_run', 'group', 'version', 'resource', 'subresource', 'scope', 'component'] as const;
type RequestLabelName = (typeof REQUEST_LABELS)[number];

/** The metrics of one API server, in a registry of its own. */
export class ApiServerMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter<RequestLabelName | 'code'>({
    name: 'apiserver_request_total',
    help: 'Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.',
    labelNames: [...REQUEST_LABELS, 'code'],
    registers: [this.registry],
  });
  readonly duration = new Histogram<RequestLabelName>({
    name: 'apiserver_request_duration_seconds',
    help: 'Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.',
    labelNames: [...REQUEST_LABELS],
    buckets: [...REQUEST_DURATION_BUCKETS],
    registers: [this.registry],
  });
  readonly inflight = new Gauge<'request_kind'>({
    name: 'apiserver_current_inflight_requests',
    help: 'Number of requests this apiserver is currently serving, per request kind (long-running requests excluded).',
    labelNames: ['request_kind'],
    registers: [this.registry],
  });

  constructor() {
    this.inflight.set({ request_kind: 'readOnly' }, 0);
    this.inflight.set({ request_kind: 'mutating' }, 0);
    // the two process metrics kube's components export, computed at scrape time (not
    // prom-client's collectDefaultMetrics: it starts process-wide observers per registry)
    new Gauge({
      name: 'process_resident_memory_bytes',
      help: 'Resident memory size in bytes.',
      registers: [this.registry],
      collect() {
        this.set(process.memoryUsage.rss());
      },
    });
    const startTime = Math.round(Date.now() / 1000 - process.uptime());
    new Gauge({
      name: 'process_start_time_seconds',
      help: 'Start time of the process since unix epoch in seconds.',
      registers: [this.registry],
      collect() {
        this.set(startTime);
      },
    });
  }

  /** Count one finished request; `seconds` is how long it took. */
  observe(labels: RequestClass['labels'], code: number, seconds: number): void {
    this.requests.inc({ ...labels, code: String(code) });
    this.duration.observe(labels, seconds);
  }
}

/** A ResourceLookup over the catalogue (its contents change as CRDs come and go). */
export function catalogueLookup(catalogue: Catalogue): ResourceLookup {
  return (group, version, resource, subresource) => {
    const def = catalogue.resource(group, version, resource);
    if (!def) return 'unknown';
    if (subresource === '' || def.subresources.some((s) => s.name === subresource)) return 'known';
    return 'unknown-subresource';
  };
}

export interface MetricsOptions {
  /** the served resources; without it every resource request counts as unknown */
  catalogue?: Catalogue | undefined;
  /** defaults to a new ApiServerMetrics */
  metrics?: ApiServerMetrics;
}

interface InFlight {
  class: RequestClass;
  done: boolean;
}

/**
 * Record every request of `app` and serve GET /metrics. Install it before any other
 * onRequest hook, so that requests those hooks answer (401, 403, 503) count too.
 */
export function installMetrics(app: FastifyInstance, options: MetricsOptions = {}): ApiServerMetrics {
  const metrics = options.metrics ?? new ApiServerMetrics();
  const lookup = options.catalogue ? catalogueLookup(options.catalogue) : undefined;
  const pending = new WeakMap<FastifyRequest, InFlight>();

  const finish = (request: FastifyRequest, reply: FastifyReply) => {
    const state = pending.get(request);
    if (!state || state.done) return;
    state.done = true;
    const { labels, longRunning, mutating } = state.class;
    if (!longRunning) metrics.inflight.dec({ request_kind: mutating ? 'mutating' : 'readOnly' });
    metrics.observe(labels, reply.raw.statusCode, reply.elapsedTime / 1000);
  };

  app.addHook('onRequest', async (request, reply) => {
    const contentType = request.headers['content-type'];
    const state: InFlight = {
      class: classifyRequest(
        { method: request.method, url: request.raw.url ?? request.url, contentType, route: request.routeOptions.url },
        lookup,
      ),
      done: false,
    };
    pending.set(request, state);
    if (!state.class.longRunning) metrics.inflight.inc({ request_kind: state.class.mutating ? 'mutating' : 'readOnly' });
    // A response that never finishes (the client left mid-watch) gets no onResponse.
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) finish(request, reply);
    });
  });
  app.addHook('onResponse', async (request, reply) => finish(request, reply));

  app.get('/metrics', async (_request, reply) => {
    const body = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(body);
  });
  return metrics;
}

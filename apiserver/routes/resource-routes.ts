/**
 * The REST surface of every kind in the catalogue: one handler resolves the URL to a
 * ResourceDef and dispatches on the verb to the generic registry. Nothing here knows a
 * kind by name.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Store } from '../../store/types.js';
import type { Catalogue } from '../catalogue/catalogue.js';
import { apiVersionOf, type ClusterSettings, type KubeObject, type RequestContext, type ResourceDef, type SubresourceDef, type SubresourceStreamCall, type Verb } from '../catalogue/resource-def.js';
import type { ServerServices } from '../catalogue/server-services.js';
import { authorize } from '../auth/authorizer.js';
import { readScaleRequest, scaleOf, writePath } from '../registry/scale.js';
import { checkFieldManagerParam, trackWrites } from './field-ownership.js';
import { servePatch } from './patch-request.js';
import { ApiError, apiErrors } from '../errors/api-error.js';
import type { GenericRegistry, DeleteOptions } from '../registry/generic-registry.js';
import { listObjects, listRawJson } from '../registry/list.js';
import { watchObjects, type WatchQuery } from '../registry/watch.js';
import { decodeBody } from './request-body.js';
import { FieldValidator, fieldValidationOf } from './field-validation.js';
import { boolParam, checkResourceVersionParam, parseListQuery, type Query } from './list-query.js';
import { resolveResourcePath, type ResourcePath } from './resource-path.js';
import { renderList, renderObject, renderRawJsonList, wantsRawJsonList, watchEventRenderer } from './render.js';
import { streamWatch } from './watch-stream.js';
import { serveWatchOverWebSocket } from './watch-websocket.js';
import { errorStatus } from './error-status.js';
import type { WebSocket } from 'ws';

export interface ResourceRouteOptions {
  store: Store;
  catalogue: Catalogue;
  cluster: ClusterSettings;
  /** injected clock for every timestamp the server writes */
  now?: () => Date;
  /** how often a watch asked for bookmarks gets one (kube: about a minute) */
  bookmarkIntervalMs?: number;
  /** what virtual kinds and subresource handlers may use; default: the built-in authorizer */
  services?: ServerServices;
}

interface RequestUser {
  name: string;
  groups: string[];
  uid?: string;
}

export function registerResourceRoutes(app: FastifyInstance, opts: ResourceRouteOptions, registry: GenericRegistry): void {
  const now = opts.now ?? (() => new Date());
  const fields = new FieldValidator(opts.catalogue);
  const services: ServerServices = opts.services ?? { authorize };

  const context = (request: FastifyRequest, path: ResourcePath, dryRun: boolean): RequestContext => {
    const user = (request as FastifyRequest & { user?: RequestUser }).user ?? { name: 'system:anonymous', groups: ['system:unauthenticated'] };
    return { namespace: path.namespace, user, now: now(), dryRun, cluster: opts.cluster };
  };

  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    const path = resolveResourcePath(opts.catalogue, request.url);
    const { def, namespace, name, subresource } = path;
    // nothing is served below a subresource (proxy paths come with the kubelet)
    if (path.rest !== undefined) throw apiErrors.notFoundPath();
    const query = request.query as Query;
    const dryRun = dryRunOf(query.dryRun);
    const ctx = context(request, path, dryRun);
    if (def.namespaced && name !== undefined && !namespace) throw apiErrors.notFoundPath();
    const verb = request.method;
    if (!subresource && !def.verbs.includes(kubeVerbOf(verb, name, query))) throw apiErrors.methodNotAllowed(`the server does not allow this method on the requested resource`);

    if (subresource === 'scale' && def.scale && name !== undefined && (verb === 'GET' || verb === 'PUT')) {
      const scale = def.scale;
      if (verb === 'GET') return reply.send(scaleOf(def, scale, await registry.get(def, namespace, name)));
      const wanted = readScaleRequest(decodeBody(request), name);
      const { object } = await registry.guaranteedUpdate(def, namespace, name, ctx, { dryRun, subresource }, wanted.resourceVersion, (current) => {
        writePath(current!, scale.specReplicasPath, wanted.replicas);
        return current!;
      });
      return reply.send(scaleOf(def, scale, object));
    }

    if (verb === 'GET') {
      const streamer = name !== undefined && subresource ? def.subresources.find((s) => s.name === subresource)?.stream : undefined;
      if (streamer && name !== undefined) return serveStream(reply, streamer, { def, namespace, name, query, ctx, registry, services });
      if (name !== undefined) {
        if (subresource && subresource !== 'status') throw apiErrors.methodNotAllowed(`the server does not allow this method on the requested resource`);
        checkResourceVersionParam(Array.isArray(query.resourceVersion) ? query.resourceVersion[0] : query.resourceVersion);
        const obj = await registry.get(def, namespace, name);
        return renderObject(request, reply, def, obj, now());
      }
      const lq = parseListQuery(def, namespace, query, opts.store.compactedRevision);
      if (boolParam(query, 'watch')) {
        const source = (control: Pick<WatchQuery, 'signal' | 'onProgress'>) =>
          watchObjects(opts.store, def, namespace, { ...control, ...lq.watch });
        return streamWatch(request, reply, def, source, {
          ...(lq.timeoutSeconds !== undefined ? { timeoutSeconds: lq.timeoutSeconds } : {}),
          bookmarkIntervalMs: boolParam(query, 'allowWatchBookmarks') ? (opts.bookmarkIntervalMs ?? 60_000) : 0,
          renderEvent: watchEventRenderer(request, def, now),
        });
      }
      if (wantsRawJsonList(request, def, lq.list.matches !== undefined)) {
        return renderRawJsonList(reply, def, namespace, await listRawJson(opts.store, def, namespace, lq.list));
      }
      const page = await listObjects(opts.store, def, namespace, lq.list);
      return renderList(request, reply, def, namespace, page, now());
    }

    if (verb === 'POST') {
      if (name !== undefined) {
        const handler = def.subresources.find((s) => s.name === subresource)?.create;
        if (!handler) throw apiErrors.methodNotAllowed(`the server does not allow this method on the requested resource`);
        const r = await handler({ def, namespace, name, body: decodeBody(request), ctx, registry, services });
        return reply.code(r.code).type('application/json').send(r.body);
      }
      if (def.namespaced && !namespace) throw apiErrors.methodNotAllowed(`the server does not allow this method on the requested resource`);
      const body = decodeBody(request);
      if (def.virtualCreate) {
        fields.check(request, reply, def, body, fieldValidationOf(query.fieldValidation));
        const r = await def.virtualCreate({ def, namespace, body, ctx, registry, services });
        return reply.code(r.code).type('application/json').send(r.body);
      }
      fields.check(request, reply, def, body, fieldValidationOf(query.fieldValidation));
      checkFieldManagerParam(request, 'CreateOptions');
      const track = trackWrites(request, fields, def, ctx);
      const created = await registry.create(def, namespace, body, ctx, { dryRun, ...(track ? { track } : {}) });
      reply.code(201);
      return renderObject(request, reply, def, created, now());
    }

    if (verb === 'PUT') {
      if (name === undefined) throw apiErrors.methodNotAllowed(`the server does not allow this method on the requested resource`);
      const body = decodeBody(request);
      fields.check(request, reply, def, body, fieldValidationOf(query.fieldValidation));
      checkFieldManagerParam(request, 'UpdateOptions');
      const track = trackWrites(request, fields, def, ctx, subresource);
      const { object, created } = await registry.update(def, namespace, name, body, ctx, { dryRun, ...(subresource ? { subresource } : {}), ...(track ? { track } : {}) });
      reply.code(created ? 201 : 200);
      return renderObject(request, reply, def, object, now());
    }

    if (verb === 'DELETE') {
      if (name === undefined) return deleteCollection(request, reply, def, namespace, ctx, query);
      const options = deleteOptions(request, query);
      const { object } = await registry.delete(def, namespace, name, ctx, { ...options, dryRun: dryRun || options.dryRun === true });
      return renderObject(request, reply, def, object, now());
    }

    if (verb === 'PATCH') {
      if (name === undefined) throw apiErrors.methodNotAllowed(`the server does not allow this method on the requested resource`);
      if (subresource && subresource !== 'status' && subresource !== 'scale') throw apiErrors.methodNotAllowed(`the server does not allow this method on the requested resource`);
      return servePatch({ request, reply, def, namespace, name, subresource, ctx, registry, fields, now });
    }
    throw apiErrors.methodNotAllowed(`the server does not allow this method on the requested resource`);
  };

  const deleteCollection = async (request: FastifyRequest, reply: FastifyReply, def: ResourceDef, namespace: string, ctx: RequestContext, query: Query) => {
    if (def.namespaced && !namespace && def.plural !== 'namespaces') throw apiErrors.methodNotAllowed('the server does not allow this method on the requested resource');
    const lq = parseListQuery(def, namespace, query, opts.store.compactedRevision);
    const page = await listObjects(opts.store, def, namespace, { ...lq.list, limit: 0 });
    const options = deleteOptions(request, query);
    const deleted: KubeObject[] = [];
    for (const obj of page.items) {
      try {
        const r = await registry.delete(def, obj.metadata.namespace ?? '', obj.metadata.name!, ctx, { ...options, dryRun: ctx.dryRun });
        deleted.push(r.object);
      } catch (err) {
        if (!(err instanceof ApiError && err.reason === 'NotFound')) throw err;
      }
    }
    return reply.send({ kind: `${def.kind}List`, apiVersion: apiVersionOf(def), metadata: { resourceVersion: String(page.revision) }, items: deleted });
  };

  /** GET upgraded to WebSocket: only watches are served that way. */
  const handleWebSocket = (socket: WebSocket, request: FastifyRequest) => {
    try {
      const path = resolveResourcePath(opts.catalogue, request.url);
      const query = request.query as Query;
      if (path.name !== undefined || !boolParam(query, 'watch')) throw apiErrors.badRequest('only watch requests can be upgraded to a WebSocket');
      const lq = parseListQuery(path.def, path.namespace, query, opts.store.compactedRevision);
      const source = (control: Pick<WatchQuery, 'signal' | 'onProgress'>) => watchObjects(opts.store, path.def, path.namespace, { ...control, ...lq.watch });
      void serveWatchOverWebSocket(socket, source, watchEventRenderer(request, path.def, now), lq.timeoutSeconds).catch((err) => request.log.warn({ err }, 'websocket watch failed'));
    } catch (err) {
      const { status } = errorStatus(err);
      socket.send(JSON.stringify({ type: 'ERROR', object: status }));
      socket.close(1000);
    }
  };

  for (const prefix of ['/api/*', '/apis/*']) {
    app.route({ method: 'GET', url: prefix, handler: handle, wsHandler: handleWebSocket });
    app.route({ method: ['POST', 'PUT', 'PATCH', 'DELETE'], url: prefix, handler: handle });
  }
}


/** A streaming GET (pods/log): the handler's body goes out as it arrives; a client that leaves aborts it. */
async function serveStream(
  reply: FastifyReply,
  streamer: NonNullable<SubresourceDef['stream']>,
  call: Omit<SubresourceStreamCall, 'signal'>,
) {
  const gone = new AbortController();
  // the response's close (not the request's: that fires once a GET is read) means the client left or we finished
  reply.raw.on('close', () => gone.abort());
  const r = await streamer({ ...call, signal: gone.signal });
  return reply.code(r.code).type(r.contentType).send(r.body);
}

/** the kube verb of a request on a resource (not a subresource), to check against def.verbs */
function kubeVerbOf(method: string, name: string | undefined, query: Query): Verb {
  switch (method) {
    case 'GET':
      return boolParam(query, 'watch') ? 'watch' : name === undefined ? 'list' : 'get';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return name === undefined ? 'deletecollection' : 'delete';
    default:
      return 'get';
  }
}

function dryRunOf(value: unknown): boolean {
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  for (const v of values) if (v !== 'All') throw apiErrors.badRequest(`dryRun: Unsupported value: "${String(v)}": supported values: "All"`);
  return values.length > 0;
}

/** DeleteOptions from the body (kubectl sends them there) or the query string. */
function deleteOptions(request: FastifyRequest, query: Query): DeleteOptions & { dryRun?: boolean } {
  const hasBody = Buffer.isBuffer(request.body) && request.body.length > 0;
  const raw = hasBody ? (decodeBody(request) as unknown as Record<string, unknown>) : {};
  // the body is a DeleteOptions (kubectl sends it without kind); another kind is a mistake
  if (raw.kind !== undefined && raw.kind !== 'DeleteOptions') throw apiErrors.badRequest(`the kind in the data (${String(raw.kind)}) does not match the expected kind (DeleteOptions)`);
  const pick = (k: string) => raw[k] ?? query[k];
  const out: DeleteOptions & { dryRun?: boolean } = {};
  const grace = pick('gracePeriodSeconds');
  if (grace !== undefined && grace !== null) {
    const n = Number(grace);
    if (!Number.isSafeInteger(n)) throw apiErrors.badRequest(`gracePeriodSeconds must be an integer, got ${JSON.stringify(grace)}`);
    out.gracePeriodSeconds = Math.max(0, n);
  }
  const policy = pick('propagationPolicy');
  if (policy !== undefined && policy !== null) {
    if (policy !== 'Background' && policy !== 'Foreground' && policy !== 'Orphan') {
      throw apiErrors.badRequest(`propagationPolicy: Unsupported value: ${JSON.stringify(policy)}: supported values: "Foreground", "Background", "Orphan"`);
    }
    out.propagationPolicy = policy;
  }
  const orphan = pick('orphanDependents');
  if (out.propagationPolicy === undefined && (orphan === true || orphan === 'true')) out.propagationPolicy = 'Orphan';
  const pre = raw.preconditions as { uid?: string; resourceVersion?: string } | undefined;
  if (pre && typeof pre === 'object') out.preconditions = pre;
  if (Array.isArray(raw.dryRun)) out.dryRun = dryRunOf(raw.dryRun);
  return out;
}

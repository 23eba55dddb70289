/**
 * What a request gets back: the object or list as JSON (or YAML), or one of meta.k8s.io's
 * conversions the Accept header asks for — a Table (kubectl get), PartialObjectMetadata.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { stringify as toYaml } from 'yaml';
import { apiVersionOf, type KubeObject, type ResourceDef } from '../catalogue/resource-def.js';
import { negotiateResponse, type NegotiatedResponse } from '../http/accept.js';
import type { ListPage } from '../registry/list.js';
import type { WatchEvent } from '../registry/watch.js';
import { asPartialObjectMetadata, asPartialObjectMetadataList } from '../table/partial-object-metadata.js';
import { buildObjectTable, buildTable, buildWatchEventTable, parseIncludeObject } from '../table/table.js';
import { encodeContinue } from './list-query.js';

const accept = (request: FastifyRequest) => request.headers.accept;
const includeObjectOf = (request: FastifyRequest) => parseIncludeObject((request.query as Record<string, string | undefined>).includeObject);

function send(reply: FastifyReply, n: NegotiatedResponse, body: unknown) {
  reply.type(n.mediaType);
  if (n.mediaType === 'application/yaml') return reply.send(toYaml(body));
  return reply.send(n.pretty ? JSON.stringify(body, null, 2) : JSON.stringify(body));
}

export function renderObject(request: FastifyRequest, reply: FastifyReply, def: ResourceDef, obj: KubeObject, now: Date) {
  const n = negotiateResponse(accept(request), 'object');
  const t = n.target;
  if (t.as === 'Table') return send(reply, n, buildObjectTable(def, obj, { now, includeObject: includeObjectOf(request), version: t.version }));
  if (t.as === 'PartialObjectMetadata') return send(reply, n, asPartialObjectMetadata(obj, t.version));
  return send(reply, n, obj);
}

/** A plain JSON list whose items can be served as stored (no conversion, no selector). */
export function wantsRawJsonList(request: FastifyRequest, def: ResourceDef, selected: boolean): boolean {
  if (selected || def.fromStorage) return false;
  const n = negotiateResponse(accept(request), 'list');
  return n.target.as === 'Object' && n.mediaType === 'application/json' && !n.pretty;
}

export function renderRawJsonList(reply: FastifyReply, def: ResourceDef, namespace: string, page: ListPage<string>) {
  const head = JSON.stringify({ kind: `${def.kind}List`, apiVersion: apiVersionOf(def), metadata: listMetaOf(def, namespace, page) });
  return reply.type('application/json').send(`${head.slice(0, -1)},"items":[${page.items.join(',')}]}`);
}

function listMetaOf(def: ResourceDef, namespace: string, page: ListPage<unknown>) {
  return {
    resourceVersion: String(page.revision),
    ...(page.next ? { continue: encodeContinue(def, namespace, page.next) } : {}),
    ...(page.remainingItemCount !== undefined ? { remainingItemCount: page.remainingItemCount } : {}),
  };
}

export function renderList(request: FastifyRequest, reply: FastifyReply, def: ResourceDef, namespace: string, page: ListPage, now: Date) {
  const n = negotiateResponse(accept(request), 'list');
  const listMeta = listMetaOf(def, namespace, page);
  const t = n.target;
  if (t.as === 'Table') return send(reply, n, buildTable(def, page.items, { now, includeObject: includeObjectOf(request), version: t.version, listMeta }));
  if (t.as === 'PartialObjectMetadataList') return send(reply, n, asPartialObjectMetadataList(page.items, listMeta, t.version));
  return send(reply, n, { kind: `${def.kind}List`, apiVersion: apiVersionOf(def), metadata: listMeta, items: page.items });
}

/** Converts each watch event's object as the Accept header asks (ERROR and BOOKMARK pass as they are). */
export function watchEventRenderer(request: FastifyRequest, def: ResourceDef, now: () => Date): (e: WatchEvent) => WatchEvent {
  const n = negotiateResponse(accept(request), 'watch');
  const t = n.target;
  if (t.as === 'Object') return (e) => e;
  const includeObject = includeObjectOf(request);
  let first = true;
  return (e) => {
    if (e.type === 'ERROR' || e.type === 'BOOKMARK') return e;
    const obj = e.object as KubeObject;
    if (t.as === 'Table') {
      const object = buildWatchEventTable(def, obj, { now: now(), includeObject, version: t.version, includeColumnDefinitions: first });
      first = false;
      return { type: e.type, object: object as unknown as KubeObject };
    }
    return { type: e.type, object: asPartialObjectMetadata(obj, t.version) as unknown as KubeObject };
  };
}

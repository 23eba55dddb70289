/**
 * Discovery routes, all read from the catalogue on each request:
 *
 *   GET /api              aggregated APIGroupDiscoveryList (core) or legacy APIVersions
 *   GET /apis             aggregated APIGroupDiscoveryList (named groups) or legacy APIGroupList
 *   GET /api/v1           APIResourceList
 *   GET /apis/G           APIGroup
 *   GET /apis/G/V         APIResourceList
 *
 * /api and /apis answer in the form the Accept header asks for (media-type.ts) with the
 * exact Content-Type kubectl switches on; bodies are sent pre-serialised so Fastify adds no
 * charset parameter. An unknown group or version is a 404 Status.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Catalogue } from '../catalogue/catalogue.js';
import { ApiError } from '../errors/api-error.js';
import { aggregatedDiscovery, apiGroup, apiGroupList, apiResourceList, apiVersions } from './discovery-documents.js';
import { aggregatedContentType, discoveryForm } from './media-type.js';

const notFound = () => new ApiError('NotFound', 'the server could not find the requested resource');

function sendJson(reply: FastifyReply, body: unknown, contentType = 'application/json'): FastifyReply {
  return reply.code(200).header('content-type', contentType).send(Buffer.from(JSON.stringify(body)));
}

function sendError(reply: FastifyReply, err: ApiError): FastifyReply {
  return reply.code(err.code).header('content-type', 'application/json').send(Buffer.from(JSON.stringify(err.toStatus())));
}

/** "host:port" the client reached us at, for APIVersions.serverAddressByClientCIDRs */
const serverAddress = (request: FastifyRequest) => request.headers.host ?? `${request.hostname}`;

export function registerDiscoveryRoutes(app: FastifyInstance, catalogue: Catalogue): void {
  const groupIndex = (legacyCore: boolean) => async (request: FastifyRequest, reply: FastifyReply) => {
    reply.header('vary', 'Accept');
    const form = discoveryForm(request.headers.accept);
    if (form !== 'legacy') return sendJson(reply, aggregatedDiscovery(catalogue, legacyCore, form), aggregatedContentType(form));
    return sendJson(reply, legacyCore ? apiVersions(catalogue, serverAddress(request)) : apiGroupList(catalogue));
  };
  app.get('/api', groupIndex(true));
  app.get('/apis', groupIndex(false));

  app.get<{ Params: { version: string } }>('/api/:version', async (request, reply) => {
    const list = apiResourceList(catalogue, '', request.params.version);
    return list ? sendJson(reply, list) : sendError(reply, notFound());
  });

  app.get<{ Params: { group: string } }>('/apis/:group', async (request, reply) => {
    const group = apiGroup(catalogue, request.params.group);
    return group ? sendJson(reply, { kind: 'APIGroup', apiVersion: 'v1', ...group }) : sendError(reply, notFound());
  });

  app.get<{ Params: { group: string; version: string } }>('/apis/:group/:version', async (request, reply) => {
    const { group, version } = request.params;
    const list = group ? apiResourceList(catalogue, group, version) : undefined;
    return list ? sendJson(reply, list) : sendError(reply, notFound());
  });
}

/**
 * OpenAPI routes (kubectl-contract §3):
 *
 *   GET /openapi/v2            200, empty body, protobuf Content-Type, whatever the Accept
 *   GET /openapi/v3            {"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=H"}, …}}
 *   GET /openapi/v3/api/v1     the group-version documents (openapi-v3-document.ts)
 *   GET /openapi/v3/apis/G/V
 *
 * The documents are generated once per catalogue state (building a GV document walks a
 * few hundred schemas) and kept as serialised text with its hash. A request carrying the
 * current hash gets `Cache-Control: public, immutable` like kube's; any other gets
 * `no-cache` (kube redirects a stale hash; serving the current document is as good for
 * kubectl, which refetches the index first).
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Catalogue } from '../catalogue/catalogue.js';
import type { ResourceDef } from '../catalogue/resource-def.js';
import { ApiError } from '../errors/api-error.js';
import { buildSchemaRegistry } from '../schema/schema-registry.js';
import { buildGroupVersionDocument } from './openapi-v3-document.js';

/**
 * kubectl 1.27/1.28 insist that /openapi/v2 parses as protobuf before they validate or
 * explain. An empty body is an honest, valid protobuf document: it says there are no v2
 * schemas, so kubectl goes on to the v3 documents, which are the real ones.
 */
export const OPENAPI_V2_CONTENT_TYPE = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

interface GeneratedDocument {
  /** serialised document */
  body: Buffer;
  hash: string;
}

interface Generated {
  /** 'api/v1', 'apis/apps/v1' → document */
  documents: Map<string, GeneratedDocument>;
  index: Buffer;
}

/** A stable key for "the catalogue as it is now": the identities of its ResourceDefs. */
class CatalogueState {
  private readonly ids = new WeakMap<ResourceDef, number>();
  private next = 1;

  key(catalogue: Catalogue): string {
    return catalogue
      .all()
      .map((def) => {
        let id = this.ids.get(def);
        if (id === undefined) {
          id = this.next++;
          this.ids.set(def, id);
        }
        return id;
      })
      .join(',');
  }
}

export class OpenApiDocuments {
  private readonly state = new CatalogueState();
  private cached: { key: string; generated: Generated } | undefined;

  constructor(private readonly catalogue: Catalogue) {}

  current(): Generated {
    const key = this.state.key(this.catalogue);
    if (this.cached?.key !== key) this.cached = { key, generated: this.generate() };
    return this.cached.generated;
  }

  private generate(): Generated {
    const registry = buildSchemaRegistry(this.catalogue);
    const documents = new Map<string, GeneratedDocument>();
    const index: Record<string, { serverRelativeURL: string }> = {};
    for (const [group, versions] of this.catalogue.groups()) {
      for (const version of versions) {
        const doc = buildGroupVersionDocument(this.catalogue, registry, group, version);
        if (!doc) continue;
        const body = Buffer.from(JSON.stringify(doc));
        const hash = createHash('sha512').update(body).digest('hex').toUpperCase();
        const path = group ? `apis/${group}/${version}` : `api/${version}`;
        documents.set(path, { body, hash });
        index[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hash}` };
      }
    }
    const sortedIndex: Record<string, { serverRelativeURL: string }> = {};
    for (const path of Object.keys(index).sort()) sortedIndex[path] = index[path]!;
    return { documents, index: Buffer.from(JSON.stringify({ paths: sortedIndex })) };
  }
}

function sendStatus(reply: FastifyReply, err: ApiError): FastifyReply {
  return reply.code(err.code).header('content-type', 'application/json').send(Buffer.from(JSON.stringify(err.toStatus())));
}

export function registerOpenApiRoutes(app: FastifyInstance, catalogue: Catalogue): OpenApiDocuments {
  const docs = new OpenApiDocuments(catalogue);

  app.get('/openapi/v2', async (_request, reply) => reply.code(200).header('content-type', OPENAPI_V2_CONTENT_TYPE).send(Buffer.alloc(0)));

  app.get('/openapi/v3', async (_request, reply) =>
    reply.code(200).header('content-type', 'application/json').header('cache-control', 'no-cache, private').send(docs.current().index),
  );

  const serveDocument = (path: string, request: FastifyRequest<{ Querystring: { hash?: string } }>, reply: FastifyReply) => {
    const doc = docs.current().documents.get(path);
    if (!doc) return sendStatus(reply, new ApiError('NotFound', 'the server could not find the requested resource'));
    const etag = `"${doc.hash}"`;
    reply.header('etag', etag).header('content-type', 'application/json');
    if (request.query.hash === doc.hash) {
      reply.header('cache-control', 'public, immutable').header('expires', new Date(Date.now() + 365 * 24 * 3600 * 1000).toUTCString());
    } else {
      reply.header('cache-control', 'no-cache, private');
    }
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.code(200).send(doc.body);
  };

  app.get<{ Params: { version: string }; Querystring: { hash?: string } }>('/openapi/v3/api/:version', async (request, reply) =>
    serveDocument(`api/${request.params.version}`, request, reply),
  );
  app.get<{ Params: { group: string; version: string }; Querystring: { hash?: string } }>('/openapi/v3/apis/:group/:version', async (request, reply) =>
    serveDocument(`apis/${request.params.group}/${request.params.version}`, request, reply),
  );
  return docs;
}

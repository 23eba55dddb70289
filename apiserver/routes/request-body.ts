/**
 * Request bodies arrive as raw bytes (see registerBodyParser) and are decoded here by
 * Content-Type, so that every malformed body becomes a 400/415 Status, never a 500.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parse as parseYaml } from 'yaml';
import type { KubeObject } from '../catalogue/resource-def.js';
import { ApiError, apiErrors } from '../errors/api-error.js';
import { jsonTextTooDeep, MAX_NESTING_DEPTH, valueTooDeep } from '../http/nesting-depth.js';
import { decodeProtobufBody, PROTOBUF_MEDIA_TYPE, ProtobufBodyError, UnsupportedProtobufKindError } from '../protobuf/index.js';

/** Take every body as bytes; decoding is the handler's business (and its errors ours). */
export function registerBodyParser(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
}

export const mediaType = (request: FastifyRequest) => String(request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();

/** kubectl 1.32+ `create <generator>` bodies: the k8s\0 envelope, decoded to kube's JSON shape */
function decodeProtobuf(bytes: Buffer): unknown {
  try {
    return decodeProtobufBody(bytes).object;
  } catch (err) {
    if (err instanceof UnsupportedProtobufKindError) throw new ApiError('UnsupportedMediaType', err.message, { causes: [{ reason: 'UnsupportedMediaType', message: PROTOBUF_MEDIA_TYPE }] });
    if (err instanceof ProtobufBodyError) throw apiErrors.badRequest(err.message);
    throw err;
  }
}

export const tooDeep = () => apiErrors.badRequest(`couldn't get version/kind; json parse error: exceeded max depth of ${MAX_NESTING_DEPTH}`);

export function decodeBody(request: FastifyRequest): KubeObject {
  const raw = request.body;
  const bytes = Buffer.isBuffer(raw) ? raw : Buffer.alloc(0);
  if (bytes.length === 0) throw apiErrors.badRequest('the body of the request was empty');
  const type = mediaType(request);
  let value: unknown;
  if (type === '' || type === 'application/json') {
    const text = bytes.toString('utf8');
    if (jsonTextTooDeep(text)) throw tooDeep();
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw apiErrors.badRequest(`couldn't get version/kind; json parse error: ${(err as Error).message}`);
    }
  } else if (type === 'application/yaml' || type === 'application/x-yaml' || type === 'text/yaml') {
    try {
      value = parseYaml(bytes.toString('utf8'));
    } catch (err) {
      throw apiErrors.badRequest(`error converting YAML to JSON: ${(err as Error).message.split('\n')[0]}`);
    }
    if (valueTooDeep(value)) throw tooDeep();
  } else if (type === PROTOBUF_MEDIA_TYPE) {
    value = decodeProtobuf(bytes);
  } else {
    throw apiErrors.unsupportedMediaType(type);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw apiErrors.badRequest(`couldn't get version/kind; json parse error: the body must be a JSON object`);
  }
  return value as KubeObject;
}

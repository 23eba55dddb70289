/**
 * PATCH: a patch is one more way to compute the new object from the current one, so every
 * patch type runs as the mutation of the registry's one update path (guaranteedUpdate:
 * read, compute, strategy, compare-and-swap, recompute on a lost race):
 *
 *   application/json-patch+json            RFC 6902            (patch/json-patch.ts)
 *   application/merge-patch+json           RFC 7386            (patch/merge-patch.ts)
 *   application/strategic-merge-patch+json kube's SMP, by schema (patch/strategic-merge-patch.ts)
 *   application/apply-patch+yaml           server-side apply   (apply/apply.ts); creates a
 *                                          missing object (201)
 *
 * On the scale subresource the patch applies to the autoscaling/v1 Scale, whose
 * spec.replicas is then written into the parent. A metadata.resourceVersion in the
 * patched result is a precondition (kubectl label --resource-version).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { parse as parseYaml } from 'yaml';
import { apply, validatePatchOptions } from '../apply/index.js';
import type { JsonObject } from '../apply/json-value.js';
import type { KubeObject, RequestContext, ResourceDef } from '../catalogue/resource-def.js';
import { ApiError, apiErrors } from '../errors/api-error.js';
import { patchFormat } from '../http/content-type.js';
import { applyPatch, decodePatchBody, type PatchType } from '../patch/apply-patch.js';
import { PatchError } from '../patch/errors.js';
import type { Json } from '../patch/json.js';
import { violatesResourceVersion } from '../patch/resource-version-precondition.js';
import type { GenericRegistry } from '../registry/generic-registry.js';
import { readScaleRequest, scaleOf, writePath } from '../registry/scale.js';
import { fieldManagerOf, trackWrites, writeContextFor } from './field-ownership.js';
import { fieldValidationOf, type FieldValidator } from './field-validation.js';
import type { Query } from './list-query.js';
import { renderObject } from './render.js';
import { tooDeep } from './request-body.js';
import { jsonTextTooDeep, valueTooDeep } from '../http/nesting-depth.js';

export interface PatchCall {
  request: FastifyRequest;
  reply: FastifyReply;
  def: ResourceDef;
  namespace: string;
  name: string;
  subresource: string | undefined;
  ctx: RequestContext;
  registry: GenericRegistry;
  fields: FieldValidator;
  now: () => Date;
}

const PATCH_TYPES: Record<string, PatchType> = { 'json-patch': 'json', 'merge-patch': 'merge', 'strategic-merge-patch': 'strategic' };

/** a PatchError as the Status kube answers with */
function patchApiError(e: PatchError): ApiError {
  switch (e.status) {
    case 400:
      return apiErrors.badRequest(e.kubeMessage);
    case 422:
      return new ApiError('Invalid', e.kubeMessage, {});
    case 413:
      return apiErrors.tooLarge(e.kubeMessage);
    default:
      // kube answers some malformed strategic merge patches with a 500; they are the
      // client's mistake, so here they are a 400
      return apiErrors.badRequest(e.kubeMessage);
  }
}

const rethrowPatchError = (e: unknown): never => {
  throw e instanceof PatchError ? patchApiError(e) : e;
};

function bodyText(request: FastifyRequest): string {
  const raw = request.body;
  const bytes = Buffer.isBuffer(raw) ? raw : Buffer.alloc(0);
  if (bytes.length === 0) throw apiErrors.badRequest('the body of the request was empty');
  const text = bytes.toString('utf8');
  if (jsonTextTooDeep(text)) throw tooDeep();
  return text;
}

function forceOf(query: Query): boolean | undefined {
  const v = Array.isArray(query.force) ? query.force[0] : query.force;
  if (v === undefined) return undefined;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0' || v === '') return false;
  throw apiErrors.badRequest(`force: Invalid value: ${JSON.stringify(v)}: must be a boolean`);
}

export async function servePatch(call: PatchCall): Promise<unknown> {
  const { request, reply, def, namespace, name, subresource, ctx, registry, fields } = call;
  const query = request.query as Query;
  const format = patchFormat(request.headers['content-type'], { strategicMerge: fields.rootIdOf(def) !== undefined });
  const text = bodyText(request);
  const optionErrors = validatePatchOptions({ ...(typeof query.fieldManager === 'string' ? { fieldManager: query.fieldManager } : {}), force: forceOf(query), isApply: format === 'apply-patch' });
  if (optionErrors.length) throw apiErrors.invalid('PatchOptions', 'meta.k8s.io', '', optionErrors);
  const mode = fieldValidationOf(query.fieldValidation);
  const opts = { dryRun: ctx.dryRun, ...(subresource ? { subresource } : {}) };

  if (format === 'apply-patch') return serveApply(call, text, forceOf(query) === true, mode);

  const type = PATCH_TYPES[format]!;
  let patch: unknown;
  try {
    patch = decodePatchBody(type, text);
  } catch (e) {
    rethrowPatchError(e);
  }
  const conflict = () => apiErrors.conflict({ group: def.group, resource: def.plural, name });

  if (subresource === 'scale' && def.scale) {
    const scaleDef = def.scale;
    const { object } = await registry.guaranteedUpdate(def, namespace, name, ctx, opts, undefined, (current) => {
      const scale = scaleOf(def, scaleDef, current!);
      let patched: Json;
      try {
        patched = applyPatch(type, scale as unknown as Json, patch);
      } catch (e) {
        return rethrowPatchError(e);
      }
      if (violatesResourceVersion(scale as unknown as Json, patched)) throw conflict();
      const wanted = readScaleRequest(patched as unknown as KubeObject, name);
      writePath(current!, scaleDef.specReplicasPath, wanted.replicas);
      return current!;
    });
    return reply.send(scaleOf(def, scaleDef, object));
  }

  const rootId = fields.rootIdOf(def);
  const track = trackWrites(request, fields, def, ctx, subresource);
  const { object } = await registry.guaranteedUpdate(def, namespace, name, ctx, { ...opts, ...(track ? { track } : {}) }, undefined, (current) => {
    let patched: Json;
    try {
      patched = applyPatch(type, current as unknown as Json, patch, { schemas: fields.registry(), ...(rootId ? { rootId } : {}) });
    } catch (e) {
      return rethrowPatchError(e);
    }
    if (violatesResourceVersion(current as unknown as Json, patched)) throw conflict();
    const obj = patched as unknown as KubeObject;
    fields.check(request, reply, def, obj, mode);
    return obj;
  });
  return renderObject(request, reply, def, object, call.now());
}

/** server-side apply: the applied configuration merged into the live object by ownership */
async function serveApply(call: PatchCall, text: string, force: boolean, mode: ReturnType<typeof fieldValidationOf>): Promise<unknown> {
  const { request, reply, def, namespace, name, subresource, ctx, registry, fields } = call;
  let applied: unknown;
  try {
    applied = parseYaml(text);
  } catch (err) {
    throw apiErrors.badRequest(`error converting YAML to JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  if (valueTooDeep(applied)) throw tooDeep();
  if (applied === null || typeof applied !== 'object' || Array.isArray(applied)) throw apiErrors.badRequest('the body of an apply patch must be a YAML or JSON object');
  const config = applied as KubeObject;
  const configName = (config.metadata as { name?: unknown } | undefined)?.name;
  if (configName !== undefined && configName !== name) throw apiErrors.badRequest(`the name of the object (${String(configName)}) does not match the name on the URL (${name})`);
  fields.check(request, reply, def, config, mode);
  const write = writeContextFor(fields, def, ctx, subresource);
  if (!write) throw apiErrors.unsupportedMediaType(String(request.headers['content-type'] ?? ''));
  const manager = fieldManagerOf(request);
  const { object, created } = await registry.guaranteedUpdate(
    def,
    namespace,
    name,
    ctx,
    { dryRun: ctx.dryRun, allowCreate: subresource === undefined, ...(subresource ? { subresource } : {}) },
    undefined,
    (current) => {
      const result = apply({ ...write, live: current as unknown as JsonObject | undefined, applied: structuredClone(config) as unknown as JsonObject, manager, force, kind: def.kind });
      switch (result.outcome) {
        case 'applied': {
          const obj = result.object as unknown as KubeObject;
          obj.metadata = { ...obj.metadata, name };
          return obj;
        }
        case 'conflict':
          throw new ApiError('Conflict', result.message, { causes: result.causes });
        case 'badRequest':
          throw apiErrors.badRequest(result.message);
        case 'invalid':
          throw new ApiError('Invalid', result.message, {});
        default:
          throw apiErrors.internal(result.message);
      }
    },
  );
  reply.code(created ? 201 : 200);
  return renderObject(request, reply, def, object, call.now());
}

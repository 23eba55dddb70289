/**
 * metadata.managedFields for every write, as kube-apiserver keeps it: non-apply writes
 * (create, update, patch) record what their field manager changed; server-side apply
 * computes ownership itself (apply/apply.ts). The field manager is `?fieldManager=`, or
 * the User-Agent up to its first '/' (kube's default: "kubectl-client-side-apply",
 * "kubectl-edit", … come from kubectl as query parameters).
 */
import type { FastifyRequest } from 'fastify';
import { ApplySchema, FieldSet, fieldManagerFor, fieldPath, managedFieldsAfter, validateFieldManager, type WriteContext } from '../apply/index.js';
import { apiErrors } from '../errors/api-error.js';
import type { SchemaRegistry } from '../schema/schema-registry.js';
import type { JsonObject } from '../apply/json-value.js';
import { apiVersionOf, type KubeObject, type RequestContext, type ResourceDef } from '../catalogue/resource-def.js';
import type { FieldValidator } from './field-validation.js';

/** ?fieldManager= on create and update: kube's CreateOptions/UpdateOptions validation (422) */
export function checkFieldManagerParam(request: FastifyRequest, options: 'CreateOptions' | 'UpdateOptions'): void {
  const q = request.query as Record<string, unknown>;
  if (typeof q.fieldManager !== 'string') return;
  const errs = validateFieldManager(q.fieldManager);
  if (errs.length) throw apiErrors.invalid(options, 'meta.k8s.io', '', errs);
}

export function fieldManagerOf(request: FastifyRequest): string {
  const q = request.query as Record<string, unknown>;
  return fieldManagerFor(typeof q.fieldManager === 'string' ? q.fieldManager : undefined, request.headers['user-agent']);
}

/** What a write through `subresource` may own: kube's ResetFieldsStrategy */
function ignoredFields(def: ResourceDef, subresource: string | undefined): FieldSet | undefined {
  if (subresource === 'status') return FieldSet.of(fieldPath('spec'));
  if (subresource === undefined && def.subresources.some((s) => s.name === 'status')) return FieldSet.of(fieldPath('status'));
  return undefined;
}

// An ApplySchema caches the schema nodes it derives; one per kind and schema registry,
// not one per request, so a write does not rebuild the kind's schema tree.
const applySchemas = new WeakMap<SchemaRegistry, Map<string, ApplySchema>>();

function applySchemaFor(registry: SchemaRegistry, rootId: string): ApplySchema {
  let byRoot = applySchemas.get(registry);
  if (!byRoot) applySchemas.set(registry, (byRoot = new Map()));
  let schema = byRoot.get(rootId);
  if (!schema) byRoot.set(rootId, (schema = new ApplySchema(registry, rootId)));
  return schema;
}

/** the write context apply and managedFields upkeep need, or undefined for a kind without a schema */
export function writeContextFor(fields: FieldValidator, def: ResourceDef, ctx: RequestContext, subresource: string | undefined): WriteContext | undefined {
  const rootId = fields.rootIdOf(def);
  if (!rootId) return undefined;
  const ignored = ignoredFields(def, subresource);
  return {
    schema: applySchemaFor(fields.registry(), rootId),
    schemas: fields.registry(),
    apiVersion: apiVersionOf(def),
    ...(subresource ? { subresource } : {}),
    ...(ignored ? { ignored } : {}),
    now: ctx.now,
  };
}

/** The registry's `track` hook for a non-apply write by this request's field manager. */
export function trackWrites(request: FastifyRequest, fields: FieldValidator, def: ResourceDef, ctx: RequestContext, subresource?: string): ((next: KubeObject, live: KubeObject | undefined) => void) | undefined {
  const write = writeContextFor(fields, def, ctx, subresource);
  if (!write) return undefined;
  const manager = fieldManagerOf(request);
  return (next, live) => {
    // managedFieldsAfter takes the one-pass path for creates and copies nothing there
    const managed = managedFieldsAfter({ ...write, live: live as unknown as JsonObject | undefined, next: next as unknown as JsonObject, manager });
    if (managed === undefined) delete next.metadata.managedFields;
    else next.metadata.managedFields = managed as unknown as NonNullable<KubeObject['metadata']['managedFields']>;
  };
}

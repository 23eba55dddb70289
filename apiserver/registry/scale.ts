/**
 * The scale subresource (autoscaling/v1 Scale), for every kind whose ResourceDef names a
 * ScaleDef: GET reads replicas and selector out of the parent; PUT writes spec.replicas
 * into the parent through the generic update path (so the parent's strategy validates
 * it, and resourceVersion preconditions hold). The same JSON-path description CRDs use
 * for their scale subresource, so built-in kinds and CRDs share this code.
 */
import type { KubeObject, ResourceDef, ScaleDef } from '../catalogue/resource-def.js';
import { apiErrors } from '../errors/api-error.js';
import { fieldErrors } from '../errors/field-error.js';
import { formatLabelSelector, type LabelSelector } from '../selectors/label-selector.js';

export const SCALE_GVK = { group: 'autoscaling', version: 'v1', kind: 'Scale' } as const;

/** ".spec.replicas" → ['spec', 'replicas'] */
const segments = (path: string) => path.replace(/^\./, '').split('.').filter(Boolean);

export function readPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const s of segments(path)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[s];
  }
  return cur;
}

export function writePath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = segments(path);
  let cur = obj;
  for (const s of parts.slice(0, -1)) {
    const next = cur[s];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) cur[s] = {};
    cur = cur[s] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]!] = value;
}

/** the selector as a string, whether the object keeps it as a string or a LabelSelector */
function selectorString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') return formatLabelSelector(value as LabelSelector);
  return undefined;
}

export function scaleOf(def: ResourceDef, scale: ScaleDef, obj: KubeObject): KubeObject {
  const m = obj.metadata;
  const specReplicas = readPath(obj, scale.specReplicasPath);
  const statusReplicas = readPath(obj, scale.statusReplicasPath);
  const selector = scale.labelSelectorPath ? selectorString(readPath(obj, scale.labelSelectorPath)) : undefined;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: m.name!,
      ...(def.namespaced ? { namespace: m.namespace! } : {}),
      uid: m.uid!,
      resourceVersion: m.resourceVersion!,
      creationTimestamp: m.creationTimestamp!,
    },
    spec: typeof specReplicas === 'number' ? { replicas: specReplicas } : {},
    status: { replicas: typeof statusReplicas === 'number' ? statusReplicas : 0, ...(selector ? { selector } : {}) },
  };
}

/**
 * Checks a Scale a client sent (kube's ValidateScale, with its messages) and returns the
 * replicas to write and the resourceVersion precondition, if any.
 */
export function readScaleRequest(body: KubeObject, name: string): { replicas: number; resourceVersion?: string } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw apiErrors.badRequest('the body of the request must be a JSON object');
  if (body.apiVersion !== undefined && body.apiVersion !== 'autoscaling/v1') {
    throw apiErrors.badRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (autoscaling/v1)`);
  }
  if (body.kind !== undefined && body.kind !== 'Scale') throw apiErrors.badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (Scale)`);
  const meta = (body.metadata ?? {}) as KubeObject['metadata'];
  if (meta.name !== undefined && meta.name !== name) throw apiErrors.badRequest(`the name of the object (${String(meta.name)}) does not match the name on the URL (${name})`);
  const replicas = (body.spec as { replicas?: unknown } | undefined)?.replicas ?? 0;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas)) {
    throw apiErrors.invalid('Scale', 'autoscaling', name, [fieldErrors.typeInvalid('spec.replicas', replicas, 'must be an integer')]);
  }
  if (replicas < 0) throw apiErrors.invalid('Scale', 'autoscaling', name, [fieldErrors.invalid('spec.replicas', replicas, 'must be greater than or equal to 0')]);
  return { replicas, ...(typeof meta.resourceVersion === 'string' && meta.resourceVersion ? { resourceVersion: meta.resourceVersion } : {}) };
}

/**
 * The JSON types of metadata fields, checked before anything reads them: kube's typed
 * decoder refuses `"name": 12` or `"labels": ["a"]` with a 400, worded as Go's
 * encoding/json words it, e.g.
 *   Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal number into
 *   Go struct field ObjectMeta.metadata.name of type string
 */
import type { ResourceDef } from '../catalogue/resource-def.js';
import { apiErrors } from '../errors/api-error.js';

type Shape = 'string' | 'int64' | 'map[string]string' | '[]string' | '[]v1.OwnerReference' | '[]v1.ManagedFieldsEntry';

const FIELDS: Record<string, Shape> = {
  name: 'string',
  generateName: 'string',
  namespace: 'string',
  selfLink: 'string',
  uid: 'string',
  resourceVersion: 'string',
  creationTimestamp: 'string',
  deletionTimestamp: 'string',
  generation: 'int64',
  deletionGracePeriodSeconds: 'int64',
  labels: 'map[string]string',
  annotations: 'map[string]string',
  finalizers: '[]string',
  ownerReferences: '[]v1.OwnerReference',
  managedFields: '[]v1.ManagedFieldsEntry',
};

/** Go's name for a JSON value's type, as its unmarshal errors say it */
const jsonType = (v: unknown): string => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v === 'boolean' ? 'bool' : typeof v);

const isObject = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** the offending value and the Go type it should have had, or undefined when the field is fine */
function mismatch(shape: Shape, v: unknown): { value: unknown; goType: string } | undefined {
  if (v === null || v === undefined) return undefined; // null decodes to the zero value
  switch (shape) {
    case 'string':
      return typeof v === 'string' ? undefined : { value: v, goType: 'string' };
    case 'int64':
      return typeof v === 'number' && Number.isSafeInteger(v) ? undefined : { value: v, goType: 'int64' };
    case 'map[string]string': {
      if (!isObject(v)) return { value: v, goType: 'map[string]string' };
      const bad = Object.values(v as object).find((x) => x !== null && typeof x !== 'string');
      return bad === undefined ? undefined : { value: bad, goType: 'string' };
    }
    case '[]string': {
      if (!Array.isArray(v)) return { value: v, goType: '[]string' };
      const bad = v.find((x) => x !== null && typeof x !== 'string');
      return bad === undefined ? undefined : { value: bad, goType: 'string' };
    }
    default: {
      if (!Array.isArray(v)) return { value: v, goType: shape };
      const bad = v.find((x) => x !== null && !isObject(x));
      return bad === undefined ? undefined : { value: bad, goType: shape.slice(2) };
    }
  }
}

export function checkMetadataTypes(def: ResourceDef, metadata: Record<string, unknown>): void {
  for (const [field, shape] of Object.entries(FIELDS)) {
    const bad = mismatch(shape, metadata[field]);
    if (!bad) continue;
    throw apiErrors.badRequest(
      `${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: json: cannot unmarshal ${jsonType(bad.value)} into Go struct field ObjectMeta.metadata.${field} of type ${bad.goType}`,
    );
  }
}

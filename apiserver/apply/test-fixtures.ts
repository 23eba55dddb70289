/**
 * Shared by this folder's tests: write contexts for built-in kinds over the real schema
 * registry, and a fixed clock.
 */
import type { GroupVersionKind } from '../catalogue/resource-def.js';
import { builtinCatalogue } from '../resources/index.js';
import { buildSchemaRegistry } from '../schema/schema-registry.js';
import type { JsonObject } from './json-value.js';
import type { WriteContext } from './managed-fields.js';
import { ApplySchema } from './schema-node.js';

export const registry = buildSchemaRegistry(builtinCatalogue());

export const T0 = new Date('2026-11-24T08:00:00.250Z');
export const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

export function contextFor(gvk: GroupVersionKind, now = T0, subresource?: string): WriteContext & { kind: string } {
  const id = registry.idOf(gvk);
  if (!id) throw new Error(`no schema for ${gvk.kind}`);
  const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
  return { schema: new ApplySchema(registry, id), schemas: registry, apiVersion, now, kind: gvk.kind, ...(subresource ? { subresource } : {}) };
}

export const deployments = (now = T0, subresource?: string) => contextFor({ group: 'apps', version: 'v1', kind: 'Deployment' }, now, subresource);
export const configMaps = (now = T0) => contextFor({ group: '', version: 'v1', kind: 'ConfigMap' }, now);
export const pods = (now = T0) => contextFor({ group: '', version: 'v1', kind: 'Pod' }, now);

export const cm = (data: Record<string, string>, meta: JsonObject = {}): JsonObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'cfg', namespace: 'default', ...meta },
  data,
});

/** a stored copy: what the registry adds on create */
export const stored = (o: JsonObject): JsonObject => ({
  ...o,
  metadata: { ...(o.metadata as JsonObject), uid: '7f1c0e5e-0000-4000-8000-000000000001', resourceVersion: '1', creationTimestamp: '2026-11-24T07:00:00Z' },
});

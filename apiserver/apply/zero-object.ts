/**
 * The "empty object" kube compares a create against. kube builds it from the Go type, whose
 * JSON form is not `{}`: value-type structs (metadata, spec, spec.template, strategy …) are
 * always written, and some fields are written as null (spec.selector, containers). Those
 * count as present, so a create does not own `spec` or `containers` as members and kube
 * writes no ".":{} for them, while pointer structs and omitted lists (rollingUpdate, ports)
 * do get one. This table lists, per schema, the fields present in the zero value: value
 * structs (expanded recursively) and fields written as null.
 */
import type { SchemaLookup, SchemaObject } from '../schema/schema-registry.js';
import { idOfRef } from '../schema/schema-registry.js';
import type { Json, JsonObject } from './json-value.js';

const S = 'struct';
const N = 'null';
const ZERO_FIELDS: Record<string, Record<string, typeof S | typeof N>> = {
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': { creationTimestamp: N },
  'io.k8s.api.apps.v1.DeploymentSpec': { selector: N, template: S, strategy: S },
  'io.k8s.api.apps.v1.ReplicaSetSpec': { selector: N, template: S },
  'io.k8s.api.apps.v1.StatefulSetSpec': { selector: N, template: S, updateStrategy: S },
  'io.k8s.api.apps.v1.DaemonSetSpec': { selector: N, template: S, updateStrategy: S },
  'io.k8s.api.batch.v1.JobSpec': { template: S },
  'io.k8s.api.batch.v1.CronJobSpec': { jobTemplate: S },
  'io.k8s.api.batch.v1.JobTemplateSpec': { metadata: S, spec: S },
  'io.k8s.api.core.v1.PodTemplate': { template: S },
  'io.k8s.api.core.v1.PodTemplateSpec': { metadata: S, spec: S },
  'io.k8s.api.core.v1.PodSpec': { containers: N },
  'io.k8s.api.core.v1.ServiceStatus': { loadBalancer: S },
  'io.k8s.api.core.v1.PersistentVolumeClaimSpec': { resources: S },
  'io.k8s.api.core.v1.NodeStatus': { daemonEndpoints: S, nodeInfo: S },
  'io.k8s.api.core.v1.NodeDaemonEndpoints': { kubeletEndpoint: S },
};

/** every built-in kind writes these three when its type has them */
const ROOT_FIELDS = ['metadata', 'spec', 'status'];

export function zeroObject(schemas: SchemaLookup, rootId: string): JsonObject {
  const root = schemas.get(rootId);
  const out: JsonObject = {};
  for (const name of ROOT_FIELDS) {
    const field = root?.properties?.[name];
    if (field) out[name] = zeroOf(schemas, field, 0);
  }
  return out;
}

function zeroOf(schemas: SchemaLookup, schema: SchemaObject, depth: number): Json {
  const id = refId(schema);
  const resolved = id ? schemas.get(id) : undefined;
  if (!id || !resolved?.properties || depth > 8) return null;
  const out: JsonObject = {};
  for (const [name, form] of Object.entries(ZERO_FIELDS[id] ?? {})) {
    const field = resolved.properties[name];
    if (field) out[name] = form === N ? null : zeroOf(schemas, field, depth + 1);
  }
  return out;
}

function refId(schema: SchemaObject): string | undefined {
  if (schema.$ref) return idOfRef(schema.$ref);
  const only = schema.allOf?.length === 1 ? schema.allOf[0] : undefined;
  return only?.$ref ? idOfRef(only.$ref) : undefined;
}

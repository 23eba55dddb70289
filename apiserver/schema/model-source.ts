/**
 * Where the schemas come from: the model classes of @kubernetes/client-node 1.4.0 (built
 * from Kubernetes' OpenAPI spec v1.34). Each class has a static `getAttributeTypeMap()`
 * listing its fields: `{ name, baseName, type, format }`, with `type` one of
 *
 *   string | number | boolean | any | Date | IntOrString | V1Container (another model)
 *   Array<T> | { [key: string]: T; }
 *
 * and `format` one of '', int32, int64, double, byte, date-time, date-time-micro, int-or-string.
 * `baseName` is the JSON name (`_continue` → `continue`, `ref` → `$ref`).
 *
 * This file only reads that source: parseAttributeType() turns a type string into a small
 * tree, and packageDir() locates the installed package for the .d.ts files that hold the
 * descriptions (descriptions.ts) and the API classes that tell a model's group
 * (definition-names.ts).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as models from '@kubernetes/client-node/dist/gen/models/all.js';

export interface Attribute {
  name: string;
  baseName: string;
  type: string;
  format: string;
}

interface ModelClass {
  getAttributeTypeMap(): Attribute[];
}

export type AttributeType =
  | { kind: 'string' | 'number' | 'boolean' | 'any' | 'date-time' | 'int-or-string' }
  | { kind: 'model'; name: string }
  | { kind: 'array'; items: AttributeType }
  | { kind: 'map'; values: AttributeType };

const modelClasses = models as unknown as Record<string, ModelClass | undefined>;

/** the attribute map of a model class, or undefined when the package has no such class */
export function attributesOf(modelName: string): Attribute[] | undefined {
  const cls = modelClasses[modelName];
  if (!cls || typeof cls.getAttributeTypeMap !== 'function') return undefined;
  return cls.getAttributeTypeMap();
}

export function hasModel(modelName: string): boolean {
  return attributesOf(modelName) !== undefined;
}

export function allModelNames(): string[] {
  return Object.keys(modelClasses).filter(hasModel);
}

const ARRAY = /^Array<(.*)>$/;
const MAP = /^\{ \[key: string\]: (.*); \}$/;

export function parseAttributeType(type: string): AttributeType {
  const t = type.trim();
  const array = ARRAY.exec(t);
  if (array) return { kind: 'array', items: parseAttributeType(array[1]!) };
  const map = MAP.exec(t);
  if (map) return { kind: 'map', values: parseAttributeType(map[1]!) };
  switch (t) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'any':
      return { kind: t };
    case 'object':
      return { kind: 'any' };
    case 'Date':
    case 'V1MicroTime': // metav1.MicroTime: the generator names it but ships no class
      return { kind: 'date-time' };
    case 'IntOrString':
      return { kind: 'int-or-string' };
    default:
      return { kind: 'model', name: t };
  }
}

/** the models a type string mentions (for walking the model graph) */
export function modelsIn(type: AttributeType): string[] {
  switch (type.kind) {
    case 'model':
      return [type.name];
    case 'array':
      return modelsIn(type.items);
    case 'map':
      return modelsIn(type.values);
    default:
      return [];
  }
}

let packageDirCache: string | undefined;
/** dist/gen of the installed @kubernetes/client-node */
export function packageGenDir(): string {
  if (!packageDirCache) {
    const require = createRequire(import.meta.url);
    packageDirCache = join(dirname(require.resolve('@kubernetes/client-node')), 'gen');
  }
  return packageDirCache;
}

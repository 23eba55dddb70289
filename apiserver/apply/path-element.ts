/**
 * One step of a field path, in kube's four forms (FieldsV1 key syntax in brackets):
 *   field  [f:replicas]                              a struct field or a map key
 *   key    [k:{"containerPort":80,"protocol":"TCP"}] the item of a keyed (map-type) list
 *   value  [v:"foo.io/finalizer"]                    the item of a set-type list
 *   index  [i:0]                                     an item by position (kube never writes
 *                                                    these for built-in kinds; parsed anyway)
 * Key fields are kept sorted by name: that is the order kube prints them in.
 */
import { compareJson, goJson, type Json } from './json-value.js';

export type PathElement =
  | { kind: 'field'; name: string }
  | { kind: 'key'; fields: Array<[string, Json]> }
  | { kind: 'value'; value: Json }
  | { kind: 'index'; index: number };

export type Path = readonly PathElement[];

export const fieldPE = (name: string): PathElement => ({ kind: 'field', name });
export const valuePE = (value: Json): PathElement => ({ kind: 'value', value });
export const indexPE = (index: number): PathElement => ({ kind: 'index', index });
export const keyPE = (fields: Record<string, Json>): PathElement => ({
  kind: 'key',
  fields: Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
});

/** a path from dotted field names, for tests and fixed sets: path('metadata', 'name') */
export const fieldPath = (...names: string[]): Path => names.map(fieldPE);

const KIND_ORDER = { field: 0, key: 1, value: 2, index: 3 } as const;

/** kube's order: fields (by name) < keys < values < indexes */
export function comparePE(a: PathElement, b: PathElement): number {
  if (a.kind !== b.kind) return KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  switch (a.kind) {
    case 'field': {
      const n = (b as { name: string }).name;
      return a.name < n ? -1 : a.name > n ? 1 : 0;
    }
    case 'key':
      return compareKeyFields(a.fields, (b as { fields: Array<[string, Json]> }).fields);
    case 'value':
      return compareJson(a.value, (b as { value: Json }).value);
    case 'index':
      return a.index - (b as { index: number }).index;
  }
}

function compareKeyFields(a: Array<[string, Json]>, b: Array<[string, Json]>): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const [na, va] = a[i]!;
    const [nb, vb] = b[i]!;
    if (na !== nb) return na < nb ? -1 : 1;
    const c = compareJson(va, vb);
    if (c) return c;
  }
  return a.length - b.length;
}

/** the FieldsV1 key: f:name, k:{…}, v:…, i:N */
export function serializePE(pe: PathElement): string {
  switch (pe.kind) {
    case 'field':
      return `f:${pe.name}`;
    case 'key':
      return `k:{${pe.fields.map(([n, v]) => `${JSON.stringify(n)}:${goJson(v, false)}`).join(',')}}`;
    case 'value':
      return `v:${goJson(pe.value, false)}`;
    case 'index':
      return `i:${pe.index}`;
  }
}

/** parses a FieldsV1 key; undefined for a form kube does not know (kube skips those) */
export function parsePE(text: string): PathElement | undefined {
  if (text.length < 2 || text[1] !== ':') throw new Error(`invalid path element ${JSON.stringify(text)}`);
  const body = text.slice(2);
  switch (text[0]) {
    case 'f':
      return fieldPE(body);
    case 'v':
      return valuePE(JSON.parse(body) as Json);
    case 'k': {
      const parsed = JSON.parse(body) as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`invalid key ${body}`);
      return keyPE(parsed as Record<string, Json>);
    }
    case 'i': {
      const index = Number(body);
      if (!Number.isInteger(index)) throw new Error(`invalid index ${body}`);
      return indexPE(index);
    }
    default:
      return undefined;
  }
}

/** Go's %v of a value inside a path string: strings quoted, the rest as JSON-ish text */
function valueText(v: Json): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v !== 'object') return String(v);
  if (Array.isArray(v)) return `[${v.map(valueText).join(',')}]`;
  return Object.keys(v)
    .map((k) => `${k}=${valueText(v[k]!)}`)
    .join('');
}

/** kube's human form, used in conflict messages: .spec.ports[containerPort=80,protocol="TCP"].name */
export function peString(pe: PathElement): string {
  switch (pe.kind) {
    case 'field':
      return `.${pe.name}`;
    case 'key':
      return `[${pe.fields.map(([n, v]) => `${n}=${valueText(v)}`).join(',')}]`;
    case 'value':
      return `[=${valueText(pe.value)}]`;
    case 'index':
      return `[${pe.index}]`;
  }
}

export const pathString = (path: Path): string => path.map(peString).join('');

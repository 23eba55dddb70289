/**
 * FieldsV1, the JSON form of a field set in metadata.managedFields[].fieldsV1:
 *
 *   {"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:replicas":{}}}
 *
 * Each key is a path element (path-element.ts); `{}` marks a member with nothing below it;
 * a node that is a member and also has children starts with ".":{} and then lists them:
 * {"f:labels":{".":{},"f:app":{}}}. Keys come in kube's order (fields by name, then keys,
 * values, indexes), so the text is byte-for-byte what kube-apiserver stores and serves.
 */
import { FieldSet } from './field-set.js';
import { comparePE, parsePE, serializePE } from './path-element.js';

export type FieldsV1 = { [key: string]: FieldsV1 };

export function toFieldsV1(set: FieldSet): FieldsV1 {
  return contents(set, false);
}

function contents(set: FieldSet, includeSelf: boolean): FieldsV1 {
  const out: FieldsV1 = {};
  const children = set.sortedChildren();
  if (includeSelf) out['.'] = {};
  const below = new Map(children.map(([pe, child]) => [serializePE(pe), child]));
  // members and children, merged into one sequence in kube's element order
  const elements = [...set.sortedMembers(), ...children.map(([pe]) => pe).filter((pe) => !set.hasMember(pe))].sort(comparePE);
  for (const pe of elements) {
    const key = serializePE(pe);
    const child = below.get(key);
    out[key] = child ? contents(child, set.hasMember(pe)) : {};
  }
  return out;
}

export const fieldsV1Text = (set: FieldSet): string => JSON.stringify(toFieldsV1(set));

/** reads a FieldsV1 object (or its JSON text); unknown element kinds are dropped, as kube does */
export function fromFieldsV1(fields: unknown): FieldSet {
  const value = typeof fields === 'string' ? (JSON.parse(fields) as unknown) : fields;
  const out = new FieldSet();
  if (value && typeof value === 'object' && !Array.isArray(value)) readInto(out, value as Record<string, unknown>);
  return out;
}

/** fills `target` from one FieldsV1 level; returns whether that level marks itself a member */
function readInto(target: FieldSet, level: Record<string, unknown>): boolean {
  let self = false;
  let hasChildren = false;
  for (const [key, sub] of Object.entries(level)) {
    if (key === '.') {
      self = true;
      continue;
    }
    const pe = parsePE(key);
    if (!pe) continue;
    hasChildren = true;
    const below = new FieldSet();
    const subLevel = sub && typeof sub === 'object' && !Array.isArray(sub) ? (sub as Record<string, unknown>) : {};
    const childIsMember = readInto(below, subLevel);
    if (childIsMember) target.insert([pe]);
    if (!below.isEmpty()) {
      const into = target.descend(pe);
      for (const p of below.paths()) into.insert(p);
    }
  }
  return self || !hasChildren;
}

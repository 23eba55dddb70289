/**
 * What an applier stops specifying goes away (kube's Updater.prune): a field, list item or
 * map key is removed from the merged object when the applier applied it last time, does not
 * apply it now, and no other manager (applier or updater) owns it. A struct left with no
 * owned field below it goes too.
 */
import { FieldSet } from './field-set.js';
import { fieldsOf } from './fields-of.js';
import type { Json } from './json-value.js';
import type { Managed } from './managed-set.js';
import { namedFieldsAsMembers, removeItems } from './remove-items.js';
import type { ApplySchema } from './schema-node.js';

/** `managed` already holds the applier's new set; `lastSet` is what it applied before */
export function prune(schema: ApplySchema, merged: Json, managed: Managed, lastSet: FieldSet | undefined): Json {
  if (!lastSet || lastSet.isEmpty()) return merged;
  const members = (set: FieldSet) => namedFieldsAsMembers(schema, set);
  const last = members(lastSet);
  const setOf = (v: Json | undefined) => members(fieldsOf(schema, v ?? {}));
  const mergedSet = setOf(merged);
  // take out everything applied last time, then put back what anyone still owns
  const owned = members([...managed.values()].reduce((acc, e) => acc.union(e.set), new FieldSet()));
  const stripped = removeItems(schema, merged, last) ?? {};
  const kept = removeItems(schema, merged, mergedSet.difference(setOf(stripped).union(owned))) ?? {};
  // and only ever remove what this applier had: fields nobody owned stay
  return removeItems(schema, merged, mergedSet.difference(setOf(kept)).intersection(last)) ?? {};
}

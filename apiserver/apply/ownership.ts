/**
 * The step every write shares (kube's Updater.update): compare the object before and after,
 * then, for every manager other than the writer,
 *   - fields it owns that the write added or changed are conflicts: without force the write
 *     fails; with force (always, for non-apply writes) the manager loses them;
 *   - fields the write removed leave its set.
 * Managers left with no fields are dropped.
 */
import { compareObjects, type Comparison } from './compare.js';
import type { FieldSet } from './field-set.js';
import type { Json } from './json-value.js';
import type { Managed, ManagerInfo } from './managed-set.js';
import type { PathElement } from './path-element.js';
import type { ApplySchema } from './schema-node.js';

export interface Conflict {
  /** the other manager's entry */
  owner: ManagerInfo;
  path: PathElement[];
}

export interface Transfer {
  comparison: Comparison;
  conflicts: Conflict[];
}

/**
 * Updates `managed` in place (unless it returns conflicts without force). Changes under
 * `ignored` (fields the endpoint resets, such as status on the main resource) count for
 * nobody.
 */
export function transferOwnership(
  schema: ApplySchema,
  managed: Managed,
  before: Json | undefined,
  after: Json | undefined,
  writer: string,
  force: boolean,
  ignored?: FieldSet,
): Transfer {
  const comparison = excludeFields(compareObjects(schema, before, after), ignored);
  const changed = comparison.modified.union(comparison.added);
  const taken = new Map<string, FieldSet>();
  const conflicts: Conflict[] = [];
  for (const [id, entry] of managed) {
    if (id === writer) continue;
    const overlap = entry.set.intersection(changed);
    if (overlap.isEmpty()) continue;
    taken.set(id, overlap);
    for (const path of overlap.paths()) conflicts.push({ owner: entry.info, path });
  }
  if (conflicts.length && !force) return { comparison, conflicts };
  for (const [id, entry] of managed) {
    if (id === writer) continue;
    let set = entry.set;
    const lost = taken.get(id);
    if (lost) set = set.difference(lost);
    set = set.difference(comparison.removed);
    if (set.isEmpty()) managed.delete(id);
    else managed.set(id, { ...entry, set });
  }
  return { comparison, conflicts };
}

function excludeFields(c: Comparison, ignored: FieldSet | undefined): Comparison {
  if (!ignored || ignored.isEmpty()) return c;
  return { added: c.added.recursiveDifference(ignored), modified: c.modified.recursiveDifference(ignored), removed: c.removed.recursiveDifference(ignored) };
}

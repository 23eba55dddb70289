/**
 * kube's words for an apply refused over field conflicts (409 Conflict, reason Conflict):
 *
 *   Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas
 *   Apply failed with 2 conflicts: conflicts with "a":
 *   - .data.x
 *   conflicts with "b" with subresource "scale" using apps/v1:
 *   - .spec.replicas
 *
 * An owner is named by manager, then `with subresource "…"` when it wrote through one, then
 * `using <apiVersion>` when it is an updater (appliers are not tied to a version). Each field
 * is also one StatusCause {type: FieldManagerConflict, message: 'conflict with …', field}.
 */
import type { ManagerInfo } from './managed-set.js';
import type { Conflict } from './ownership.js';
import { pathString } from './path-element.js';

export interface StatusCause {
  type: 'FieldManagerConflict';
  message: string;
  field: string;
}

export interface ConflictReport {
  message: string;
  causes: StatusCause[];
}

export function ownerText(owner: ManagerInfo): string {
  let text = JSON.stringify(owner.manager);
  if (owner.subresource) text += ` with subresource ${JSON.stringify(owner.subresource)}`;
  if (owner.operation === 'Update') text += ` using ${owner.apiVersion}`;
  return text;
}

/** kube sorts owners by their encoded identity: manager first, then operation, version, subresource */
function ownerSortKey(owner: ManagerInfo): string {
  const id: Record<string, string> = {};
  if (owner.manager) id.manager = owner.manager;
  id.operation = owner.operation;
  if (owner.operation === 'Update' && owner.apiVersion) id.apiVersion = owner.apiVersion;
  if (owner.subresource) id.subresource = owner.subresource;
  return JSON.stringify(id);
}

export function conflictReport(conflicts: readonly Conflict[]): ConflictReport {
  const byOwner = new Map<string, { owner: ManagerInfo; paths: string[] }>();
  for (const c of conflicts) {
    const key = ownerSortKey(c.owner);
    const group = byOwner.get(key) ?? { owner: c.owner, paths: [] };
    group.paths.push(pathString(c.path));
    byOwner.set(key, group);
  }
  const groups = [...byOwner.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g);
  const causes = groups.flatMap((g) => g.paths.map((field) => ({ type: 'FieldManagerConflict' as const, message: `conflict with ${ownerText(g.owner)}`, field })));
  if (causes.length === 1) {
    const only = causes[0]!;
    return { message: `Apply failed with 1 conflict: ${only.message}: ${only.field}`, causes };
  }
  const lines = groups.flatMap((g) => [`conflicts with ${ownerText(g.owner)}:`, ...g.paths.map((p) => `- ${p}`)]);
  return { message: `Apply failed with ${causes.length} conflicts: ${lines.join('\n')}`, causes };
}

/**
 * Status conditions as kube's controllers maintain them: one entry per type; replacing a
 * condition whose status did not change keeps its lastTransitionTime (so "since when" stays
 * true). Works on any condition shape with type/status (Deployment conditions also carry
 * lastUpdateTime, which the caller sets).
 */

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string | Date;
  [field: string]: unknown;
}

export const getCondition = <C extends Condition>(conditions: readonly C[] | undefined, type: string): C | undefined => conditions?.find((c) => c.type === type);

/** a new list with `wanted` in place of the condition of its type (appended when absent) */
export function setCondition<C extends Condition>(conditions: readonly C[] | undefined, wanted: C): C[] {
  const list = [...(conditions ?? [])];
  const at = list.findIndex((c) => c.type === wanted.type);
  if (at < 0) return [...list, wanted];
  const current = list[at]!;
  const next = current.status === wanted.status && current.lastTransitionTime !== undefined ? { ...wanted, lastTransitionTime: current.lastTransitionTime } : wanted;
  list[at] = next;
  return list;
}

export const removeCondition = <C extends Condition>(conditions: readonly C[] | undefined, type: string): C[] => (conditions ?? []).filter((c) => c.type !== type);

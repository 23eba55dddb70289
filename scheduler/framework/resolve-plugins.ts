/**
 * Which plugins run at each extension point, and each Score plugin's weight, for one
 * profile (kube's plugin merging for KubeSchedulerConfiguration v1):
 *
 * - multiPoint: the default plugins, minus multiPoint.disabled ('*' = all of them), plus
 *   multiPoint.enabled; each lands on every point it implements.
 * - then per point: disabled removes (again '*' = everything multiPoint put there), enabled
 *   adds at the end, or, for a plugin already there, just sets its weight.
 * - a Score weight comes from the point's entry, else multiPoint's, else 1.
 */
import { EXTENSION_POINTS, type ExtensionPoint, type PluginRef, type ProfileConfig } from '../config/types.js';

export interface ResolvedPlugins {
  points: Record<ExtensionPoint, string[]>;
  weights: Map<string, number>;
}

export function resolvePlugins(profile: ProfileConfig, defaults: readonly PluginRef[], implementsPoint: (name: string, point: ExtensionPoint) => boolean): ResolvedPlugins {
  const weights = new Map<string, number>();
  const multi: PluginRef[] = [];
  const multiDisabled = new Set(profile.multiPoint.disabled);
  for (const ref of defaults) if (!multiDisabled.has('*') && !multiDisabled.has(ref.name)) multi.push(ref);
  for (const ref of profile.multiPoint.enabled) {
    const at = multi.findIndex((r) => r.name === ref.name);
    if (at >= 0) multi[at] = { ...multi[at], ...ref };
    else multi.push(ref);
  }
  for (const ref of multi) if (ref.weight !== undefined) weights.set(ref.name, ref.weight);

  const points = {} as Record<ExtensionPoint, string[]>;
  for (const point of EXTENSION_POINTS) {
    const set = profile.points[point];
    const disabled = new Set(set?.disabled ?? []);
    let names = multi.filter((r) => implementsPoint(r.name, point)).map((r) => r.name);
    if (disabled.has('*')) names = [];
    else names = names.filter((n) => !disabled.has(n));
    for (const ref of set?.enabled ?? []) {
      if (!names.includes(ref.name)) names.push(ref.name);
      if (point === 'score' && ref.weight !== undefined) weights.set(ref.name, ref.weight);
    }
    points[point] = names;
  }
  for (const name of points.score) if (!weights.has(name) || !(weights.get(name)! > 0)) weights.set(name, weights.get(name) || 1);
  return { points, weights };
}

/** the method a plugin object has when it implements the point */
export const POINT_METHOD: Record<ExtensionPoint, string> = {
  queueSort: 'less',
  preFilter: 'preFilter',
  filter: 'filter',
  postFilter: 'postFilter',
  preScore: 'preScore',
  score: 'score',
  reserve: 'reserve',
  permit: 'permit',
  bind: 'bind',
  postBind: 'postBind',
};

/**
 * PodTopologySpreadArgs (kubescheduler.config.k8s.io/v1) as written in a profile's
 * pluginConfig, defaulted and validated the way kube-scheduler does:
 *
 *   defaultingType  "System" (default): the built-in defaults below, and then
 *                   defaultConstraints must be empty; "List": defaultConstraints as given.
 *   defaultConstraints  each: maxSkew > 0, a topologyKey, whenUnsatisfiable DoNotSchedule
 *                   or ScheduleAnyway, no labelSelector (it is deduced per pod from the
 *                   workloads that select it), no two with the same key and action.
 *
 * Defaults apply only to pods without constraints of their own. A bad value is a
 * configuration error: the factory throws one message listing every problem.
 */
import type { V1TopologySpreadConstraint } from '@kubernetes/client-node';
import { LABEL_HOSTNAME, LABEL_TOPOLOGY_ZONE } from './constraints.js';

export type DefaultingType = 'System' | 'List';

export interface PodTopologySpreadArgs {
  defaultingType: DefaultingType;
  /** the constraints in force for pods without their own (the system ones for System) */
  defaultConstraints: V1TopologySpreadConstraint[];
  /** true with System defaulting: nodes without a zone label still get hostname spreading */
  systemDefaulted: boolean;
}

/** kube-scheduler's system defaults: gentle spreading over hosts and zones, scoring only */
export const SYSTEM_DEFAULT_CONSTRAINTS: readonly V1TopologySpreadConstraint[] = Object.freeze([
  { topologyKey: LABEL_HOSTNAME, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3 },
  { topologyKey: LABEL_TOPOLOGY_ZONE, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
]);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown): string => JSON.stringify(v) ?? 'nothing';

export function parseArgs(raw: unknown): PodTopologySpreadArgs {
  if (raw !== undefined && raw !== null && !isObject(raw)) throw new Error('PodTopologySpread args: expected an object (PodTopologySpreadArgs)');
  const obj = raw ?? {};
  const problems: string[] = [];

  const defaultingType = obj.defaultingType ?? 'System';
  if (defaultingType !== 'System' && defaultingType !== 'List') {
    problems.push(`defaultingType: Unsupported value: ${show(defaultingType)}: supported values: "System", "List"`);
  }

  const list = obj.defaultConstraints ?? [];
  if (!Array.isArray(list)) {
    problems.push(`defaultConstraints: Invalid value: ${show(list)}: must be a list`);
  } else {
    if (defaultingType === 'System' && list.length > 0) {
      problems.push('defaultingType: Invalid value: "System": when .defaultConstraints are not empty');
    }
    const seen = new Set<string>();
    list.forEach((c: unknown, i) => {
      const at = `defaultConstraints[${i}]`;
      if (!isObject(c)) {
        problems.push(`${at}: Invalid value: ${show(c)}: must be an object`);
        return;
      }
      if (typeof c.maxSkew !== 'number' || !Number.isInteger(c.maxSkew) || c.maxSkew <= 0) {
        problems.push(`${at}.maxSkew: Invalid value: ${show(c.maxSkew)}: not in valid range`);
      }
      if (typeof c.topologyKey !== 'string' || c.topologyKey === '') problems.push(`${at}.topologyKey: Required value: can not be empty`);
      if (c.whenUnsatisfiable !== 'DoNotSchedule' && c.whenUnsatisfiable !== 'ScheduleAnyway') {
        problems.push(`${at}.whenUnsatisfiable: Unsupported value: ${show(c.whenUnsatisfiable)}: supported values: "DoNotSchedule", "ScheduleAnyway"`);
      }
      if (c.labelSelector !== undefined && c.labelSelector !== null) {
        problems.push(`${at}.labelSelector: Forbidden: constraint must not define a selector, as they deduced for each pod`);
      }
      const pair = `${String(c.topologyKey)}\u0000${String(c.whenUnsatisfiable)}`;
      if (seen.has(pair)) problems.push(`${at}: Duplicate value: {${show(c.topologyKey)}, ${show(c.whenUnsatisfiable)}}`);
      seen.add(pair);
    });
  }

  if (problems.length > 0) throw new Error(`PodTopologySpread args: ${problems.join('; ')}`);
  const systemDefaulted = defaultingType === 'System';
  return {
    defaultingType: defaultingType as DefaultingType,
    defaultConstraints: systemDefaulted ? [...SYSTEM_DEFAULT_CONSTRAINTS] : (list as V1TopologySpreadConstraint[]),
    systemDefaulted,
  };
}

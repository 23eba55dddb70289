/**
 * The two PriorityClasses kube-apiserver creates at start and reserves: only these may
 * carry the "system-" prefix, with exactly these values (kube's SystemPriorityClasses and
 * IsKnownSystemPriorityClass).
 */
export const SYSTEM_PRIORITY_CLASS_PREFIX = 'system-';
/** above this, a value is reserved for the system classes (kube's HighestUserDefinablePriority) */
export const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;
/** kube's SystemCriticalPriority: twice the highest user-definable value */
export const SYSTEM_CRITICAL_PRIORITY = 2 * HIGHEST_USER_DEFINABLE_PRIORITY;

export interface SystemPriorityClass {
  name: string;
  value: number;
  description: string;
}

export const SYSTEM_PRIORITY_CLASSES: readonly SystemPriorityClass[] = [
  {
    name: 'system-node-critical',
    value: SYSTEM_CRITICAL_PRIORITY + 1000,
    description: 'Used for system critical pods that must not be moved from their current node.',
  },
  {
    name: 'system-cluster-critical',
    value: SYSTEM_CRITICAL_PRIORITY,
    description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
  },
];

export const isSystemPriorityClassName = (name: string | undefined) => SYSTEM_PRIORITY_CLASSES.some((c) => c.name === name);

/**
 * Why a "system-" class is not one of the known ones, or undefined when it is; worded as
 * kube's IsKnownSystemPriorityClass error (the system classes are never global defaults).
 */
export function unknownSystemClassReason(name: string, value: unknown, globalDefault: boolean): string | undefined {
  const known = SYSTEM_PRIORITY_CLASSES.find((c) => c.name === name);
  if (!known) return `${name} is not a known system priority class`;
  if (known.value !== value) return `value of ${known.name} PriorityClass must be ${known.value}`;
  if (globalDefault) return `globalDefault of ${known.name} PriorityClass must be false`;
  return undefined;
}

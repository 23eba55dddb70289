/**
 * scheduling.k8s.io/v1 PriorityClass (pc): the name → priority map pods refer to with
 * spec.priorityClassName. As kube: preemptionPolicy defaults to PreemptLowerPriority; values
 * above 1000000000 and names starting "system-" are reserved for the two built-in classes
 * (created at start, never deletable); value and preemptionPolicy never change; and the
 * Priority admission plugin lets only one class be the global default.
 */
import type { V1PriorityClass } from '@kubernetes/client-node';
import { ALL_VERBS, type KubeObject, type LifecycleEnv, type ResourceDef, type Strategy } from '../../catalogue/resource-def.js';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { ageColumn, column, nameColumn } from '../printing.js';
import { forbiddenError } from './forbidden.js';
import {
  HIGHEST_USER_DEFINABLE_PRIORITY,
  isSystemPriorityClassName,
  SYSTEM_PRIORITY_CLASS_PREFIX,
  SYSTEM_PRIORITY_CLASSES,
  unknownSystemClassReason,
} from './system-priority-classes.js';

export const PREEMPTION_POLICIES = ['PreemptLowerPriority', 'Never'] as const;
export const DEFAULT_PREEMPTION_POLICY = 'PreemptLowerPriority';
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

const target = (name?: string) => ({ group: 'scheduling.k8s.io', resource: 'priorityclasses', ...(name !== undefined ? { name } : {}) });

function defaults(obj: KubeObject): void {
  const pc = obj as unknown as V1PriorityClass;
  // value is a plain int32 in kube's type: absent on the wire means 0
  pc.value ??= 0;
  pc.preemptionPolicy ??= DEFAULT_PREEMPTION_POLICY;
}

/** kube's ValidatePreemptionPolicy (shared with pods) */
export function validatePreemptionPolicy(policy: unknown, field: string): FieldError[] {
  if (policy === '') return [fieldErrors.required(field)];
  if (!(PREEMPTION_POLICIES as readonly unknown[]).includes(policy)) return [fieldErrors.notSupported(field, policy, PREEMPTION_POLICIES)];
  return [];
}

function validate(obj: KubeObject): FieldError[] {
  const pc = obj as unknown as V1PriorityClass;
  const name = obj.metadata.name ?? '';
  const errs: FieldError[] = [];
  const value = pc.value as unknown;
  const int32 = typeof value === 'number' && Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX;
  if (!int32) errs.push(fieldErrors.typeInvalid('value', value, 'must be a 32-bit integer'));
  if (pc.globalDefault !== undefined && typeof pc.globalDefault !== 'boolean') errs.push(fieldErrors.typeInvalid('globalDefault', pc.globalDefault, 'must be a boolean'));
  if (name.startsWith(SYSTEM_PRIORITY_CLASS_PREFIX)) {
    const why = unknownSystemClassReason(name, value, pc.globalDefault === true);
    if (why) errs.push(fieldErrors.forbidden('metadata.name', `priority class names with '${SYSTEM_PRIORITY_CLASS_PREFIX}' prefix are reserved for system use only. error: ${why}`));
  } else if (int32 && value > HIGHEST_USER_DEFINABLE_PRIORITY) {
    errs.push(fieldErrors.forbidden('value', `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`));
  }
  if (pc.preemptionPolicy !== undefined && pc.preemptionPolicy !== null) errs.push(...validatePreemptionPolicy(pc.preemptionPolicy, 'preemptionPolicy'));
  return errs;
}

function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const pc = obj as unknown as V1PriorityClass;
  const was = old as unknown as V1PriorityClass;
  const errs: FieldError[] = [];
  if (pc.value !== was.value) errs.push(fieldErrors.forbidden('value', 'may not be changed in an update.'));
  if (pc.preemptionPolicy !== was.preemptionPolicy) errs.push(fieldErrors.immutable('preemptionPolicy', pc.preemptionPolicy));
  return errs;
}

export const priorityClassStrategy: Strategy = {
  defaults,
  validate,
  validateUpdate,
  prepareForDelete(obj) {
    // kube's PriorityClass REST refuses to delete the built-in classes
    if (isSystemPriorityClassName(obj.metadata.name)) throw forbiddenError(target(obj.metadata.name), 'this is a system priority class and cannot be deleted');
    return false;
  },
};

/**
 * The global default class, as the Priority admission plugin finds it: if a race left
 * several, the one with the lowest value.
 */
export async function globalDefaultPriorityClass(env: Pick<LifecycleEnv, 'list' | 'lookup'>): Promise<V1PriorityClass | undefined> {
  const def = env.lookup({ group: 'scheduling.k8s.io', version: 'v1', kind: 'PriorityClass' }) ?? priorityClasses;
  let best: V1PriorityClass | undefined;
  for (const obj of await env.list(def)) {
    const pc = obj as unknown as V1PriorityClass;
    if (pc.globalDefault === true && (best === undefined || pc.value < best.value)) best = pc;
  }
  return best;
}

/** the Priority admission plugin's PriorityClass half: at most one global default */
async function checkSingleDefault(env: LifecycleEnv, obj: KubeObject, updating: boolean): Promise<void> {
  if ((obj as unknown as V1PriorityClass).globalDefault !== true) return;
  const current = await globalDefaultPriorityClass(env);
  const currentName = current?.metadata?.name;
  if (current && (!updating || currentName !== obj.metadata.name)) {
    throw forbiddenError(target(obj.metadata.name), `PriorityClass ${currentName ?? ''} is already marked as default. Only one default can exist`);
  }
}

const bootstrapObjects = (): KubeObject[] =>
  SYSTEM_PRIORITY_CLASSES.map((c) => ({
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: c.name },
    value: c.value,
    description: c.description,
  }));

export const priorityClasses: ResourceDef = {
  group: 'scheduling.k8s.io',
  version: 'v1',
  kind: 'PriorityClass',
  plural: 'priorityclasses',
  singular: 'priorityclass',
  shortNames: ['pc'],
  namespaced: false,
  categories: [],
  verbs: [...ALL_VERBS],
  modelName: 'V1PriorityClass',
  subresources: [],
  // kube's printPriorityClass: PreemptionPolicy comes after Age
  printerColumns: [
    nameColumn,
    column('Value', 'integer', 'The priority pods of this class get (spec.priority).', (o) => (o as unknown as V1PriorityClass).value ?? 0),
    column('Global-Default', 'boolean', 'Whether pods without a priorityClassName get this class.', (o) => (o as unknown as V1PriorityClass).globalDefault === true),
    ageColumn,
    column('PreemptionPolicy', 'string', 'Whether pods of this class may preempt lower-priority pods.', (o) => (o as unknown as V1PriorityClass).preemptionPolicy ?? ''),
  ],
  strategy: priorityClassStrategy,
  lifecycle: (env) => ({
    beforeCreate: (obj) => checkSingleDefault(env, obj, false),
    beforeUpdate: (obj) => checkSingleDefault(env, obj, true),
  }),
  bootstrapObjects,
};

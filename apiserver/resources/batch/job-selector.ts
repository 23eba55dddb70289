/**
 * A Job's generated selector (kube's job strategy generateSelector and the validation's
 * validateGeneratedSelector): unless spec.manualSelector is true, the template is labelled
 * with the Job's name and uid and the selector picks the uid, so one Job's pods never
 * match another's.
 */
import type { V1Job, V1JobSpec, V1ObjectMeta } from '@kubernetes/client-node';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { labelSelectorMatcher, type LabelMatcher, type LabelSelector } from '../../selectors/label-selector.js';
import { isObject } from './pod-template.js';

export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
// the unprefixed forms kube still writes for older clients and tooling
export const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';
export const LEGACY_JOB_NAME_LABEL = 'job-name';

function templateMeta(spec: V1JobSpec): V1ObjectMeta {
  if (!isObject(spec.template)) spec.template = {};
  if (!isObject(spec.template.metadata)) spec.template.metadata = {};
  return spec.template.metadata;
}

/** Labels the template and fills the selector; values the user already set are kept (validation judges them). */
export function generateSelector(obj: KubeObject, spec: V1JobSpec): void {
  const meta = templateMeta(spec);
  const labels = (meta.labels = isObject(meta.labels) ? meta.labels : {});
  const name = obj.metadata.name ?? '';
  const uid = obj.metadata.uid ?? '';
  for (const key of [LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL]) labels[key] ??= name;
  for (const key of [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL]) labels[key] ??= uid;
  if (!isObject(spec.selector)) spec.selector = {};
  if (!isObject(spec.selector.matchLabels)) spec.selector.matchLabels = {};
  spec.selector.matchLabels[CONTROLLER_UID_LABEL] ??= uid;
}

/** the selector's matcher, or undefined when it cannot be read (its own validation reports why) */
export function selectorMatcher(selector: LabelSelector | null | undefined): LabelMatcher | undefined {
  try {
    return labelSelectorMatcher(selector);
  } catch {
    return undefined;
  }
}

function hasLabel(labels: Record<string, string> | undefined, key: string, want: string): FieldError[] {
  const at = `spec.template.metadata.labels[${key}]`;
  if (!labels || !Object.hasOwn(labels, key)) return [fieldErrors.required(at, `must be '${want}'`)];
  return labels[key] === want ? [] : [fieldErrors.invalid(at, labels, `must be '${want}'`)];
}

/**
 * The template carries the generated labels and the selector picks them. kube skips the
 * prefixed labels for Jobs made before they existed; every Job this server made has them.
 */
export function validateGeneratedSelector(job: V1Job): FieldError[] {
  const spec = job.spec;
  if (!spec || spec.manualSelector === true || !isObject(spec.selector)) return [];
  const errs: FieldError[] = [];
  const uid = job.metadata?.uid ?? '';
  const name = job.metadata?.name ?? '';
  if (!uid) errs.push(fieldErrors.required('metadata.uid'));
  const labels = spec.template?.metadata?.labels;
  errs.push(...hasLabel(labels, LEGACY_CONTROLLER_UID_LABEL, uid), ...hasLabel(labels, LEGACY_JOB_NAME_LABEL, name));
  errs.push(...hasLabel(labels, CONTROLLER_UID_LABEL, uid), ...hasLabel(labels, JOB_NAME_LABEL, name));
  const expected = { [CONTROLLER_UID_LABEL]: uid, [JOB_NAME_LABEL]: name, [LEGACY_CONTROLLER_UID_LABEL]: uid, [LEGACY_JOB_NAME_LABEL]: name };
  const matches = selectorMatcher(spec.selector as LabelSelector);
  if (matches && !matches(expected)) errs.push(fieldErrors.invalid('spec.selector', spec.selector, '`selector` not auto-generated'));
  return errs;
}

/**
 * The pod template every apps workload embeds (spec.template), defaulted and validated
 * through core/pods.ts's exported pod spec rules with field paths under the template, plus
 * the workload rules around it: the selector must select the template's labels, pods
 * restart Always, and activeDeadlineSeconds has no meaning for long-running pods.
 */
import type { V1PodSpec } from '@kubernetes/client-node';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { labelSelectorMatcher, validateLabelSelector, type LabelSelector } from '../../selectors/label-selector.js';
import { validatePodTemplateMetadata, validatePodTemplateSpec } from '../core/pod-template-spec.js';
import { defaultPodSpec } from '../core/pods.js';
import { childRecord } from './field-checks.js';
import { goInvalid, goLabelSelector, goStringMap } from './go-values.js';

interface TemplateShape {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: V1PodSpec & { ephemeralContainers?: unknown[] };
}

const templateOf = (spec: Record<string, unknown>): TemplateShape => {
  const t = spec.template;
  return t && typeof t === 'object' && !Array.isArray(t) ? (t as TemplateShape) : {};
};

/** kube defaults a template's pod spec as it would a pod's (without the pod-only extras) */
export function defaultPodTemplate(spec: Record<string, unknown>): void {
  const template = childRecord(spec, 'template');
  defaultPodSpec(childRecord(template, 'spec') as unknown as V1PodSpec);
}

/** the template's labels and annotations; kube reports them at `template.labels`, not `template.metadata.labels` */
export function validateTemplateMetadata(spec: Record<string, unknown>, path = 'spec.template'): FieldError[] {
  return validatePodTemplateMetadata(templateOf(spec), path);
}

/** ValidatePodTemplateSpec: metadata, the pod spec, and no ephemeral containers */
export function validatePodTemplate(spec: Record<string, unknown>, path = 'spec.template'): FieldError[] {
  return validatePodTemplateSpec(templateOf(spec), path);
}

/**
 * The selector's own rules: `required` (all but DaemonSet), valid syntax, and not empty
 * ("empty selector is invalid for <noun>"; ReplicaSets reuse the Deployment wording, as in kube).
 */
export function validateWorkloadSelector(selector: unknown, noun: string, required = true): FieldError[] {
  if (selector === undefined || selector === null) return required ? [fieldErrors.required('spec.selector')] : [];
  const sel = selector as LabelSelector;
  const errs = validateLabelSelector(sel, 'spec.selector');
  if (Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0)
    errs.push(goInvalid('spec.selector', goLabelSelector(selector), `empty selector is invalid for ${noun}`));
  return errs;
}

/**
 * Does the selector select the template's labels? undefined when the selector cannot be
 * turned into a label selector at all (the caller words that). A missing selector selects
 * nothing, so it never matches; an empty one selects everything.
 */
export function templateMatchErrors(spec: Record<string, unknown>, path = 'spec.template'): FieldError[] | undefined {
  let matches: (labels: Record<string, string> | undefined) => boolean;
  try {
    matches = labelSelectorMatcher(spec.selector as LabelSelector | undefined);
  } catch {
    return undefined;
  }
  const labels = templateOf(spec).metadata?.labels;
  return matches(labels) ? [] : [goInvalid(`${path}.metadata.labels`, goStringMap(labels), '`selector` does not match template `labels`')];
}

/** Workload pods run forever: restartPolicy Always and no activeDeadlineSeconds. */
export function longRunningPodRules(spec: Record<string, unknown>, kind: string, path = 'spec.template'): FieldError[] {
  const podSpec = templateOf(spec).spec ?? ({} as V1PodSpec);
  const errs: FieldError[] = [];
  if (podSpec.restartPolicy !== 'Always') errs.push(fieldErrors.notSupported(`${path}.spec.restartPolicy`, podSpec.restartPolicy ?? '', ['Always']));
  if (podSpec.activeDeadlineSeconds !== undefined && podSpec.activeDeadlineSeconds !== null)
    errs.push(fieldErrors.forbidden(`${path}.spec.activeDeadlineSeconds`, `activeDeadlineSeconds in ${kind} is not Supported`));
  return errs;
}

/**
 * ValidatePodTemplateSpecForReplicaSet (Deployments and ReplicaSets): the selector check,
 * then the template, then the long-running rules; an unparsable selector is reported
 * instead of the template.
 */
export function validateReplicaSetTemplate(spec: Record<string, unknown>): FieldError[] {
  const match = templateMatchErrors(spec);
  if (match === undefined) return [goInvalid('spec.selector', goLabelSelector(spec.selector), 'invalid label selector')];
  return [...match, ...validatePodTemplate(spec), ...longRunningPodRules(spec, 'ReplicaSet')];
}

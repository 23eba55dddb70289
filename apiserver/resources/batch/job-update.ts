/**
 * What a Job update may change (kube's ValidateJobSpecUpdate): selector, completion mode,
 * failure/success policies, per-index backoff and managedBy never; completions only for
 * Indexed Jobs and in step with parallelism (elastic Indexed Jobs, GA in kube 1.31); the
 * pod template only while the Job is suspended and has never started, and then only its
 * scheduling directives, labels and annotations.
 */
import type { V1Job, V1JobSpec, V1PodSpec, V1PodTemplateSpec } from '@kubernetes/client-node';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { isObject } from './pod-template.js';
import { semanticEqual } from './semantic-equal.js';

const IMMUTABLE = ['selector', 'completionMode', 'podFailurePolicy', 'backoffLimitPerIndex', 'managedBy', 'successPolicy'] as const;

function validateCompletions(spec: V1JobSpec, old: V1JobSpec): FieldError[] {
  if (semanticEqual(spec.completions, old.completions)) return [];
  if (spec.completionMode !== 'Indexed') return [fieldErrors.immutable('spec.completions', spec.completions)];
  // an Indexed Job without completions is already reported by validate
  if (spec.completions === undefined || spec.completions === null) return [];
  if (spec.completions !== spec.parallelism) return [fieldErrors.invalid('spec.completions', spec.completions, 'can only be modified in tandem with spec.parallelism')];
  return [];
}

/** the old template with what a suspended, never-started Job may change taken from the new one */
function comparableOldTemplate(template: V1PodTemplateSpec | undefined, old: V1PodTemplateSpec | undefined): V1PodTemplateSpec | undefined {
  if (!isObject(old) || !isObject(template)) return old;
  const base = structuredClone(old);
  const spec: V1PodSpec = isObject(template.spec) ? template.spec : { containers: [] };
  base.spec = isObject(base.spec) ? base.spec : { containers: [] };
  const affinity = isObject(base.spec.affinity) ? { ...base.spec.affinity } : {};
  delete affinity.nodeAffinity;
  if (isObject(spec.affinity) && spec.affinity.nodeAffinity !== undefined) affinity.nodeAffinity = spec.affinity.nodeAffinity;
  base.spec.affinity = affinity;
  if (!isObject(spec.affinity) && Object.keys(affinity).length === 0) delete base.spec.affinity;
  for (const key of ['nodeSelector', 'tolerations', 'schedulingGates'] as const) (base.spec as unknown as Record<string, unknown>)[key] = spec[key];
  base.metadata = { ...base.metadata, labels: template.metadata?.labels, annotations: template.metadata?.annotations };
  return base;
}

export function validateJobUpdate(job: V1Job, old: V1Job): FieldError[] {
  const spec = job.spec ?? ({} as V1JobSpec);
  const oldSpec = old.spec ?? ({} as V1JobSpec);
  const errs = validateCompletions(spec, oldSpec);
  const unchanged = (key: (typeof IMMUTABLE)[number]) => semanticEqual(spec[key], oldSpec[key]) || errs.push(fieldErrors.immutable(`spec.${key}`, spec[key]));
  // kube's order: completions, selector, template, then the rest
  unchanged('selector');
  const suspendedNeverStarted = oldSpec.suspend === true && !old.status?.startTime;
  const oldTemplate = suspendedNeverStarted ? comparableOldTemplate(spec.template, oldSpec.template) : oldSpec.template;
  if (!semanticEqual(spec.template, oldTemplate)) errs.push(fieldErrors.immutable('spec.template', spec.template));
  for (const key of IMMUTABLE) if (key !== 'selector') unchanged(key);
  return errs;
}

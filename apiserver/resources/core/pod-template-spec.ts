/**
 * kube's ValidatePodTemplateSpec and SetDefaults_PodSpec for a template embedded in
 * another kind (a Deployment's spec.template, a Job's, a CronJob's jobTemplate's): the
 * pod rules of pods.ts with field paths under the template. kube reports the template's
 * labels and annotations at `<path>.labels`, not `<path>.metadata.labels`; so do we.
 */
import type { V1PodSpec } from '@kubernetes/client-node';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { validateAnnotations, validateLabels } from '../../validation/object-meta.js';
import { defaultPodSpec, validatePodSpecAt } from './pods.js';

interface TemplateShape {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: V1PodSpec & { ephemeralContainers?: unknown[] };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** template defaults (never the pod-only ones: a template's containers keep no requests from limits) */
export function defaultPodTemplateSpec(template: unknown): void {
  if (isRecord(template) && isRecord(template.spec)) defaultPodSpec(template.spec as unknown as V1PodSpec);
}

/** the template's labels and annotations */
export function validatePodTemplateMetadata(template: unknown, path: string): FieldError[] {
  const meta = (isRecord(template) ? (template as TemplateShape).metadata : undefined) ?? {};
  return [...validateLabels(meta.labels, `${path}.labels`), ...validateAnnotations(meta.annotations, `${path}.annotations`)];
}

/** ValidatePodTemplateSpec at `path` (e.g. 'spec.template'): metadata, the pod spec, no ephemeral containers */
export function validatePodTemplateSpec(template: unknown, path: string): FieldError[] {
  if (!isRecord(template)) return [fieldErrors.required(`${path}.spec`)];
  const spec = (template as TemplateShape).spec;
  const errs = [...validatePodTemplateMetadata(template, path), ...validatePodSpecAt(spec, `${path}.spec`)];
  if (Array.isArray(spec?.ephemeralContainers) && spec.ephemeralContainers.length > 0)
    errs.push(fieldErrors.forbidden(`${path}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template'));
  return errs;
}

/**
 * Pod templates inside batch kinds: defaulting and validation as kube's
 * SetDefaults_PodSpec / ValidatePodTemplateSpec apply them, on top of the pod rules
 * pods.ts exports.
 */
import type { V1PodTemplateSpec } from '@kubernetes/client-node';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { validateAnnotations, validateLabels } from '../../validation/object-meta.js';
import { defaultPodSpec, validatePodSpecAt } from '../core/pods.js';

/** a typed field keeps its type once known to be an object; an unknown value becomes a record */
type ObjectOf<T> = unknown extends T ? Record<string, unknown> : Extract<T, object>;
export const isObject = <T>(v: T): v is T & ObjectOf<T> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** template defaults (never the pod-only ones: a template's containers keep no requests from limits) */
export function defaultPodTemplate(template: V1PodTemplateSpec | undefined): void {
  if (isObject(template) && isObject(template.spec)) defaultPodSpec(template.spec);
}

/**
 * kube's ValidatePodTemplateSpec at `path` (e.g. 'spec.template'). kube reports template
 * labels and annotations at `<path>.labels`, not `<path>.metadata.labels`; so do we.
 */
export function validatePodTemplate(template: V1PodTemplateSpec | undefined, path: string): FieldError[] {
  if (!isObject(template)) return [fieldErrors.required(`${path}.spec`)];
  const meta = isObject(template.metadata) ? template.metadata : {};
  const errs = [...validateLabels(meta.labels, `${path}.labels`), ...validateAnnotations(meta.annotations, `${path}.annotations`)];
  errs.push(...validatePodSpecAt(template.spec, `${path}.spec`));
  if (isObject(template.spec) && Array.isArray(template.spec.ephemeralContainers) && template.spec.ephemeralContainers.length > 0)
    errs.push(fieldErrors.forbidden(`${path}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template'));
  return errs;
}

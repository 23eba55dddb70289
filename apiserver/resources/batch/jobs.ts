/**
 * batch/v1 Job: kube's job strategy and validation. On create the selector is generated
 * from the Job's uid (unless spec.manualSelector), the spec gets SetDefaults_Job, and the
 * Job takes its template's labels when it has none of its own (kube shows the same, by
 * defaulting on every read). Columns as kube ≥1.28 prints them: STATUS, COMPLETIONS,
 * DURATION; -o wide adds CONTAINERS, IMAGES, SELECTOR. Field selector status.successful.
 *
 * kube deletes a batch/v1 Job's pods only when asked (DeleteOptions default Orphan, kept
 * for compatibility; kubectl asks for Background).
 */
import type { V1Job, V1JobCondition, V1JobSpec } from '@kubernetes/client-node';
import { ALL_VERBS, type KubeObject, type ResourceDef, type Strategy } from '../../catalogue/resource-def.js';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { validateLabelSelector, type LabelSelector } from '../../selectors/label-selector.js';
import { dns1123Label } from '../../validation/names.js';
import { ageColumn, column, humanDuration, nameColumn } from '../printing.js';
import { generateSelector, selectorMatcher, validateGeneratedSelector } from './job-selector.js';
import { defaultJobSpec, specObject, validateJobSpecCommon } from './job-spec.js';
import { validateJobUpdate } from './job-update.js';
import { isObject } from './pod-template.js';
import { templateColumns } from './template-columns.js';

const asJob = (obj: KubeObject) => obj as V1Job;

function prepareForCreate(obj: KubeObject): void {
  const spec = specObject<V1JobSpec>(obj);
  // the registry has assigned metadata.uid by now
  if (spec.manualSelector !== true) generateSelector(obj, spec);
}

function defaults(obj: KubeObject): void {
  const spec = specObject<V1JobSpec>(obj);
  defaultJobSpec(spec);
  const templateLabels = spec.template?.metadata?.labels;
  if (isObject(templateLabels) && Object.keys(obj.metadata.labels ?? {}).length === 0) obj.metadata.labels = { ...templateLabels };
}

/** kube's ValidateJobSpec: the shared rules plus a selector that exists and picks the template */
function validateSpec(spec: V1JobSpec): FieldError[] {
  const errs = validateJobSpecCommon(spec, 'spec');
  const selector = spec.selector as LabelSelector | undefined;
  if (!isObject(selector)) errs.push(fieldErrors.required('spec.selector'));
  else errs.push(...validateLabelSelector(selector, 'spec.selector'));
  const labels = spec.template?.metadata?.labels;
  // a missing selector selects nothing, so kube reports this too
  const matches = selectorMatcher(selector);
  if (matches && !matches(labels)) errs.push(fieldErrors.invalid('spec.template.metadata.labels', labels ?? null, '`selector` does not match template `labels`'));
  return errs;
}

function validateStatus(job: V1Job): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of ['active', 'succeeded', 'failed', 'ready', 'terminating'] as const) {
    const v = job.status?.[key];
    if (typeof v === 'number' && v < 0) errs.push(fieldErrors.invalid(`status.${key}`, v, 'must be greater than or equal to 0'));
  }
  return errs;
}

function validate(obj: KubeObject): FieldError[] {
  const job = asJob(obj);
  if (!isObject(job.spec)) return [fieldErrors.required('spec')];
  const errs = [...validateGeneratedSelector(job), ...validateSpec(job.spec)];
  const { completions } = job.spec;
  if (job.spec.completionMode === 'Indexed' && typeof completions === 'number' && completions > 0) {
    // pods of an Indexed Job are named and hostnamed <job>-<index>
    const hostname = `${obj.metadata.name ?? ''}-${completions - 1}`;
    if (dns1123Label(hostname).length) errs.push(fieldErrors.invalid('metadata.name', obj.metadata.name, `will not able to create pod with invalid DNS label: ${hostname}`));
  }
  return [...errs, ...validateStatus(job)];
}

export const jobStrategy: Strategy = {
  prepareForCreate,
  defaults,
  validate,
  validateUpdate: (obj, old) => validateJobUpdate(asJob(obj), asJob(old)),
};

const hasCondition = (job: V1Job, type: string) => (job.status?.conditions ?? []).some((c: V1JobCondition) => c.type === type && c.status === 'True');

/** kube's printJob STATUS: terminal conditions first, then deletion, suspension, pending failure or success */
export function jobStatus(obj: KubeObject): string {
  const job = asJob(obj);
  if (hasCondition(job, 'Complete')) return 'Complete';
  if (hasCondition(job, 'Failed')) return 'Failed';
  if (obj.metadata.deletionTimestamp) return 'Terminating';
  if (hasCondition(job, 'Suspended')) return 'Suspended';
  if (hasCondition(job, 'FailureTarget')) return 'FailureTarget';
  // a success policy was met; the Job completes once its remaining pods are gone
  if (hasCondition(job, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

/** "succeeded/completions"; a work queue (no completions) needs one success: "0/1", or "0/1 of 3" */
export function jobCompletions(obj: KubeObject): string {
  const { spec, status } = asJob(obj);
  const succeeded = status?.succeeded ?? 0;
  if (typeof spec?.completions === 'number') return `${succeeded}/${spec.completions}`;
  const parallelism = spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

const timeOf = (v: unknown) => (v ? new Date(v as string | Date).getTime() : undefined);

/** from startTime to completionTime, or to now while running; empty before the Job starts */
export function jobDuration(obj: KubeObject, now: Date): string {
  const start = timeOf(asJob(obj).status?.startTime);
  if (start === undefined) return '';
  const end = timeOf(asJob(obj).status?.completionTime) ?? now.getTime();
  return humanDuration(end - start);
}

export const jobs: ResourceDef = {
  group: 'batch',
  version: 'v1',
  kind: 'Job',
  plural: 'jobs',
  singular: 'job',
  shortNames: [],
  namespaced: true,
  categories: ['all'],
  verbs: [...ALL_VERBS],
  modelName: 'V1Job',
  subresources: [{ name: 'status', verbs: ['get', 'patch', 'update'] }],
  printerColumns: [
    nameColumn,
    column('Status', 'string', 'Status of the job.', jobStatus),
    column('Completions', 'string', 'The completion status of the job.', jobCompletions),
    column('Duration', 'string', 'Time required to complete the job.', jobDuration),
    ageColumn,
    ...templateColumns(
      (o) => asJob(o).spec?.template?.spec,
      (o) => asJob(o).spec?.selector,
    ),
  ],
  selectableFields: { 'status.successful': (o) => String(asJob(o).status?.succeeded ?? 0) },
  defaultPropagation: 'Orphan',
  strategy: jobStrategy,
};

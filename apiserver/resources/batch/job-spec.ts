/**
 * The JobSpec rules a Job and a CronJob's jobTemplate share: kube's SetDefaults_Job and
 * the lower-case validateJobSpec of pkg/apis/batch/validation (counts, completion mode,
 * indexed-job limits, failure/success/replacement policies, the pod template and its
 * restart policy). What differs (selectors, name checks, updates) is in jobs.ts and
 * cronjobs.ts.
 */
import type { V1JobSpec } from '@kubernetes/client-node';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { dns1123Subdomain } from '../../validation/names.js';
import { defaultPodFailurePolicy, validatePodFailurePolicy, validateSuccessPolicy } from './pod-failure-policy.js';
import { defaultPodTemplate, isObject, validatePodTemplate } from './pod-template.js';

const MAX_INT32 = 2 ** 31 - 1;
/** kube's caps, which keep status.completedIndexes and failedIndexes to a sane length */
const LIMITS = {
  parallelismIndexed: 100_000,
  failedIndexes: 100_000,
  completionsSoft: 100_000,
  parallelismHighCompletions: 10_000,
  failedIndexesHighCompletions: 10_000,
  managedByLength: 63,
};

const COMPLETION_MODES = ['NonIndexed', 'Indexed'];
const REPLACEMENT_POLICIES = ['Failed', 'TerminatingOrFailed'];
const NEGATIVE = 'must be greater than or equal to 0';
const HTTP_PATH_FMT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";

const isSet = (v: unknown) => v !== undefined && v !== null;
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** the spec of obj.spec, created empty when missing so hooks can fill it */
export function specObject<T>(obj: Record<string, unknown>, key = 'spec'): T {
  if (!isObject(obj[key])) obj[key] = {};
  return obj[key] as T;
}

/** defaults every JobSpec gets, a CronJob's jobTemplate included (kube's type-level defaulters) */
export function defaultJobTemplateSpec(spec: V1JobSpec): void {
  defaultPodTemplate(spec.template);
  defaultPodFailurePolicy(spec);
}

/** kube's SetDefaults_Job, for the spec; the Job's own labels are copied in jobs.ts */
export function defaultJobSpec(spec: V1JobSpec): void {
  defaultJobTemplateSpec(spec);
  // Neither set: a single pod to completion. Only parallelism set: a work queue.
  if (!isSet(spec.completions) && !isSet(spec.parallelism)) spec.completions = 1;
  if (!isSet(spec.parallelism)) spec.parallelism = 1;
  // with per-index limits the global limit should not trigger first
  if (!isSet(spec.backoffLimit)) spec.backoffLimit = isSet(spec.backoffLimitPerIndex) ? MAX_INT32 : 6;
  spec.completionMode ||= 'NonIndexed';
  spec.suspend ??= false;
  spec.podReplacementPolicy ||= isSet(spec.podFailurePolicy) ? 'Failed' : 'TerminatingOrFailed';
  spec.manualSelector ??= false;
}

function nonNegative(spec: V1JobSpec, at: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex', 'maxFailedIndexes'] as const) {
    const v = num(spec[key]);
    if (v !== undefined && v < 0) errs.push(fieldErrors.invalid(`${at}.${key}`, v, NEGATIVE));
  }
  if (isSet(spec.maxFailedIndexes) && !isSet(spec.backoffLimitPerIndex))
    errs.push(fieldErrors.required(`${at}.backoffLimitPerIndex`, 'when maxFailedIndexes is specified'));
  return errs;
}

/** apimachinery's IsDomainPrefixedPath, for spec.managedBy */
function validateManagedBy(value: string, at: string): FieldError[] {
  const slash = value.indexOf('/');
  const [host, path] = slash < 0 ? [value, ''] : [value.slice(0, slash), value.slice(slash + 1)];
  if (value === '') return [fieldErrors.required(at)];
  const errs: FieldError[] = [];
  if (slash < 0 || host === '' || path === '') errs.push(fieldErrors.invalid(at, value, 'must be a domain-prefixed path (such as "acme.io/foo")'));
  else {
    for (const msg of dns1123Subdomain(host)) errs.push(fieldErrors.invalid(at, host, msg));
    if (!new RegExp(`^${HTTP_PATH_FMT}$`).test(path)) errs.push(fieldErrors.invalid(at, path, `must be a valid path (regex used for validation is '${HTTP_PATH_FMT}')`));
  }
  if (value.length > LIMITS.managedByLength) errs.push(fieldErrors.tooLong(at, LIMITS.managedByLength));
  return errs;
}

/** Indexed mode's needs and limits; per-index fields outside it */
function validateCompletionMode(spec: V1JobSpec, at: string): FieldError[] {
  const errs: FieldError[] = [];
  const mode = spec.completionMode;
  const completions = num(spec.completions);
  const parallelism = num(spec.parallelism);
  const maxFailed = num(spec.maxFailedIndexes);
  if (isSet(mode) && !COMPLETION_MODES.includes(mode!)) errs.push(fieldErrors.notSupported(`${at}.completionMode`, mode, COMPLETION_MODES));
  if (mode === 'Indexed') {
    if (!isSet(spec.completions)) errs.push(fieldErrors.required(`${at}.completions`, 'when completion mode is Indexed'));
    if (parallelism !== undefined && parallelism > LIMITS.parallelismIndexed)
      errs.push(fieldErrors.invalid(`${at}.parallelism`, parallelism, `must be less than or equal to ${LIMITS.parallelismIndexed} when completion mode is Indexed`));
    if (completions !== undefined && maxFailed !== undefined && maxFailed > completions)
      errs.push(fieldErrors.invalid(`${at}.maxFailedIndexes`, maxFailed, 'must be less than or equal to completions'));
    if (maxFailed !== undefined && maxFailed > LIMITS.failedIndexes)
      errs.push(fieldErrors.invalid(`${at}.maxFailedIndexes`, maxFailed, `must be less than or equal to ${LIMITS.failedIndexes}`));
    if (completions !== undefined && completions > LIMITS.completionsSoft && isSet(spec.backoffLimitPerIndex)) {
      const high = `when completions are above ${LIMITS.completionsSoft} and used with backoff limit per index`;
      if (maxFailed === undefined) errs.push(fieldErrors.required(`${at}.maxFailedIndexes`, `must be specified when completions is above ${LIMITS.completionsSoft}`));
      if (parallelism !== undefined && parallelism > LIMITS.parallelismHighCompletions)
        errs.push(fieldErrors.invalid(`${at}.parallelism`, parallelism, `must be less than or equal to ${LIMITS.parallelismHighCompletions} ${high}`));
      if (maxFailed !== undefined && maxFailed > LIMITS.failedIndexesHighCompletions)
        errs.push(fieldErrors.invalid(`${at}.maxFailedIndexes`, maxFailed, `must be less than or equal to ${LIMITS.failedIndexesHighCompletions} ${high}`));
    }
  } else if (!isSet(mode) || mode === 'NonIndexed') {
    for (const key of ['backoffLimitPerIndex', 'maxFailedIndexes'] as const)
      if (isSet(spec[key])) errs.push(fieldErrors.invalid(`${at}.${key}`, spec[key], 'requires indexed completion mode'));
  }
  return errs;
}

function validateRestartPolicy(spec: V1JobSpec, at: string): FieldError[] {
  const policy = isObject(spec.template) && isObject(spec.template.spec) ? spec.template.spec.restartPolicy : undefined;
  const field = `${at}.template.spec.restartPolicy`;
  // a template without one was defaulted to Always, so both mean "not chosen"
  if (!policy || policy === 'Always') return [fieldErrors.required(field, 'valid values: "OnFailure", "Never"')];
  if (policy !== 'OnFailure' && policy !== 'Never') return [fieldErrors.notSupported(field, policy, ['OnFailure', 'Never'])];
  if (isSet(spec.podFailurePolicy) && policy !== 'Never') return [fieldErrors.invalid(field, policy, 'only "Never" is supported when podFailurePolicy is specified')];
  return [];
}

/** kube's validateJobSpec at `at` ('spec', or 'spec.jobTemplate.spec' in a CronJob) */
export function validateJobSpecCommon(spec: V1JobSpec, at: string): FieldError[] {
  const errs = [...nonNegative(spec, at)];
  if (isSet(spec.managedBy)) errs.push(...validateManagedBy(String(spec.managedBy), `${at}.managedBy`));
  errs.push(...validateCompletionMode(spec, at));
  if (isSet(spec.podFailurePolicy)) errs.push(...validatePodFailurePolicy(spec, `${at}.podFailurePolicy`));
  if (isSet(spec.successPolicy)) {
    if (spec.completionMode !== 'Indexed') errs.push(fieldErrors.invalid(`${at}.successPolicy`, spec.successPolicy, 'requires indexed completion mode'));
    else errs.push(...validateSuccessPolicy(spec, `${at}.successPolicy`));
  }
  const replacement = spec.podReplacementPolicy;
  if (isSet(replacement)) {
    if (isSet(spec.podFailurePolicy)) {
      if (replacement !== 'Failed') errs.push(fieldErrors.notSupported(`${at}.podReplacementPolicy`, replacement, ['Failed']));
    } else if (!REPLACEMENT_POLICIES.includes(replacement!)) errs.push(fieldErrors.notSupported(`${at}.podReplacementPolicy`, replacement, REPLACEMENT_POLICIES));
  }
  errs.push(...validatePodTemplate(spec.template, `${at}.template`));
  errs.push(...validateRestartPolicy(spec, at));
  return errs;
}

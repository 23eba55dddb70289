/**
 * batch/v1 CronJob: kube's SetDefaults_CronJob (concurrencyPolicy Allow, suspend false,
 * history limits 3 and 1; the job template's pod template gets pod defaults, but not the
 * Job-level ones, as in kube) and ValidateCronJobCreate/Update: a schedule robfig/cron
 * accepts (cron-schedule.ts), no TZ= in it (spec.timeZone instead), a real IANA zone,
 * non-negative deadlines and limits, a job template without a selector, and on create a
 * name of at most 52 characters (the controller appends "-<11 digits>" for its Jobs).
 * Columns as kubectl prints them: SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE;
 * -o wide adds CONTAINERS IMAGES SELECTOR.
 */
import type { V1CronJob, V1CronJobSpec, V1JobSpec } from '@kubernetes/client-node';
import { ALL_VERBS, type KubeObject, type ResourceDef, type Strategy } from '../../catalogue/resource-def.js';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { timestampAge } from '../../table/age.js';
import { ageColumn, column, nameColumn } from '../printing.js';
import { cronScheduleError } from './cron-schedule.js';
import { defaultJobTemplateSpec, specObject, validateJobSpecCommon } from './job-spec.js';
import { isObject } from './pod-template.js';
import { templateColumns } from './template-columns.js';
import { isKnownTimeZone } from './zone-time.js';

/** 63 (a Job name's limit) less the 11 characters of the controller's "-<scheduled minute>" suffix */
export const MAX_CRONJOB_NAME_LENGTH = 52;
const CONCURRENCY_POLICIES = ['Allow', 'Forbid', 'Replace'];
// kube's rule for each '/'-separated part of a zone name (IANA naming, plus digits and '+' for legacy names)
const ZONE_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;
const NEGATIVE = 'must be greater than or equal to 0';

const asCronJob = (obj: KubeObject) => obj as V1CronJob;
const isSet = (v: unknown) => v !== undefined && v !== null;

function jobTemplateSpec(spec: V1CronJobSpec): V1JobSpec {
  if (!isObject(spec.jobTemplate)) spec.jobTemplate = {};
  return specObject<V1JobSpec>(spec.jobTemplate as Record<string, unknown>);
}

function defaults(obj: KubeObject): void {
  const spec = specObject<V1CronJobSpec>(obj);
  spec.concurrencyPolicy ||= 'Allow';
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= 3;
  spec.failedJobsHistoryLimit ??= 1;
  defaultJobTemplateSpec(jobTemplateSpec(spec));
}

/** robfig's parse error, then kube's own rule on TZ= (kept only for CronJobs that already had one) */
function validateSchedule(schedule: string, allowTZ: boolean, timeZone: string | undefined): FieldError[] {
  const at = 'spec.schedule';
  const errs: FieldError[] = [];
  const parseError = cronScheduleError(schedule);
  if (parseError) errs.push(fieldErrors.invalid(at, schedule, parseError));
  if (schedule.includes('TZ')) {
    if (!allowTZ) errs.push(fieldErrors.invalid(at, schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
    else if (timeZone !== undefined) errs.push(fieldErrors.invalid(at, schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
  }
  return errs;
}

export function validateTimeZone(tz: string): FieldError[] {
  const at = 'spec.timeZone';
  if (tz === '') return [fieldErrors.invalid(at, tz, 'timeZone must be nil or non-empty string')];
  for (const part of tz.split('/')) {
    if (part === '.' || part === '..' || part.startsWith('-') || !ZONE_PART.test(part)) return [fieldErrors.invalid(at, tz, `unknown time zone ${tz}`)];
  }
  const errs: FieldError[] = [];
  if (tz.toLowerCase() === 'local') errs.push(fieldErrors.invalid(at, tz, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'));
  // Go loads "Local" (the process's zone) without complaint; any other name must exist
  if (tz !== 'Local' && !isKnownTimeZone(tz)) errs.push(fieldErrors.invalid(at, tz, `unknown time zone ${tz}`));
  return errs;
}

/** kube's ValidateJobTemplateSpec: the Job rules, and the selector is always generated */
function validateJobTemplate(spec: V1JobSpec): FieldError[] {
  const at = 'spec.jobTemplate.spec';
  const errs = validateJobSpecCommon(spec, at);
  if (isSet(spec.selector)) errs.push(fieldErrors.invalid(`${at}.selector`, spec.selector, '`selector` will be auto-generated'));
  if (spec.manualSelector === true) errs.push(fieldErrors.notSupported(`${at}.manualSelector`, true, ['nil', 'false']));
  return errs;
}

/** kube's validateCronJobSpec; `old` is the stored spec on update */
function validateSpec(spec: V1CronJobSpec, old: V1CronJobSpec | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const timeZone = isSet(spec.timeZone) ? String(spec.timeZone) : undefined;
  if (!spec.schedule) errs.push(fieldErrors.required('spec.schedule'));
  else errs.push(...validateSchedule(String(spec.schedule), old !== undefined && String(old.schedule ?? '').includes('TZ'), timeZone));
  if (typeof spec.startingDeadlineSeconds === 'number' && spec.startingDeadlineSeconds < 0)
    errs.push(fieldErrors.invalid('spec.startingDeadlineSeconds', spec.startingDeadlineSeconds, NEGATIVE));
  // an unchanged zone is not re-checked, so a zone later dropped from tzdata does not block updates
  if (timeZone !== undefined && (old === undefined || old.timeZone !== spec.timeZone)) errs.push(...validateTimeZone(timeZone));
  const policy = spec.concurrencyPolicy;
  if (!policy) errs.push(fieldErrors.required('spec.concurrencyPolicy'));
  else if (!CONCURRENCY_POLICIES.includes(policy)) errs.push(fieldErrors.notSupported('spec.concurrencyPolicy', policy, CONCURRENCY_POLICIES));
  errs.push(...validateJobTemplate(jobTemplateSpec(spec)));
  for (const key of ['successfulJobsHistoryLimit', 'failedJobsHistoryLimit'] as const) {
    const v = spec[key];
    if (typeof v === 'number' && v < 0) errs.push(fieldErrors.invalid(`spec.${key}`, v, NEGATIVE));
  }
  return errs;
}

// validate() serves create and update alike; only a create runs prepareForCreate first
const creating = new WeakSet<KubeObject>();

function validate(obj: KubeObject): FieldError[] {
  // updates are judged against the stored object in validateUpdate
  if (!creating.has(obj)) return [];
  creating.delete(obj);
  const errs = validateSpec(specObject<V1CronJobSpec>(obj), undefined);
  const name = obj.metadata.name ?? '';
  if (name.length > MAX_CRONJOB_NAME_LENGTH) errs.push(fieldErrors.invalid('metadata.name', name, `must be no more than ${MAX_CRONJOB_NAME_LENGTH} characters`));
  return errs;
}

export const cronJobStrategy: Strategy = {
  prepareForCreate: (obj) => void creating.add(obj),
  defaults,
  validate,
  // no name-length check here: CronJobs named before the limit must stay updatable
  validateUpdate: (obj, old) => validateSpec(specObject<V1CronJobSpec>(obj), specObject<V1CronJobSpec>(old)),
};

/** kube's printBoolPtr */
const boolCell = (v: boolean | undefined) => (v === undefined || v === null ? '<unset>' : v ? 'True' : 'False');

export const cronjobs: ResourceDef = {
  group: 'batch',
  version: 'v1',
  kind: 'CronJob',
  plural: 'cronjobs',
  singular: 'cronjob',
  shortNames: ['cj'],
  namespaced: true,
  categories: ['all'],
  verbs: [...ALL_VERBS],
  modelName: 'V1CronJob',
  subresources: [{ name: 'status', verbs: ['get', 'patch', 'update'] }],
  printerColumns: [
    nameColumn,
    column('Schedule', 'string', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.', (o) => asCronJob(o).spec?.schedule ?? ''),
    column('Timezone', 'string', 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.', (o) => asCronJob(o).spec?.timeZone ?? '<none>'),
    column('Suspend', 'boolean', 'This flag tells the controller to suspend subsequent executions.', (o) => boolCell(asCronJob(o).spec?.suspend)),
    column('Active', 'integer', 'A list of pointers to currently running jobs.', (o) => (Array.isArray(asCronJob(o).status?.active) ? asCronJob(o).status!.active!.length : 0)),
    column('Last Schedule', 'string', 'Information when was the last time the job was successfully scheduled.', (o, now) => {
      const last = asCronJob(o).status?.lastScheduleTime as unknown as string | undefined;
      return last ? timestampAge(last, now) : '<none>';
    }),
    ageColumn,
    ...templateColumns(
      (o) => asCronJob(o).spec?.jobTemplate?.spec?.template?.spec,
      (o) => asCronJob(o).spec?.jobTemplate?.spec?.selector,
    ),
  ],
  strategy: cronJobStrategy,
};

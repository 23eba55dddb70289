/**
 * apps/v1 StatefulSet: kube's SetDefaults_StatefulSet (OrderedReady, RollingUpdate with
 * partition 0, Retain/Retain claim retention, one replica, ten revisions kept; claim
 * templates defaulted as PVCs) and ValidateStatefulSetSpec / ValidateStatefulSetUpdate.
 *
 * As in kube, the template's pod spec is not validated here (its volume mounts may name
 * volumeClaimTemplates, which the pod spec rules would reject); only its metadata, the
 * selector match and the long-running pod rules are.
 */
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject, ResourceDef, Strategy } from '../../catalogue/resource-def.js';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { ageColumn, column, nameColumn } from '../printing.js';
import { childRecord, nonNegative, specChangedAfterDefaults, specRecord } from './field-checks.js';
import { goIntOrString, goInvalid, goLabelSelector, goPointer, goQuote } from './go-values.js';
import { intOrPercentValue, notMoreThan100Percent, validateIntOrPercent } from './int-or-percent.js';
import { defaultPodTemplate, longRunningPodRules, templateMatchErrors, validateTemplateMetadata, validateWorkloadSelector } from './pod-template.js';
import { STATEFULSET_STATUS, withStatusRules } from './status-checks.js';
import { workloadDef } from './workload-def.js';
import { count, containersColumn, imagesColumn } from './workload-columns.js';

const RETENTION_POLICIES = ['Retain', 'Delete'];
const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** claim templates get a PVC's defaults, and the type fields kube writes into them */
function defaultClaimTemplate(claim: Record<string, unknown>): void {
  claim.apiVersion ||= 'v1';
  claim.kind ||= 'PersistentVolumeClaim';
  childRecord(claim, 'spec').volumeMode ||= 'Filesystem';
  childRecord(claim, 'status').phase ||= 'Pending';
}

function defaults(obj: KubeObject): void {
  const spec = specRecord(obj);
  spec.podManagementPolicy ||= 'OrderedReady';
  const strategy = childRecord(spec, 'updateStrategy');
  if (!strategy.type) {
    strategy.type = 'RollingUpdate';
    strategy.rollingUpdate ??= {};
  }
  // an explicit RollingUpdate without rollingUpdate stays without it, as in kube
  if (strategy.type === 'RollingUpdate' && isRecord(strategy.rollingUpdate)) strategy.rollingUpdate.partition ??= 0;
  const retention = childRecord(spec, 'persistentVolumeClaimRetentionPolicy');
  retention.whenDeleted ||= 'Retain';
  retention.whenScaled ||= 'Retain';
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  defaultPodTemplate(spec);
  if (Array.isArray(spec.volumeClaimTemplates)) for (const claim of spec.volumeClaimTemplates) if (isRecord(claim)) defaultClaimTemplate(claim);
}

function validateRollingUpdate(rolling: Record<string, unknown>): FieldError[] {
  const at = 'spec.updateStrategy.rollingUpdate';
  const errs = nonNegative(rolling.partition, `${at}.partition`);
  const maxUnavailable = rolling.maxUnavailable;
  if (maxUnavailable !== undefined && maxUnavailable !== null) {
    errs.push(...validateIntOrPercent(maxUnavailable, `${at}.maxUnavailable`));
    if (intOrPercentValue(maxUnavailable) === 0) errs.push(goInvalid(`${at}.maxUnavailable`, goIntOrString(maxUnavailable), 'cannot be 0'));
    errs.push(...notMoreThan100Percent(maxUnavailable, `${at}.maxUnavailable`));
  }
  return errs;
}

function validateUpdateStrategy(strategy: Record<string, unknown>): FieldError[] {
  const rolling = isRecord(strategy.rollingUpdate) ? strategy.rollingUpdate : undefined;
  switch (strategy.type ?? '') {
    case '':
      return [fieldErrors.required('spec.updateStrategy')];
    case 'OnDelete': {
      if (!rolling) return [];
      const partition = typeof rolling.partition === 'number' ? rolling.partition : 0;
      const rendered = `apps.RollingUpdateStatefulSetStrategy{Partition:${partition}, MaxUnavailable:${goPointer('intstr.IntOrString', rolling.maxUnavailable != null)}}`;
      return [goInvalid('spec.updateStrategy.rollingUpdate', rendered, "only allowed for updateStrategy 'RollingUpdate'")];
    }
    case 'RollingUpdate':
      return rolling ? validateRollingUpdate(rolling) : [];
    default: {
      const rendered = `apps.StatefulSetUpdateStrategy{Type:${goQuote(String(strategy.type))}, RollingUpdate:${goPointer('apps.RollingUpdateStatefulSetStrategy', !!rolling)}}`;
      return [goInvalid('spec.updateStrategy', rendered, "must be 'RollingUpdate' or 'OnDelete'")];
    }
  }
}

function validateRetention(policy: unknown): FieldError[] {
  if (!isRecord(policy)) return [];
  const errs: FieldError[] = [];
  for (const key of ['whenDeleted', 'whenScaled']) {
    const v = policy[key] ?? '';
    if (!RETENTION_POLICIES.includes(v as string)) errs.push(fieldErrors.notSupported(`spec.persistentVolumeClaimRetentionPolicy.${key}`, v, RETENTION_POLICIES));
  }
  return errs;
}

function validate(obj: KubeObject): FieldError[] {
  const spec = specRecord(obj);
  const errs: FieldError[] = [];
  const policy = spec.podManagementPolicy ?? '';
  if (policy === '') errs.push(fieldErrors.required('spec.podManagementPolicy'));
  else if (policy !== 'OrderedReady' && policy !== 'Parallel') errs.push(fieldErrors.invalid('spec.podManagementPolicy', policy, "must be 'OrderedReady' or 'Parallel'"));
  errs.push(
    ...validateUpdateStrategy(isRecord(spec.updateStrategy) ? spec.updateStrategy : {}),
    ...validateRetention(spec.persistentVolumeClaimRetentionPolicy),
    ...nonNegative(spec.replicas, 'spec.replicas'),
    ...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'),
  );
  if (isRecord(spec.ordinals)) errs.push(...nonNegative(spec.ordinals.start, 'spec.ordinals.start'));
  errs.push(...validateWorkloadSelector(spec.selector, 'statefulset'));
  const match = templateMatchErrors(spec);
  if (match === undefined) errs.push(goInvalid('spec.selector', goLabelSelector(spec.selector), ''));
  else errs.push(...match, ...validateTemplateMetadata(spec));
  return [...errs, ...longRunningPodRules(spec, 'StatefulSet')];
}

/** what an update may change; everything else in spec is fixed at creation */
const UPDATABLE = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const rest = (spec: unknown) => Object.fromEntries(Object.entries(isRecord(spec) ? spec : {}).filter(([k, v]) => !UPDATABLE.includes(k) && v !== undefined));
  if (isDeepStrictEqual(rest(obj.spec), rest(old.spec))) return [];
  return [
    fieldErrors.forbidden(
      'spec',
      "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ),
  ];
}

export const statefulSetStrategy: Strategy = withStatusRules(
  { defaults, validate, validateUpdate, specChanged: specChangedAfterDefaults(defaults) },
  STATEFULSET_STATUS,
);

export const statefulsets: ResourceDef = workloadDef({
  kind: 'StatefulSet',
  plural: 'statefulsets',
  shortName: 'sts',
  scalable: true,
  // recent kube requires a DNS-1123 label: the name becomes part of each pod's hostname
  nameRule: 'dns1123-label',
  strategy: statefulSetStrategy,
  printerColumns: [
    nameColumn,
    column('Ready', 'string', 'Number of the pod with ready state', (o) => `${count(o, 'status', 'readyReplicas')}/${count(o, 'spec', 'replicas')}`),
    ageColumn,
    containersColumn,
    imagesColumn,
  ],
});

/**
 * apps/v1 DaemonSet: kube's SetDefaults_DaemonSet (RollingUpdate with maxUnavailable 1 and
 * maxSurge 0, ten revisions kept, pod template defaults) and ValidateDaemonSetSpec. No
 * scale subresource: a DaemonSet's size is the number of eligible nodes.
 */
import type { KubeObject, ResourceDef, Strategy } from '../../catalogue/resource-def.js';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { ageColumn, column, formatLabels, nameColumn } from '../printing.js';
import { childRecord, nonNegative, selectorUnchanged, specChangedAfterDefaults, specRecord } from './field-checks.js';
import { goIntOrString, goInvalid, goNotSupported, goPointer, goQuote } from './go-values.js';
import { intOrPercentValue, notMoreThan100Percent, validateIntOrPercent } from './int-or-percent.js';
import { defaultPodTemplate, longRunningPodRules, templateMatchErrors, validatePodTemplate, validateWorkloadSelector } from './pod-template.js';
import { DAEMONSET_STATUS, withStatusRules } from './status-checks.js';
import { workloadDef } from './workload-def.js';
import { containersColumn, count, imagesColumn, selectorColumn } from './workload-columns.js';

const STRATEGY_TYPES = ['RollingUpdate', 'OnDelete'];

function defaults(obj: KubeObject): void {
  const spec = specRecord(obj);
  const strategy = childRecord(spec, 'updateStrategy');
  strategy.type ||= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const rolling = childRecord(strategy, 'rollingUpdate');
    rolling.maxUnavailable ??= 1;
    rolling.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  defaultPodTemplate(spec);
}

/** ValidateRollingUpdateDaemonSet: both int-or-percent, at most 100%, exactly one non-zero */
function validateRollingUpdate(rolling: Record<string, unknown>): FieldError[] {
  const at = 'spec.updateStrategy.rollingUpdate';
  const errs = [
    ...validateIntOrPercent(rolling.maxUnavailable, `${at}.maxUnavailable`),
    ...validateIntOrPercent(rolling.maxSurge, `${at}.maxSurge`),
    ...notMoreThan100Percent(rolling.maxUnavailable, `${at}.maxUnavailable`),
    ...notMoreThan100Percent(rolling.maxSurge, `${at}.maxSurge`),
  ];
  const hasUnavailable = intOrPercentValue(rolling.maxUnavailable) !== 0;
  const hasSurge = intOrPercentValue(rolling.maxSurge) !== 0;
  if (hasUnavailable && hasSurge) errs.push(goInvalid(`${at}.maxSurge`, goIntOrString(rolling.maxSurge), 'may not be set when maxUnavailable is non-zero'));
  if (!hasUnavailable && !hasSurge) errs.push(fieldErrors.required(`${at}.maxUnavailable`, 'cannot be 0 when maxSurge is 0'));
  return errs;
}

function validateUpdateStrategy(strategy: Record<string, unknown>): FieldError[] {
  const rolling = strategy.rollingUpdate as Record<string, unknown> | null | undefined;
  switch (strategy.type) {
    case 'OnDelete':
      return [];
    case 'RollingUpdate':
      return rolling ? validateRollingUpdate(rolling) : [fieldErrors.required('spec.updateStrategy.rollingUpdate')];
    default: {
      const rendered = `apps.DaemonSetUpdateStrategy{Type:${goQuote(String(strategy.type ?? ''))}, RollingUpdate:${goPointer('apps.RollingUpdateDaemonSet', !!rolling)}}`;
      return [goNotSupported('spec.updateStrategy', rendered, STRATEGY_TYPES)];
    }
  }
}

function validate(obj: KubeObject): FieldError[] {
  const spec = specRecord(obj);
  // kube's order differs from the ReplicaSet family: selector syntax, match, then emptiness
  const selectorErrs = validateWorkloadSelector(spec.selector, 'daemonset', false);
  const empty = selectorErrs.filter((e) => e.message.endsWith('empty selector is invalid for daemonset'));
  return [
    ...selectorErrs.filter((e) => !empty.includes(e)),
    ...(templateMatchErrors(spec) ?? []),
    ...empty,
    ...validatePodTemplate(spec),
    ...longRunningPodRules(spec, 'DaemonSet'),
    ...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'),
    ...validateUpdateStrategy(childRecord(spec, 'updateStrategy')),
    ...nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'),
  ];
}

export const daemonSetStrategy: Strategy = withStatusRules(
  {
    defaults,
    validate,
    validateUpdate: selectorUnchanged,
    specChanged: specChangedAfterDefaults(defaults),
  },
  DAEMONSET_STATUS,
);

const nodeSelectorOf = (o: KubeObject) => (o.spec as { template?: { spec?: { nodeSelector?: Record<string, string> } } } | undefined)?.template?.spec?.nodeSelector;

export const daemonsets: ResourceDef = workloadDef({
  kind: 'DaemonSet',
  plural: 'daemonsets',
  shortName: 'ds',
  // no scale: a DaemonSet's size is the number of eligible nodes
  scalable: false,
  strategy: daemonSetStrategy,
  printerColumns: [
    nameColumn,
    column('Desired', 'integer', 'The total number of nodes that should be running the daemon pod.', (o) => count(o, 'status', 'desiredNumberScheduled')),
    column('Current', 'integer', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.', (o) =>
      count(o, 'status', 'currentNumberScheduled'),
    ),
    column('Ready', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.', (o) =>
      count(o, 'status', 'numberReady'),
    ),
    column('Up-to-date', 'integer', 'The total number of nodes that are running updated daemon pod', (o) => count(o, 'status', 'updatedNumberScheduled')),
    column('Available', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.', (o) =>
      count(o, 'status', 'numberAvailable'),
    ),
    column('Node Selector', 'string', 'NodeSelector is a selector which must be true for the pod to fit on a node.', (o) => formatLabels(nodeSelectorOf(o))),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
});

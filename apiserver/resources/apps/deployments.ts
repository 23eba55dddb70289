/**
 * apps/v1 Deployment: kube's SetDefaults_Deployment (one replica, a 25%/25% rolling update,
 * ten old ReplicaSets kept, a 600s progress deadline, pod template defaults) and
 * ValidateDeployment / the apps/v1 update rule that the selector never changes.
 */
import type { KubeObject, ResourceDef, Strategy } from '../../catalogue/resource-def.js';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { ageColumn, column, nameColumn } from '../printing.js';
import { childRecord, nonNegative, selectorUnchanged, specChangedAfterDefaults, specRecord } from './field-checks.js';
import { goIntOrString, goInvalid, goNotSupported, goPointer, goQuote } from './go-values.js';
import { intOrPercentValue, notMoreThan100Percent, validateIntOrPercent } from './int-or-percent.js';
import { defaultPodTemplate, validateReplicaSetTemplate, validateWorkloadSelector } from './pod-template.js';
import { DEPLOYMENT_STATUS, withStatusRules } from './status-checks.js';
import { workloadDef } from './workload-def.js';
import { containersColumn, count, imagesColumn, selectorColumn } from './workload-columns.js';

const STRATEGY_TYPES = ['Recreate', 'RollingUpdate'];

function defaults(obj: KubeObject): void {
  const spec = specRecord(obj);
  spec.replicas ??= 1;
  const strategy = childRecord(spec, 'strategy');
  strategy.type ||= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const rolling = childRecord(strategy, 'rollingUpdate');
    rolling.maxUnavailable ??= '25%';
    rolling.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultPodTemplate(spec);
}

function validateStrategy(strategy: Record<string, unknown>): FieldError[] {
  const rolling = strategy.rollingUpdate as Record<string, unknown> | null | undefined;
  switch (strategy.type) {
    case 'Recreate':
      return rolling ? [fieldErrors.forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'")] : [];
    case 'RollingUpdate': {
      if (!rolling) return [fieldErrors.required('spec.strategy.rollingUpdate', 'this should be defaulted and never be nil')];
      const at = 'spec.strategy.rollingUpdate';
      const errs = [...validateIntOrPercent(rolling.maxUnavailable, `${at}.maxUnavailable`), ...validateIntOrPercent(rolling.maxSurge, `${at}.maxSurge`)];
      if (intOrPercentValue(rolling.maxUnavailable) === 0 && intOrPercentValue(rolling.maxSurge) === 0) {
        errs.push(goInvalid(`${at}.maxUnavailable`, goIntOrString(rolling.maxUnavailable), 'may not be 0 when `maxSurge` is 0'));
      }
      return [...errs, ...notMoreThan100Percent(rolling.maxUnavailable, `${at}.maxUnavailable`)];
    }
    default: {
      // kube reports the whole strategy struct, Go-printed
      const rendered = `apps.DeploymentStrategy{Type:${goQuote(String(strategy.type ?? ''))}, RollingUpdate:${goPointer('apps.RollingUpdateDeployment', !!rolling)}}`;
      return [goNotSupported('spec.strategy', rendered, STRATEGY_TYPES)];
    }
  }
}

function validate(obj: KubeObject): FieldError[] {
  const spec = specRecord(obj);
  const errs = [
    ...nonNegative(spec.replicas, 'spec.replicas'),
    ...validateWorkloadSelector(spec.selector, 'deployment'),
    ...validateReplicaSetTemplate(spec),
    ...validateStrategy(childRecord(spec, 'strategy')),
    ...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'),
    ...nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'),
  ];
  const deadline = spec.progressDeadlineSeconds;
  if (typeof deadline === 'number') {
    errs.push(...nonNegative(deadline, 'spec.progressDeadlineSeconds'));
    const minReady = typeof spec.minReadySeconds === 'number' ? spec.minReadySeconds : 0;
    if (deadline <= minReady) errs.push(fieldErrors.invalid('spec.progressDeadlineSeconds', deadline, 'must be greater than minReadySeconds'));
  }
  return errs;
}

export const deploymentStrategy: Strategy = withStatusRules(
  {
    defaults,
    validate,
    validateUpdate: selectorUnchanged,
    specChanged: specChangedAfterDefaults(defaults, true),
    // kube's deploymentStatusStrategy resets spec and labels only: the controller's revision annotation travels with the status
    statusTakesAnnotations: true,
  },
  DEPLOYMENT_STATUS,
);

export const deployments: ResourceDef = workloadDef({
  kind: 'Deployment',
  plural: 'deployments',
  shortName: 'deploy',
  scalable: true,
  strategy: deploymentStrategy,
  printerColumns: [
    nameColumn,
    column('Ready', 'string', 'Number of the pod with ready state', (o) => `${count(o, 'status', 'readyReplicas')}/${count(o, 'spec', 'replicas')}`),
    column('Up-to-date', 'string', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.', (o) =>
      count(o, 'status', 'updatedReplicas'),
    ),
    column('Available', 'string', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.', (o) =>
      count(o, 'status', 'availableReplicas'),
    ),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
});

/**
 * apps/v1 ReplicaSet: one replica by default, pod template defaults, and kube's
 * ValidateReplicaSetSpec (the Deployment's selector/template rules, worded the same —
 * kube's "empty selector is invalid for deployment" included). apps/v1 freezes the selector.
 */
import type { KubeObject, ResourceDef, Strategy } from '../../catalogue/resource-def.js';
import type { FieldError } from '../../errors/field-error.js';
import { ageColumn, column, nameColumn } from '../printing.js';
import { nonNegative, selectorUnchanged, specChangedAfterDefaults, specRecord } from './field-checks.js';
import { defaultPodTemplate, validateReplicaSetTemplate, validateWorkloadSelector } from './pod-template.js';
import { REPLICASET_STATUS, withStatusRules } from './status-checks.js';
import { workloadDef } from './workload-def.js';
import { containersColumn, count, imagesColumn, selectorColumn } from './workload-columns.js';

function defaults(obj: KubeObject): void {
  const spec = specRecord(obj);
  spec.replicas ??= 1;
  defaultPodTemplate(spec);
}

function validate(obj: KubeObject): FieldError[] {
  const spec = specRecord(obj);
  return [
    ...nonNegative(spec.replicas, 'spec.replicas'),
    ...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'),
    ...validateWorkloadSelector(spec.selector, 'deployment'),
    ...validateReplicaSetTemplate(spec),
  ];
}

export const replicaSetStrategy: Strategy = withStatusRules(
  {
    defaults,
    validate,
    validateUpdate: selectorUnchanged,
    specChanged: specChangedAfterDefaults(defaults),
  },
  REPLICASET_STATUS,
);

export const replicasets: ResourceDef = workloadDef({
  kind: 'ReplicaSet',
  plural: 'replicasets',
  shortName: 'rs',
  // kube's ReplicaSet ScaleREST reports spec.selector as the Scale's status.selector
  scalable: true,
  strategy: replicaSetStrategy,
  printerColumns: [
    nameColumn,
    column('Desired', 'integer', 'Number of desired pods.', (o) => count(o, 'spec', 'replicas')),
    column('Current', 'integer', 'Replicas is the most recently observed number of replicas.', (o) => count(o, 'status', 'replicas')),
    column('Ready', 'integer', 'The number of ready replicas for this replica set.', (o) => count(o, 'status', 'readyReplicas')),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
});

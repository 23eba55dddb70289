/**
 * Every controller the manager runs, by kube-controller-manager's name. Adding one is one
 * line here; settings.ts gets its settings field. Order does not matter: all controllers
 * ask for their informers first, then the manager starts the informers and runs them all.
 */
import type { ControllerDescriptor } from './controller-context.js';
import { namespaceDescriptor } from './namespace/descriptor.js';
import { podGCDescriptor } from './podgc/descriptor.js';
import { resourceQuotaDescriptor } from './resourcequota/descriptor.js';
import { jobDescriptor, ttlAfterFinishedDescriptor } from './job/descriptor.js';
import { cronJobDescriptor } from './cronjob/descriptor.js';
import { endpointDescriptor } from './endpoints/descriptor.js';
import { endpointSliceDescriptor } from './endpointslice/descriptor.js';
import { replicaSetDescriptor } from './replicaset/descriptor.js';
import { disruptionDescriptor } from './disruption/descriptor.js';
import { rootCaDescriptor } from './root-ca/descriptor.js';
import { serviceAccountsDescriptor } from './serviceaccounts/descriptor.js';
import { daemonSetDescriptor } from './daemonset/descriptor.js';
import { statefulSetDescriptor } from './statefulset/descriptor.js';
import { deploymentDescriptor } from './deployment/descriptor.js';
import { garbageCollectorDescriptor } from './garbagecollector/descriptor.js';
import { nodeLifecycleDescriptor, taintEvictionDescriptor } from './nodelifecycle/descriptor.js';

export const CONTROLLERS: ControllerDescriptor[] = [
  disruptionDescriptor,
  serviceAccountsDescriptor,
  rootCaDescriptor,
  replicaSetDescriptor,
  endpointDescriptor,
  endpointSliceDescriptor,
  statefulSetDescriptor,
  daemonSetDescriptor,
  deploymentDescriptor,
  jobDescriptor, ttlAfterFinishedDescriptor, cronJobDescriptor,
  namespaceDescriptor, podGCDescriptor, resourceQuotaDescriptor,
  garbageCollectorDescriptor,
  nodeLifecycleDescriptor,
  taintEvictionDescriptor,
  // new controllers: one line each, keep this comment last
];

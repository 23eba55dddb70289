/**
 * The built-in kinds this API server serves. Groups are registered in kube-apiserver's
 * discovery order (core first, then apps, events, authentication, …), which is the order
 * `kubectl api-resources` and /apis list them in.
 */
import { Catalogue } from '../catalogue/catalogue.js';
import type { ResourceDef } from '../catalogue/resource-def.js';
import { appsResources } from './apps/index.js';
import { authenticationResources } from './authentication.k8s.io/index.js';
import { authorizationResources } from './authorization.k8s.io/index.js';
import { batchResources } from './batch/index.js';
import { coreResources, eventsResources } from './core/index.js';
import { discoveryResources } from './discovery.k8s.io/index.js';
import { metricsResources } from './metrics.k8s.io/index.js';
import { moreCoreResources } from './more-core.js';
import { networkingResources } from './networking.k8s.io/index.js';
import { nodeResources } from './node.k8s.io/index.js';
import { policyResources } from './policy/index.js';
import { rbacResources } from './rbac.authorization.k8s.io/index.js';
import { schedulingResources } from './scheduling.k8s.io/index.js';
import { storageResources } from './storage.k8s.io/index.js';

export const builtinResources = (): readonly ResourceDef[] => [
  ...coreResources,
  ...moreCoreResources.filter((d) => d.group === ''),
  ...appsResources,
  ...eventsResources,
  ...authenticationResources,
  ...authorizationResources,
  ...batchResources,
  ...networkingResources,
  ...policyResources,
  ...rbacResources,
  ...storageResources,
  ...schedulingResources,
  ...moreCoreResources.filter((d) => d.group !== ''),
  ...nodeResources,
  ...discoveryResources,
  // an aggregated API in kube (metrics-server), so listed after the built-in groups
  ...metricsResources,
];

export const builtinCatalogue = () => new Catalogue(builtinResources());

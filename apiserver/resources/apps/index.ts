/** The apps kinds this API server serves, in discovery order. */
import type { ResourceDef } from '../../catalogue/resource-def.js';
import { controllerrevisions } from './controllerrevisions.js';
import { daemonsets } from './daemonsets.js';
import { deployments } from './deployments.js';
import { replicasets } from './replicasets.js';
import { statefulsets } from './statefulsets.js';

export const appsResources: readonly ResourceDef[] = [controllerrevisions, daemonsets, deployments, replicasets, statefulsets];

export { controllerrevisions, daemonsets, deployments, replicasets, statefulsets };

/** The scheduling.k8s.io kinds this API server serves, in discovery order. */
import type { ResourceDef } from '../../catalogue/resource-def.js';
import { priorityClasses } from './priorityclasses.js';

export const schedulingResources: readonly ResourceDef[] = [priorityClasses];

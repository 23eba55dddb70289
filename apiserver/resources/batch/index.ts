/** The batch kinds this API server serves, in discovery order. */
import type { ResourceDef } from '../../catalogue/resource-def.js';
import { cronjobs } from './cronjobs.js';
import { jobs } from './jobs.js';

export const batchResources: readonly ResourceDef[] = [cronjobs, jobs];

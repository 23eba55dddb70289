/** The policy kinds this API server serves, in discovery order. */
import type { ResourceDef } from '../../catalogue/resource-def.js';
import { podDisruptionBudgets } from './poddisruptionbudgets.js';

export const policyResources: readonly ResourceDef[] = [podDisruptionBudgets];

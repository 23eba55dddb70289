/** The apps kinds this API server serves, in discovery order. */
import type { ResourceDef } from '../../catalogue/resource-def.js';

export const appsResources: readonly ResourceDef[] = [];

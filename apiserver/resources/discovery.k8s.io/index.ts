/** The discovery.k8s.io kinds this API server serves, in discovery order. */
import type { ResourceDef } from '../../catalogue/resource-def.js';

export const discoveryResources: readonly ResourceDef[] = [];

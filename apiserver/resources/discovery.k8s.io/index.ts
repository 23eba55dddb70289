/** The discovery.k8s.io kinds this API server serves, in discovery order. */
import type { ResourceDef } from '../../catalogue/resource-def.js';
import { endpointSlices } from './endpointslices.js';

export const discoveryResources: readonly ResourceDef[] = [endpointSlices];

/** The node.k8s.io kinds this API server serves, in discovery order. */
import type { ResourceDef } from '../../catalogue/resource-def.js';
import { runtimeclasses } from './runtimeclasses.js';

export const nodeResources: readonly ResourceDef[] = [runtimeclasses];

export { runtimeclasses };

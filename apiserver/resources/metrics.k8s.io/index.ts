/** The metrics.k8s.io kinds (metrics-server's API, built in), in discovery order. */
import type { ResourceDef } from '../../catalogue/resource-def.js';
import { nodeMetricsKind, podMetricsKind } from './metrics-kinds.js';

export const metricsResources: readonly ResourceDef[] = [nodeMetricsKind, podMetricsKind];
export { registerMetricsRoutes, type MetricsRouteOptions } from './metrics-routes.js';

/** The resource quota controller and its pure parts (usage per evaluator, quantity arithmetic). */
export { ResourceQuotaController, usageMayDiffer, DEFAULT_QUOTA_RESYNC_MS, type ResourceQuotaControllerOptions, type ResourceQuotaSettings } from './resource-quota-controller.js';
export { desiredQuotaStatus, groupResourcesFor, podUsesCompute, quotaStatusUpToDate, type ObjectsOf, type ResourceList } from './quota-usage.js';
export { addQuantities, formatQuantity, parseExactQuantity as parseQuantity, sameQuantity, type Quantity } from '../../client/quantity.js';
export { isBestEffort, podLimits, podRequests } from './pod-resources.js';

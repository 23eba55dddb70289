/** The Deployment controller and its pure parts (hash, annotations, rollout math, scaling plans, status). */
export { DeploymentController, DEFAULT_DEPLOYMENT_WORKERS, type DeploymentControllerOptions, type DeploymentSettings } from './deployment-controller.js';
export { deploymentDescriptor } from './descriptor.js';
export * from './annotations.js';
export * from './deployment-status.js';
export * from './pod-template-hash.js';
export * from './replica-sets.js';
export * from './rollout-math.js';
export * from './scaling-plans.js';
export * from './types.js';
export { EventRouting, type EventRoutingOptions } from './event-routing.js';

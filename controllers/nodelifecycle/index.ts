/** The node lifecycle and taint eviction controllers, and their pure parts. */
export { NodeLifecycleController, NODE_LEASE_NAMESPACE, type NodeLifecycleControllerOptions } from './node-lifecycle-controller.js';
export { TaintEvictionController, DISRUPTION_TARGET_CONDITION, withDisruptionTarget, type TaintEvictionControllerOptions, type TaintEvictionSettings } from './taint-eviction-controller.js';
export { nodeLifecycleDescriptor, taintEvictionDescriptor } from './descriptor.js';
export { DEFAULT_NODE_LIFECYCLE_SETTINGS, resolveNodeLifecycleSettings, type NodeLifecycleSettings, type ResolvedNodeLifecycleSettings } from './settings.js';
export * from './node-health.js';
export * from './no-schedule-taints.js';
export * from './no-execute-taints.js';
export * from './eviction-plan.js';
export * from './taints.js';
export { computeZoneState, zoneKey, zoneTaintRate, type ZoneState } from './zone-state.js';
export { podMarkedNotReady } from './mark-pods-not-ready.js';

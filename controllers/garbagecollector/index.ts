/** The garbage collector and its pure parts (the ownership graph, the plan for a dependent). */
export { GarbageCollector, DEFAULT_GC_WORKERS, DEFAULT_REDISCOVERY_PERIOD_MS, type GarbageCollectorOptions, type GarbageCollectorSettings } from './garbage-collector.js';
export { garbageCollectorDescriptor } from './descriptor.js';
export { DependencyGraph, blockingDependents, referencesDiff, type GraphEvent, type GraphFollowUp, type GraphNode } from './dependency-graph.js';
export { classifyOwner, planForDependent, removeFinalizerPatch, removeOwnerReferencesPatch, unblockOwnerReferencesPatch, type DependentPlan, type OwnerState } from './dependent-plan.js';
export { deletableResources } from './deletable-resources.js';
export { AbsentOwnerCache } from './absent-owner-cache.js';
export * from './object-identity.js';

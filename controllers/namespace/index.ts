/** The namespace controller and its pure parts (deletion conditions, finalizers, estimates). */
export { NamespaceController, NAMESPACE_FINALIZER, type NamespaceControllerOptions, type NamespaceSettings } from './namespace-controller.js';
export { NamespacedContentDeleter, deletableResources, FINALIZER_ESTIMATE_SECONDS, type ContentDeletionResult } from './namespaced-content-deleter.js';
export { CONDITION_TYPES, deletionConditions, finalizersWithout, podTerminationEstimate, type DeletionOutcome } from './deletion-conditions.js';
export { clientDiscovery, groupResourceOf, apiVersionOf, type DiscoverResources, type ServerResource } from './server-resources.js';

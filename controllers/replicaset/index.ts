/** The ReplicaSet controller and its pure parts (status arithmetic, deletion ranking, slow start). */
export { ReplicaSetController, DEFAULT_BURST_REPLICAS, DEFAULT_REPLICASET_WORKERS, REPLICA_SET_KIND, type ManagedKind, type ReplicaSetControllerOptions, type ReplicaSetSettings } from './replicaset-controller.js';
export { replicaSetDescriptor } from './descriptor.js';
export * from './replica-set-status.js';
export { compareForDeletion, podDeletionCost, podsToDelete, rankByRelatedPodsOnSameNode, POD_DELETION_COST_ANNOTATION, type RankedPod } from './pod-ranking.js';
export { slowStartBatch, slowStartBatchSizes, type SlowStartResult } from './slow-start-batch.js';

/** The Job controller, the TTL-after-finished controller, and their pure parts. */
export { JobController, DEFAULT_JOB_WORKERS, DEFAULT_SYNC_BATCH_PERIOD_MS, JOB_CONTROLLER_NAME, type JobControllerOptions, type JobSettings } from './job-controller.js';
export { TtlAfterFinishedController, expiresAt, DEFAULT_TTL_WORKERS, type TtlAfterFinishedSettings } from './ttl-after-finished-controller.js';
export { jobDescriptor, ttlAfterFinishedDescriptor } from './descriptor.js';
export * from './completion-indexes.js';
export * from './job-conditions.js';
export * from './job-pods.js';
export * from './pod-failure-backoff.js';
export * from './pod-failure-policy.js';
export { countUncounted, wireStatus } from './job-status.js';

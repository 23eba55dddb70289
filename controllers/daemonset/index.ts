/** The DaemonSet controller and its pure parts (placement predicates, manage, rolling update, status). */
export { DaemonSetController, FAILED_DAEMON_POD_REASON, type DaemonSetControllerOptions, type DaemonSetSettings } from './daemonset-controller.js';
export * from './daemon-pod-predicates.js';
export * from './daemonset-pods.js';
export * from './daemonset-rolling-update.js';
export * from './daemonset-status.js';

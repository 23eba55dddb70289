/** The pod garbage collector and its pure plan (which pods one pass removes). */
export { PodGCController, type PodGCControllerOptions, type PodGCSettings } from './pod-gc-controller.js';
export * from './pod-gc-plan.js';

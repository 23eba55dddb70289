/** The disruption controller and its pure parts (status arithmetic, expected pods, finders). */
export { DisruptionController, type DisruptionControllerOptions, type DisruptionSettings } from './disruption-controller.js';
export * from './budget-status.js';
export { expectedPodCount, expectedScale, controllerOf, type ControllerFinder, type ControllerScale, type ExpectedPods } from './expected-pods.js';
export { listerFinders, scaleSubresourceFinder, type WorkloadListers } from './controller-finders.js';
export { scaledValue } from '../common/int-or-percent.js';

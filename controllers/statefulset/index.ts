/** The StatefulSet controller and its pure parts (identity rules, the sync plan). */
export { StatefulSetController, type StatefulSetControllerOptions, type StatefulSetSettings } from './stateful-set-controller.js';
export * from './stateful-set-plan.js';
export * from './stateful-set-utils.js';

/**
 * Every controller the manager runs, by kube-controller-manager's name. Adding one is one
 * line here; settings.ts gets its settings field. Order does not matter: all controllers
 * ask for their informers first, then the manager starts the informers and runs them all.
 */
import type { ControllerDescriptor } from './controller-context.js';
import { disruptionDescriptor } from './disruption/descriptor.js';
import { rootCaDescriptor } from './root-ca/descriptor.js';
import { serviceAccountsDescriptor } from './serviceaccounts/descriptor.js';

export const CONTROLLERS: ControllerDescriptor[] = [
  disruptionDescriptor,
  serviceAccountsDescriptor,
  rootCaDescriptor,
  // new controllers: one line each, keep this comment last
];

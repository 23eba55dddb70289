/** The ServiceAccounts controller's registry entry (a `default` ServiceAccount per namespace). */
import type { ControllerDescriptor } from '../controller-context.js';
import { serviceAccountsController } from './serviceaccounts-controller.js';

export const serviceAccountsDescriptor: ControllerDescriptor = {
  name: 'serviceaccount',
  start: (ctx) => serviceAccountsController(ctx),
};

/** The Deployment controller's registry entry (kube-controller-manager's `deployment`). */
import type { ControllerDescriptor } from '../controller-context.js';
import { DeploymentController } from './deployment-controller.js';

export const deploymentDescriptor: ControllerDescriptor = {
  name: 'deployment',
  start: (ctx) =>
    new DeploymentController({
      client: ctx.client,
      informers: ctx.informers,
      clock: ctx.clock,
      logger: ctx.logger,
      recorder: ctx.recorderFor('deployment-controller'),
      ...(ctx.settings.deployment ? { settings: ctx.settings.deployment } : {}),
    }),
};

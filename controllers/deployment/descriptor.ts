/** The Deployment controller's registry entry (kube-controller-manager's `deployment`). */
import { contextOptions, settingsOption } from '../common/context-options.js';
import type { ControllerDescriptor } from '../controller-context.js';
import { DeploymentController } from './deployment-controller.js';

export const deploymentDescriptor: ControllerDescriptor = {
  name: 'deployment',
  start: (ctx) =>
    new DeploymentController({ ...contextOptions(ctx, 'deployment-controller'), ...settingsOption(ctx.settings.deployment) }),
};

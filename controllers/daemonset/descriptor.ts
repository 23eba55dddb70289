/** The DaemonSet controller's registry entry. */
import { contextOptions, settingsOption } from '../common/context-options.js';
import type { ControllerDescriptor } from '../controller-context.js';
import { DaemonSetController } from './daemonset-controller.js';

export const daemonSetDescriptor: ControllerDescriptor = {
  name: 'daemonset',
  start: (ctx) =>
    new DaemonSetController({ ...contextOptions(ctx, 'daemonset-controller'), ...settingsOption(ctx.settings.daemonSet) }),
};

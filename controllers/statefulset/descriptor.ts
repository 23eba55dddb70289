/** The StatefulSet controller's registry entry. */
import { contextOptions, settingsOption } from '../common/context-options.js';
import type { ControllerDescriptor } from '../controller-context.js';
import { StatefulSetController } from './stateful-set-controller.js';

export const statefulSetDescriptor: ControllerDescriptor = {
  name: 'statefulset',
  start: (ctx) =>
    new StatefulSetController({ ...contextOptions(ctx, 'statefulset-controller'), ...settingsOption(ctx.settings.statefulSet) }),
};

/** The ReplicaSet controller's registry entry (kube-controller-manager's `replicaset`). */
import { contextOptions, settingsOption } from '../common/context-options.js';
import type { ControllerDescriptor } from '../controller-context.js';
import { ReplicaSetController } from './replicaset-controller.js';

export const replicaSetDescriptor: ControllerDescriptor = {
  name: 'replicaset',
  start: (ctx) =>
    new ReplicaSetController({ ...contextOptions(ctx, 'replicaset-controller'), ...settingsOption(ctx.settings.replicaSet) }),
};

/** The ReplicaSet controller's registry entry (kube-controller-manager's `replicaset`). */
import type { ControllerDescriptor } from '../controller-context.js';
import { ReplicaSetController } from './replicaset-controller.js';

export const replicaSetDescriptor: ControllerDescriptor = {
  name: 'replicaset',
  start: (ctx) =>
    new ReplicaSetController({
      client: ctx.client,
      informers: ctx.informers,
      clock: ctx.clock,
      logger: ctx.logger,
      recorder: ctx.recorderFor('replicaset-controller'),
      ...(ctx.settings.replicaSet ? { settings: ctx.settings.replicaSet } : {}),
    }),
};

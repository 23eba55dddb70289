/** The DaemonSet controller's registry entry. */
import type { ControllerDescriptor } from '../controller-context.js';
import { DaemonSetController } from './daemonset-controller.js';

export const daemonSetDescriptor: ControllerDescriptor = {
  name: 'daemonset',
  start: (ctx) =>
    new DaemonSetController({
      client: ctx.client,
      informers: ctx.informers,
      clock: ctx.clock,
      logger: ctx.logger,
      recorder: ctx.recorderFor('daemonset-controller'),
      ...(ctx.settings.daemonSet ? { settings: ctx.settings.daemonSet } : {}),
    }),
};

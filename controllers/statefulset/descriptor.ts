/** The StatefulSet controller's registry entry. */
import type { ControllerDescriptor } from '../controller-context.js';
import { StatefulSetController } from './stateful-set-controller.js';

export const statefulSetDescriptor: ControllerDescriptor = {
  name: 'statefulset',
  start: (ctx) =>
    new StatefulSetController({
      client: ctx.client,
      informers: ctx.informers,
      clock: ctx.clock,
      logger: ctx.logger,
      recorder: ctx.recorderFor('statefulset-controller'),
      ...(ctx.settings.statefulSet ? { settings: ctx.settings.statefulSet } : {}),
    }),
};

/** The disruption controller's registry entry (PodDisruptionBudget status). */
import type { ControllerDescriptor } from '../controller-context.js';
import { DisruptionController } from './disruption-controller.js';

export const disruptionDescriptor: ControllerDescriptor = {
  name: 'disruption',
  start: (ctx) =>
    new DisruptionController({
      client: ctx.client,
      informers: ctx.informers,
      clock: ctx.clock,
      logger: ctx.logger,
      recorder: ctx.recorderFor('controllermanager'),
      ...(ctx.settings.disruption ? { settings: ctx.settings.disruption } : {}),
    }),
};

/** The endpoints controller's registry entry (an Endpoints object per Service with a selector). */
import type { ControllerDescriptor } from '../controller-context.js';
import { EndpointsController } from './endpoints-controller.js';

export const endpointDescriptor: ControllerDescriptor = {
  name: 'endpoint',
  start: (ctx) =>
    new EndpointsController({
      client: ctx.client,
      informers: ctx.informers,
      clock: ctx.clock,
      logger: ctx.logger,
      recorder: ctx.recorderFor('endpoint-controller'),
      ...(ctx.settings.endpoint ? { settings: ctx.settings.endpoint } : {}),
    }),
};

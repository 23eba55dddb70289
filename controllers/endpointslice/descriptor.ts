/** The EndpointSlice controller's registry entry (discovery.k8s.io/v1 slices per Service with a selector). */
import type { ControllerDescriptor } from '../controller-context.js';
import { EndpointSliceController } from './endpointslice-controller.js';

export const endpointSliceDescriptor: ControllerDescriptor = {
  name: 'endpointslice',
  start: (ctx) =>
    new EndpointSliceController({
      client: ctx.client,
      informers: ctx.informers,
      clock: ctx.clock,
      logger: ctx.logger,
      recorder: ctx.recorderFor('endpoint-slice-controller'),
      ...(ctx.settings.endpointSlice ? { settings: ctx.settings.endpointSlice } : {}),
    }),
};

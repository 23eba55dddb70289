/** The endpoints controller's registry entry (an Endpoints object per Service with a selector). */
import { contextOptions, settingsOption } from '../common/context-options.js';
import type { ControllerDescriptor } from '../controller-context.js';
import { EndpointsController } from './endpoints-controller.js';

export const endpointDescriptor: ControllerDescriptor = {
  name: 'endpoint',
  start: (ctx) =>
    new EndpointsController({ ...contextOptions(ctx, 'endpoint-controller'), ...settingsOption(ctx.settings.endpoint) }),
};

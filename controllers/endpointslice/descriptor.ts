/** The EndpointSlice controller's registry entry (discovery.k8s.io/v1 slices per Service with a selector). */
import { contextOptions, settingsOption } from '../common/context-options.js';
import type { ControllerDescriptor } from '../controller-context.js';
import { EndpointSliceController } from './endpointslice-controller.js';

export const endpointSliceDescriptor: ControllerDescriptor = {
  name: 'endpointslice',
  start: (ctx) =>
    new EndpointSliceController({ ...contextOptions(ctx, 'endpoint-slice-controller'), ...settingsOption(ctx.settings.endpointSlice) }),
};

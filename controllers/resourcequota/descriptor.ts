/** The resource quota controller's registry entry (ResourceQuota status.hard/used). */
import type { ControllerDescriptor } from '../controller-context.js';
import { clientDiscovery } from '../namespace/server-resources.js';
import { ResourceQuotaController } from './resource-quota-controller.js';

export const resourceQuotaDescriptor: ControllerDescriptor = {
  name: 'resourcequota',
  start: (ctx) =>
    new ResourceQuotaController({
      client: ctx.client,
      informers: ctx.informers,
      discover: clientDiscovery(ctx.client),
      clock: ctx.clock,
      logger: ctx.logger,
      ...(ctx.settings.resourceQuota ? { settings: ctx.settings.resourceQuota } : {}),
    }),
};

/** The resource quota controller's registry entry (ResourceQuota status.hard/used). */
import { contextOptions, settingsOption } from '../common/context-options.js';
import type { ControllerDescriptor } from '../controller-context.js';
import { clientDiscovery } from '../namespace/server-resources.js';
import { ResourceQuotaController } from './resource-quota-controller.js';

export const resourceQuotaDescriptor: ControllerDescriptor = {
  name: 'resourcequota',
  start: (ctx) =>
    new ResourceQuotaController({ ...contextOptions(ctx), discover: clientDiscovery(ctx.client), ...settingsOption(ctx.settings.resourceQuota) }),
};

/** The namespace controller's registry entry (empties and releases deleted namespaces). */
import { contextOptions, settingsOption } from '../common/context-options.js';
import type { ControllerDescriptor } from '../controller-context.js';
import { NamespaceController } from './namespace-controller.js';
import { clientDiscovery } from './server-resources.js';

export const namespaceDescriptor: ControllerDescriptor = {
  name: 'namespace',
  start: (ctx) =>
    new NamespaceController({ ...contextOptions(ctx), discover: clientDiscovery(ctx.client), ...settingsOption(ctx.settings.namespace) }),
};

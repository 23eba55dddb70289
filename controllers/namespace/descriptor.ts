/** The namespace controller's registry entry (empties and releases deleted namespaces). */
import type { ControllerDescriptor } from '../controller-context.js';
import { NamespaceController } from './namespace-controller.js';
import { clientDiscovery } from './server-resources.js';

export const namespaceDescriptor: ControllerDescriptor = {
  name: 'namespace',
  start: (ctx) =>
    new NamespaceController({
      client: ctx.client,
      informers: ctx.informers,
      discover: clientDiscovery(ctx.client),
      clock: ctx.clock,
      logger: ctx.logger,
      ...(ctx.settings.namespace ? { settings: ctx.settings.namespace } : {}),
    }),
};

/** The pod garbage collector's registry entry (terminated, orphaned and stranded pods). */
import type { ControllerDescriptor } from '../controller-context.js';
import { PodGCController } from './pod-gc-controller.js';

export const podGCDescriptor: ControllerDescriptor = {
  name: 'pod-garbage-collector',
  start: (ctx) =>
    new PodGCController({
      client: ctx.client,
      informers: ctx.informers,
      clock: ctx.clock,
      logger: ctx.logger,
      ...(ctx.settings.podGC ? { settings: ctx.settings.podGC } : {}),
    }),
};

/** The garbage collector's registry entry (kube-controller-manager's `garbage-collector`). */
import type { ControllerDescriptor } from '../controller-context.js';
import { GarbageCollector } from './garbage-collector.js';

export const garbageCollectorDescriptor: ControllerDescriptor = {
  name: 'garbage-collector',
  start: (ctx) =>
    new GarbageCollector({
      client: ctx.client,
      informers: ctx.informers,
      clock: ctx.clock,
      logger: ctx.logger,
      recorder: ctx.recorderFor('garbage-collector-controller'),
      ...(ctx.settings.garbageCollector ? { settings: ctx.settings.garbageCollector } : {}),
    }),
};

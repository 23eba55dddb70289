/** The pod garbage collector's registry entry (terminated, orphaned and stranded pods). */
import { contextOptions, settingsOption } from '../common/context-options.js';
import type { ControllerDescriptor } from '../controller-context.js';
import { PodGCController } from './pod-gc-controller.js';

export const podGCDescriptor: ControllerDescriptor = {
  name: 'pod-garbage-collector',
  start: (ctx) =>
    new PodGCController({ ...contextOptions(ctx), ...settingsOption(ctx.settings.podGC) }),
};

/**
 * Registry entries: kube-controller-manager's `node-lifecycle` (node health, conditions,
 * NoSchedule/NoExecute taints) and `taint-eviction-controller` (deleting pods from
 * NoExecute-tainted nodes). Both read ctx.settings.nodeLifecycle.
 */
import type { ControllerDescriptor } from '../controller-context.js';
import { NodeLifecycleController } from './node-lifecycle-controller.js';
import { TaintEvictionController } from './taint-eviction-controller.js';

export const nodeLifecycleDescriptor: ControllerDescriptor = {
  name: 'node-lifecycle',
  start: (ctx) =>
    new NodeLifecycleController({
      client: ctx.client,
      informers: ctx.informers,
      clock: ctx.clock,
      logger: ctx.logger,
      recorder: ctx.recorderFor('node-controller'),
      ...(ctx.settings.nodeLifecycle ? { settings: ctx.settings.nodeLifecycle } : {}),
    }),
};

export const taintEvictionDescriptor: ControllerDescriptor = {
  name: 'taint-eviction-controller',
  start: (ctx) =>
    new TaintEvictionController({
      client: ctx.client,
      informers: ctx.informers,
      clock: ctx.clock,
      logger: ctx.logger,
      recorder: ctx.recorderFor('taint-eviction-controller'),
    }),
};

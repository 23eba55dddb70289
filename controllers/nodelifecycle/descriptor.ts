/**
 * Registry entries: kube-controller-manager's `node-lifecycle` (node health, conditions,
 * NoSchedule/NoExecute taints) and `taint-eviction-controller` (deleting pods from
 * NoExecute-tainted nodes). Both read ctx.settings.nodeLifecycle.
 */
import { contextOptions, settingsOption } from '../common/context-options.js';
import type { ControllerDescriptor } from '../controller-context.js';
import { NodeLifecycleController } from './node-lifecycle-controller.js';
import { TaintEvictionController } from './taint-eviction-controller.js';

export const nodeLifecycleDescriptor: ControllerDescriptor = {
  name: 'node-lifecycle',
  start: (ctx) =>
    new NodeLifecycleController({ ...contextOptions(ctx, 'node-controller'), ...settingsOption(ctx.settings.nodeLifecycle) }),
};

export const taintEvictionDescriptor: ControllerDescriptor = {
  name: 'taint-eviction-controller',
  start: (ctx) =>
    new TaintEvictionController(contextOptions(ctx, 'taint-eviction-controller')),
};
